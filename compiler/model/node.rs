use super::value::{IpAddress, Quantity};
use super::{value::Name, Spanned};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeRole {
    ControlPlane,
    Worker,
}

impl NodeRole {
    pub const ALL: &'static [(&'static str, NodeRole)] = &[
        ("control-plane", NodeRole::ControlPlane),
        ("worker", NodeRole::Worker),
    ];
}

/// One machine of the cluster.
#[derive(Debug, Clone)]
pub struct Node {
    pub name: Spanned<Name>,
    pub role: NodeRole,
    pub address: Spanned<IpAddress>,
    /// `address=` was missing or failed to decode (and was reported): `address` is a
    /// placeholder no rule may look at. The node is kept, so that what counts or names nodes
    /// (storage replicas, `nodes …`) still sees it.
    pub address_failed: bool,
    pub cpu: Option<Spanned<Quantity>>,
    pub memory: Option<Spanned<Quantity>>,
    /// Whether ordinary workloads may be scheduled here; control-plane nodes default to no,
    /// as kubeadm taints them.
    pub schedulable: bool,
    /// The Linux kernel release the machine runs, checked against what components need.
    pub kernel: Option<Spanned<super::value::Version>>,
    /// The operating system, one of those the provisioning script supports.
    pub os: Option<Spanned<NodeOs>>,
    pub labels: BTreeMap<String, String>,
    pub label_spans: BTreeMap<String, super::Span>,
    pub taints: Vec<Taint>,
    pub disks: Vec<Disk>,
    pub nics: Vec<Nic>,
}

impl Node {
    /// Whether Longhorn may place replicas here: the node is schedulable and has a disk given
    /// to Longhorn.
    pub fn holds_longhorn_replicas(&self) -> bool {
        self.schedulable && self.disks.iter().any(|d| d.longhorn)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl TaintEffect {
    pub const ALL: &'static [(&'static str, TaintEffect)] = &[
        ("NoExecute", TaintEffect::NoExecute),
        ("NoSchedule", TaintEffect::NoSchedule),
        ("PreferNoSchedule", TaintEffect::PreferNoSchedule),
    ];
}

#[derive(Debug, Clone)]
pub struct Taint {
    pub key: String,
    pub value: Option<String>,
    pub effect: TaintEffect,
    pub span: super::Span,
}

#[derive(Debug, Clone)]
pub struct Disk {
    pub device: Spanned<String>,
    pub mount: Option<Spanned<String>>,
    pub size: Option<Spanned<Quantity>>,
    /// The disk is given to Longhorn (mounted at Longhorn's data path).
    pub longhorn: bool,
}

impl Disk {
    /// Where the node script mounts the disk: its `mount=`, or Longhorn's default data path for
    /// a Longhorn disk without one; `None` for a disk the script leaves alone.
    pub fn mount_path(&self) -> Option<&str> {
        match (&self.mount, self.longhorn) {
            (Some(mount), _) => Some(mount.value.as_str()),
            (None, true) => Some("/var/lib/longhorn"),
            (None, false) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Nic {
    pub name: Spanned<String>,
    pub power_saving: bool,
    /// The kernel's PCIe Active State Power Management, where the site asks to change it.
    pub aspm: Option<Spanned<Aspm>>,
}

/// What the node script does to PCIe ASPM (`nic … aspm=`): the link power states that make
/// some adapters drop off the bus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Aspm {
    /// The `performance` policy now and at every boot (`/sys/module/pcie_aspm/parameters/policy`).
    Performance,
    /// `pcie_aspm=off` on the kernel command line: ASPM never enabled, after a reboot.
    Off,
}

impl Aspm {
    pub const ALL: &'static [(&'static str, Aspm)] =
        &[("off", Aspm::Off), ("performance", Aspm::Performance)];
}

/// The operating systems the provisioning script supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeOs {
    Debian12,
    Debian13,
    Ubuntu2204,
    Ubuntu2404,
}

impl NodeOs {
    pub const ALL: &'static [(&'static str, NodeOs)] = &[
        ("debian-12", NodeOs::Debian12),
        ("debian-13", NodeOs::Debian13),
        ("ubuntu-22.04", NodeOs::Ubuntu2204),
        ("ubuntu-24.04", NodeOs::Ubuntu2404),
    ];
}
