#!/usr/bin/env bats
# Runs the provision.sh that labc writes for tests/nodes/site.kdl against a scratch root, with
# every system command replaced by ./stub. LABC names the labc binary (default: on PATH).

STUBBED=(id dpkg dpkg-query apt-get apt-mark systemctl swapon swapoff modprobe sysctl curl gpg
  tar lsblk blkid mkfs.ext4 findmnt mount ip ethtool udevadm update-grub kubeadm)

setup_file() {
  export OUT="$BATS_FILE_TMPDIR/out"
  "${LABC:-labc}" build "$BATS_TEST_DIRNAME/site.kdl" --out "$OUT" >/dev/null
}

setup() {
  export LABC_ROOT="$BATS_TEST_TMPDIR/root" STUB_STATE="$BATS_TEST_TMPDIR/state"
  mkdir -p "$LABC_ROOT/etc" "$STUB_STATE" "$BATS_TEST_TMPDIR/bin"
  printf 'ID=debian\nVERSION_ID="12"\n' >"$LABC_ROOT/etc/os-release"
  printf '/swap.img none swap sw 0 0\n' >"$LABC_ROOT/etc/fstab"
  # what sysfs shows a kernel that suspends idle PCI devices and leaves ASPM to its default
  mkdir -p "$LABC_ROOT/sys/class/net/eno1/device/power" "$LABC_ROOT/sys/module/pcie_aspm/parameters"
  echo auto >"$LABC_ROOT/sys/class/net/eno1/device/power/control"
  echo '[default] performance powersave powersupersave' >"$LABC_ROOT/sys/module/pcie_aspm/parameters/policy"
  for name in "${STUBBED[@]}"; do ln -s "$BATS_TEST_DIRNAME/stub" "$BATS_TEST_TMPDIR/bin/$name"; done
  export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
  unset LABC_JOIN_TOKEN LABC_CA_CERT_HASH LABC_CERTIFICATE_KEY
}

provision() { bash "$OUT/nodes/$1/provision.sh" "${@:2}" </dev/null; }

# the lines of $output that announce a change, with the node prefix cut
actions() { sed -n 's/^\[[^]]*\] would \([^:]*\):.*/\1/p' <<<"$output"; }

