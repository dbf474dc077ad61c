mod fuzz;
mod k8s;
mod layout;
mod strings;

use serde::Serialize;

/// Writes `value` and checks that it reads back as the same data, twice:
/// into `serde_json::Value` (what callers compare), and into
/// `serde_yaml::Value`, whose YAML typing catches a key or string that would
/// come back as a bool, null or number.
fn assert_round_trip<T: Serialize + ?Sized>(value: &T) -> String {
    let yaml = super::to_string(value).expect("value should serialize");
    let expected = serde_json::to_value(value).expect("test value must be JSON-compatible");
    let json: serde_json::Value =
        serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("unreadable: {e}\n{yaml}"));
    assert_eq!(json, expected, "json round trip of:\n{yaml}");
    let typed: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("read as serde_yaml::Value");
    let typed_expected = serde_yaml::to_value(&expected).expect("json to yaml value");
    assert_eq!(typed, typed_expected, "typed round trip of:\n{yaml}");
    assert_single_final_newline(&yaml);
    yaml
}

fn assert_single_final_newline(yaml: &str) {
    assert!(
        yaml.ends_with('\n') && !yaml.ends_with("\n\n"),
        "document must end in exactly one line break: {yaml:?}"
    );
}
