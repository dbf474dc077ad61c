use super::resources::quantity;
use super::vocabulary::*;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{is_label_key, is_label_value, IpAddress, Version};
use crate::model::{Aspm, Disk, Nic, Node, NodeOs, NodeRole, Spanned, Taint, TaintEffect};
use crate::syntax::Node as KdlNode;

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Node> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one name",
            props: NODE_PROPS,
            block: true,
        },
        cx,
    );
    let Some(name_entry) = view.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "node".into(),
            what: "a name",
            example: "node worker-1 role=worker address=\"192.168.0.11\"",
            span: view.name_span(),
        });
        return None;
    };
    let name = value::name(name_entry, "node", cx);
    let role = match view.prop("role") {
        Some(e) => value::word(e, "node role", NodeRole::ALL, cx).map(|r| r.value),
        None => {
            cx.push(Error::MissingProperty {
                node: "node".into(),
                property: "role",
                example: "worker",
                span: view.name_span(),
            });
            None
        }
    };
    let address = match view.prop("address") {
        Some(e) => value::parsed(
            e,
            "address",
            "IP address",
            "\"192.168.0.10\"",
            IpAddress::parse,
            cx,
        ),
        None => {
            cx.push(Error::MissingProperty {
                node: "node".into(),
                property: "address",
                example: "\"192.168.0.10\"",
                span: view.name_span(),
            });
            None
        }
    };
    let cpu = view.prop("cpu").and_then(|e| quantity(e, "cpu", cx));
    let memory = view.prop("memory").and_then(|e| quantity(e, "memory", cx));
    let schedulable = view
        .prop("schedulable")
        .and_then(|e| value::boolean(e, "schedulable", cx));
    let kernel = view
        .prop("kernel")
        .and_then(|e| value::parsed(e, "kernel", "version", "\"6.8\"", Version::parse, cx));
    let os = view
        .prop("os")
        .and_then(|e| value::word(e, "operating system", NodeOs::ALL, cx));
    let mut out = Node {
        name: name
            .clone()
            .unwrap_or_else(|| Spanned::new(Default::default(), name_entry.span())),
        role: role.unwrap_or(NodeRole::Worker),
        address: address.unwrap_or_else(|| {
            Spanned::new(IpAddress("0.0.0.0".parse().expect("valid")), view.span())
        }),
        address_failed: address.is_none(),
        cpu,
        memory,
        schedulable: schedulable.unwrap_or(role != Some(NodeRole::ControlPlane)),
        kernel,
        os,
        labels: Default::default(),
        label_spans: Default::default(),
        taints: Vec::new(),
        disks: Vec::new(),
        nics: Vec::new(),
    };
    for child in view.children(NODE_CHILDREN, cx) {
        match child.name().value() {
            "label" => decode_label(child, &mut out, cx),
            "taint" => out.taints.extend(decode_taint(child, cx)),
            "disk" => out.disks.extend(decode_disk(child, cx)),
            "nic" => out.nics.extend(decode_nic(child, cx)),
            _ => {}
        }
    }
    // kept whatever failed (and was reported), so that what counts nodes (storage replicas)
    // still counts it; a failed name is the empty placeholder the rules skip
    Some(out)
}

fn label_text(
    entry: &crate::syntax::Entry,
    what: &str,
    is_key: bool,
    cx: &mut Cx,
) -> Option<String> {
    let check = if is_key { is_label_key } else { is_label_value };
    let reason = if is_key {
        "a label key is an optional DNS prefix and `/`, then up to 63 letters, digits, `-`, `_` and `.`"
    } else {
        "a label value is up to 63 letters, digits, `-`, `_` and `.`, starting and ending alphanumeric"
    };
    value::parsed(
        entry,
        what,
        "label",
        "\"topology.kubernetes.io/zone\" \"rack-a\"",
        |s| {
            if check(s) {
                Ok(s.to_string())
            } else {
                Err(reason.to_string())
            }
        },
        cx,
    )
    .map(|s| s.value)
}