# assert_in_order PATTERN...: each pattern matches a line of actions() after the previous one
assert_in_order() {
  local lines line=0 pattern found i
  mapfile -t lines < <(actions)
  for pattern in "$@"; do
    found=
    for ((i = line; i < ${#lines[@]}; i++)); do
      if [[ "${lines[i]}" == $pattern ]]; then found=$i; break; fi
    done
    if [ -z "$found" ]; then
      printf 'no action "%s" after line %d of:\n' "$pattern" "$line" >&2
      printf '  %s\n' "${lines[@]}" >&2
      return 1
    fi
    line=$((found + 1))
  done
}

# mutating calls in the stub log: everything but the read-only questions
mutations() {
  grep -Ev '^(id|dpkg|dpkg-query|lsblk|blkid|findmnt|ip|swapon) |^(systemctl is-|apt-mark showhold|sysctl -n|ethtool --show-eee)' \
    "$STUB_STATE/calls" || true
}

@test "control-plane node: dry run lists every action in order and changes nothing" {
  run provision cp-1 --dry-run
  [ "$status" -eq 0 ]
  assert_in_order "turn swap off" "comment out swap in /etc/fstab" \
    "write /etc/modules-load.d/labc.conf" "load module overlay" "load module br_netfilter" \
    "load module iscsi_tcp" "write /etc/sysctl.d/90-labc.conf" "apply sysctls" \
    "install apt-transport-https ca-certificates curl gpg ethtool" \
    "install the pkgs.k8s.io signing key" "write /etc/apt/sources.list.d/kubernetes.list" \
    "install kubelet, kubeadm and kubectl 1.31.13-1.1" "hold kubelet at 1.31.13-1.1" \
    "install containerd 2.1.5" "install runc 1.3.3" "write /etc/containerd/config.toml" \
    "enable containerd" "start containerd" "install open-iscsi nfs-common cryptsetup dmsetup" \
    "enable iscsid" "write /etc/systemd/system/labc-nic-power-saving.service" \
    "enable labc-nic-power-saving" "write /etc/udev/rules.d/81-labc-nic-power.rules" \
    "reload udev rules" "turn Energy-Efficient Ethernet off on eno1" \
    "turn runtime power management off on eno1's PCI device" \
    "set the PCIe ASPM policy to performance" "enable kubelet" "initialise the cluster"
  [[ "$output" == *"kubeadm init --config $OUT/nodes/cp-1/kubeadm.yaml"* ]]
  [[ "$output" == *"dry run: "*" change(s) to make, none made"* ]]
  [ -z "$(mutations)" ]
  [ ! -e "$LABC_ROOT/etc/modules-load.d" ]
  grep -q '^/swap.img' "$LABC_ROOT/etc/fstab"
}

@test "worker with a Longhorn disk: dry run prepares the disk and joins" {
  run provision storage-1 --dry-run
  [ "$status" -eq 0 ]
  assert_in_order "load module iscsi_tcp" "install kubelet, kubeadm and kubectl 1.31.13-1.1" \
    "install containerd 2.1.5" "install open-iscsi nfs-common cryptsetup dmsetup" \
    "enable iscsid" "format the blank disk /dev/sdb as ext4" "create /var/lib/longhorn" \
    "add /dev/sdb at /var/lib/longhorn to /etc/fstab" "mount /var/lib/longhorn" \
    "enable kubelet" "join the cluster*"
  [[ "$output" != *"power saving"* ]]
  [ -z "$(mutations)" ]
}

@test "worker without a disk: no disk step, Longhorn's prerequisites still, then join" {
  run provision plain-1 --dry-run
  [ "$status" -eq 0 ]
  assert_in_order "install containerd 2.1.5" "install open-iscsi nfs-common cryptsetup dmsetup" \
    "enable kubelet" "join the cluster*"
  [[ "$output" != *"== disks"* ]]
  [[ "$output" != *"format"* ]]
}

@test "a second run changes nothing and says so" {
  run provision cp-1
  [ "$status" -eq 0 ]
  [[ "$output" == *"done: "*" change(s) made"* ]]
  [ -f "$STUB_STATE/kubeadm-init.yaml" ]
  grep -q '^# swap off for kubelet (labc): /swap.img' "$LABC_ROOT/etc/fstab"
  : >"$STUB_STATE/calls"
  run provision cp-1
  [ "$status" -eq 0 ]
  [[ "$output" == *"nothing to change: cp-1 is provisioned"* ]]
  [[ "$output" != *"would"* ]]
  [ -z "$(mutations)" ]
}

@test "a storage worker joins with secrets from the environment, and twice is a no-op" {
  export LABC_JOIN_TOKEN=abcdef.0123456789abcdef
  export LABC_CA_CERT_HASH="sha256:$(printf 'a%.0s' {1..64})"
  run provision storage-1
  [ "$status" -eq 0 ]
  grep -q 'token: "abcdef.0123456789abcdef"' "$STUB_STATE/kubeadm-join.yaml"
  grep -q '@LABC_JOIN_TOKEN@' "$OUT/nodes/storage-1/kubeadm.yaml"
  grep -q 'UUID=uuid-sdb /var/lib/longhorn ext4 defaults,nofail 0 2' "$LABC_ROOT/etc/fstab"
  : >"$STUB_STATE/calls"
  run provision storage-1
  [ "$status" -eq 0 ]
  [[ "$output" == *"nothing to change"* ]]
  [ -z "$(mutations)" ]
}

@test "a join without secrets and without a terminal stops before kubeadm" {
  run provision plain-1
  [ "$status" -eq 1 ]
  [[ "$output" == *"set LABC_JOIN_TOKEN"* ]]
  ! grep -q '^kubeadm' "$STUB_STATE/calls"
}

@test "an unsupported OS stops before any change" {
  printf 'ID=fedora\n' >"$LABC_ROOT/etc/os-release"
  run provision cp-1
  [ "$status" -eq 1 ]
  [[ "$output" == *"unsupported operating system 'fedora'"* ]]
  [ -z "$(mutations)" ]
}

@test "a real run as another user than root stops before any change" {
  printf '#!/bin/sh\necho 1000\n' >"$BATS_TEST_TMPDIR/bin/id.real"
  rm "$BATS_TEST_TMPDIR/bin/id"
  mv "$BATS_TEST_TMPDIR/bin/id.real" "$BATS_TEST_TMPDIR/bin/id"
  chmod +x "$BATS_TEST_TMPDIR/bin/id"
  run provision cp-1
  [ "$status" -eq 1 ]
  [[ "$output" == *"run as root"* ]]
  [ -z "$(mutations)" ]
}

@test "with Wazuh: control planes write the audit policy, every node forwards syslog, twice is a no-op" {
  run provision cp-1
  [ "$status" -eq 0 ]
  # the file the API server reads is the one kubeadm.yaml names and mounts
  grep -q 'kind: Policy' "$LABC_ROOT/etc/kubernetes/audit/policy.yaml"
  grep -q 'value: /etc/kubernetes/audit/policy.yaml' "$OUT/nodes/cp-1/kubeadm.yaml"
  [ -d "$LABC_ROOT/var/log/kubernetes/audit" ]
  conf="$LABC_ROOT/etc/rsyslog.d/60-labc-wazuh.conf"
  grep -q 'File="/var/log/kubernetes/audit/audit.log"' "$conf"
  grep -q '^\*\.\* action(type="omfwd" target="10.96.0.14" port="514" protocol="tcp"' "$conf"
  grep -q '^systemctl restart rsyslog' "$STUB_STATE/calls"
  : >"$STUB_STATE/calls"
  run provision cp-1
  [ "$status" -eq 0 ]
  [[ "$output" == *"/etc/rsyslog.d/60-labc-wazuh.conf is up to date"* ]]
  [[ "$output" == *"nothing to change: cp-1 is provisioned"* ]]
  [ -z "$(mutations)" ]
}

@test "with Wazuh: a worker forwards its syslog and has no audit log to ship" {
  run provision plain-1 --dry-run
  [ "$status" -eq 0 ]
  assert_in_order "install rsyslog" "write /etc/rsyslog.d/60-labc-wazuh.conf" "restart rsyslog" \
    "enable rsyslog" "start rsyslog" "join the cluster*"
  [[ "$output" != *"audit"* ]]
  [ -z "$(mutations)" ]
}

@test "with Wazuh: an rsyslog that drops root is warned about, since it cannot read the audit log" {
  mkdir -p "$LABC_ROOT/etc"
  printf '$PrivDropToUser syslog\n' >"$LABC_ROOT/etc/rsyslog.conf"
  run provision cp-1 --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: rsyslog drops root"* ]]
}

@test "NIC power saving: EEE, the PCI device's runtime power management and ASPM, kept at boot" {
  run provision cp-1
  [ "$status" -eq 0 ]
  grep -qx 'ethtool --set-eee eno1 eee off' "$STUB_STATE/calls"
  [ "$(cat "$LABC_ROOT/sys/class/net/eno1/device/power/control")" = on ]
  [ "$(cat "$LABC_ROOT/sys/module/pcie_aspm/parameters/policy")" = performance ]
  unit="$LABC_ROOT/etc/systemd/system/labc-nic-power-saving.service"
  grep -qx 'ExecStart=-/usr/sbin/ethtool --set-eee eno1 eee off' "$unit"
  grep -qx "ExecStart=-/bin/sh -c 'echo performance >/sys/module/pcie_aspm/parameters/policy'" "$unit"
  rules="$LABC_ROOT/etc/udev/rules.d/81-labc-nic-power.rules"
  grep -q '^ACTION=="add", SUBSYSTEM=="net", KERNEL=="eno1", .*ATTR{device/power/control}="on"$' "$rules"
  grep -q '^ACTION=="add", SUBSYSTEM=="net", NAME=="eno1", RUN+=.*/sys/class/net/eno1/device/power/control' "$rules"
  grep -qx 'udevadm control --reload' "$STUB_STATE/calls"
  : >"$STUB_STATE/calls"
  run provision cp-1
  [[ "$output" == *"eno1: Energy-Efficient Ethernet is off"* ]]
  [[ "$output" == *"eno1: runtime power management is off (power/control is on)"* ]]
  [[ "$output" == *"the PCIe ASPM policy is performance"* ]]
  [ -z "$(mutations)" ]
}

@test "NIC power saving: a virtual NIC without EEE still gets its runtime power management off" {
  mkdir -p "$STUB_STATE/no-eee"
  touch "$STUB_STATE/no-eee/eno1"
  run provision cp-1 --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"eno1: its driver has no Energy-Efficient Ethernet, nothing to turn off"* ]]
  [[ "$output" == *"would turn runtime power management off on eno1's PCI device"* ]]
  [[ "$output" != *"turn Energy-Efficient Ethernet off"* ]]
}

@test "NIC power saving: a NIC that is no PCI device says so and changes nothing there" {
  rm -r "$LABC_ROOT/sys/class/net/eno1"
  run provision cp-1 --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"eno1: no runtime power management (not a PCI device)"* ]]
  [[ "$output" != *"runtime power management off on"* ]]
}

