//! `labc completions SHELL`: the shell completion script, generated from the same clap
//! definition the parser uses, so it cannot fall behind the commands.

use clap::CommandFactory;
use clap_complete::Shell;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to complete for: bash, zsh, fish, elvish or powershell
    shell: Shell,
}

pub fn run(args: Args) -> ExitCode {
    let mut command = super::Cli::command();
    clap_complete::generate(args.shell, &mut command, "labc", &mut std::io::stdout());
    ExitCode::SUCCESS
}