fn decode_label(node: &KdlNode, out: &mut Node, cx: &mut Cx) {
    let v = NodeView::new(
        node,
        &Shape {
            args: 2,
            args_text: "a key and a value",
            props: &[],
            block: false,
        },
        cx,
    );
    let (Some(k), Some(val)) = (v.arg(0), v.arg(1)) else {
        cx.push(Error::MissingArgument {
            node: "label".into(),
            what: "a key and a value",
            example: "label \"tier\" \"storage\"",
            span: v.name_span(),
        });
        return;
    };
    if let (Some(key), Some(value)) = (
        label_text(k, "label", true, cx),
        label_text(val, "label", false, cx),
    ) {
        if out.labels.contains_key(&key) {
            let first = out.label_spans.get(&key).copied().unwrap_or(v.span());
            cx.push(Error::DuplicateEntry {
                name: format!("label {key}"),
                span: v.span(),
                first,
            });
        } else {
            out.label_spans.insert(key.clone(), v.span());
            out.labels.insert(key, value);
        }
    }
}

fn decode_taint(node: &KdlNode, cx: &mut Cx) -> Option<Taint> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 2,
            args_text: "a key and an optional value",
            props: TAINT_PROPS,
            block: false,
        },
        cx,
    );
    let Some(k) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "taint".into(),
            what: "a key",
            example: "taint \"dedicated\" \"db\" effect=\"NoSchedule\"",
            span: v.name_span(),
        });
        return None;
    };
    let key = label_text(k, "taint", true, cx);
    let value = v.arg(1).and_then(|e| label_text(e, "taint", false, cx));
    let effect = match v.prop("effect") {
        Some(e) => value::word(e, "taint effect", TaintEffect::ALL, cx).map(|s| s.value),
        None => Some(TaintEffect::NoSchedule),
    };
    Some(Taint {
        key: key?,
        value,
        effect: effect?,
        span: v.span(),
    })
}

fn decode_disk(node: &KdlNode, cx: &mut Cx) -> Option<Disk> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one device path",
            props: DISK_PROPS,
            block: false,
        },
        cx,
    );
    let Some(dev) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "disk".into(),
            what: "a device",
            example: "disk \"/dev/sdb\" mount=\"/var/lib/longhorn\" longhorn=#true",
            span: v.name_span(),
        });
        return None;
    };
    let abs_path = |s: &str| {
        if s.starts_with('/') && !s.contains("..") && !s.contains(char::is_whitespace) {
            Ok(s.to_string())
        } else {
            Err("an absolute path without spaces or `..`".to_string())
        }
    };
    let device = value::parsed(dev, "disk", "device path", "\"/dev/sdb\"", abs_path, cx);
    let mount = v.prop("mount").and_then(|e| {
        value::parsed(
            e,
            "mount",
            "mount path",
            "\"/var/lib/longhorn\"",
            abs_path,
            cx,
        )
    });
    let size = v.prop("size").and_then(|e| quantity(e, "size", cx));
    let longhorn = v
        .prop("longhorn")
        .and_then(|e| value::boolean(e, "longhorn", cx))
        .unwrap_or(false);
    Some(Disk {
        device: device?,
        mount,
        size,
        longhorn,
    })
}

fn decode_nic(node: &KdlNode, cx: &mut Cx) -> Option<Nic> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one interface name",
            props: NIC_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "nic".into(),
            what: "an interface name",
            example: "nic \"ens33\" power-saving=#false",
            span: v.name_span(),
        });
        return None;
    };
    let iface = |s: &str| {
        if !s.is_empty()
            && s.len() <= 15
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            Ok(s.to_string())
        } else {
            Err("a Linux interface name has 1 to 15 letters, digits, `-`, `_` or `.`".to_string())
        }
    };
    let name = value::parsed(e, "nic", "interface name", "\"ens33\"", iface, cx)?;
    let power_saving = v
        .prop("power-saving")
        .and_then(|e| value::boolean(e, "power-saving", cx))
        .unwrap_or(true);
    let aspm = v
        .prop("aspm")
        .and_then(|e| value::word(e, "ASPM policy", Aspm::ALL, cx));
    Some(Nic {
        name,
        power_saving,
        aspm,
    })
}