@test "ASPM off: pcie_aspm=off through GRUB, a reboot asked for, then nothing to change" {
  run provision plain-1 --dry-run
  [ "$status" -eq 0 ]
  assert_in_order "write /etc/default/grub.d/90-labc-aspm.cfg" "write the boot loader's kernel command line"
  # the NIC keeps its power saving: only ASPM was asked for
  [[ "$output" != *"labc-nic-power-saving"* ]]
  [[ "$output" != *"81-labc-nic-power.rules"* ]]
  export LABC_JOIN_TOKEN=abcdef.0123456789abcdef
  export LABC_CA_CERT_HASH="sha256:$(printf 'a%.0s' {1..64})"
  run provision plain-1
  [ "$status" -eq 0 ]
  grep -qx 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT pcie_aspm=off"' \
    "$LABC_ROOT/etc/default/grub.d/90-labc-aspm.cfg"
  grep -q '^update-grub' "$STUB_STATE/calls"
  [[ "$output" == *"warning: pcie_aspm=off takes effect at the next boot"* ]]
  mkdir -p "$LABC_ROOT/proc"
  echo 'BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet pcie_aspm=off' >"$LABC_ROOT/proc/cmdline"
  : >"$STUB_STATE/calls"
  run provision plain-1
  [ "$status" -eq 0 ]
  [[ "$output" == *"the running kernel has pcie_aspm=off"* ]]
  [[ "$output" == *"nothing to change"* ]]
  [ -z "$(mutations)" ]
}
