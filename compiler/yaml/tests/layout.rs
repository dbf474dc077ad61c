//! Exact output, so the layout reviewers see in diffs is pinned.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::{to_string, write};
use super::assert_round_trip;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Deployment {
    api_version: &'static str,
    kind: &'static str,
    metadata: Meta,
    spec: Spec,
}

#[derive(Serialize)]
struct Meta {
    name: &'static str,
    labels: BTreeMap<&'static str, &'static str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    annotations: BTreeMap<&'static str, &'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    replicas: u32,
    paused: bool,
    progress_deadline: Option<u32>,
    template: Template,
}

#[derive(Serialize)]
struct Template {
    spec: PodSpec,
}

#[derive(Serialize)]
struct PodSpec {
    containers: Vec<Container>,
    volumes: Vec<String>,
    #[serde(rename = "nodeSelector")]
    node_selector: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Container {
    name: &'static str,
    image: &'static str,
    args: Vec<&'static str>,
    ports: Vec<Port>,
    env: Vec<Env>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Port {
    container_port: u16,
    protocol: &'static str,
}

#[derive(Serialize)]
struct Env {
    name: &'static str,
    value: &'static str,
}

fn deployment() -> Deployment {
    Deployment {
        api_version: "apps/v1",
        kind: "Deployment",
        metadata: Meta {
            name: "web",
            labels: [("app.kubernetes.io/name", "web"), ("tier", "8080")].into(),
            annotations: [("config", "listen: 8080\nroot: /srv\n")].into(),
        },
        spec: Spec {
            replicas: 3,
            paused: false,
            progress_deadline: None,
            template: Template {
                spec: PodSpec {
                    containers: vec![Container {
                        name: "web",
                        image: "ghcr.io/x/y:1.2",
                        args: vec!["--port=8080", "serve"],
                        ports: vec![Port {
                            container_port: 8080,
                            protocol: "TCP",
                        }],
                        env: vec![
                            Env {
                                name: "DEBUG",
                                value: "yes",
                            },
                            Env {
                                name: "PATH_PREFIX",
                                value: "/api",
                            },
                        ],
                    }],
                    volumes: vec![],
                    node_selector: BTreeMap::new(),
                },
            },
        },
    }
}

const DEPLOYMENT_YAML: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
    tier: "8080"
  annotations:
    config: |
      listen: 8080
      root: /srv
spec:
  replicas: 3
  paused: false
  progressDeadline: null
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/x/y:1.2
          args:
            - "--port=8080"
            - serve
          ports:
            - containerPort: 8080
              protocol: TCP
          env:
            - name: DEBUG
              value: "yes"
            - name: PATH_PREFIX
              value: /api
      volumes: []
      nodeSelector: {}
"#;

#[test]
fn deployment_layout() {
    assert_eq!(to_string(&deployment()).unwrap(), DEPLOYMENT_YAML);
    assert_round_trip(&deployment());
}

#[test]
fn write_appends_documents() {
    let mut out = b"---\n".to_vec();
    write(&deployment(), &mut out).unwrap();
    out.extend_from_slice(b"---\n");
    write(&[1, 2], &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text, format!("---\n{DEPLOYMENT_YAML}---\n- 1\n- 2\n"));
}

#[test]
fn root_values() {
    assert_eq!(to_string(&BTreeMap::<u8, u8>::new()).unwrap(), "{}\n");
    assert_eq!(to_string(&Vec::<u8>::new()).unwrap(), "[]\n");
    assert_eq!(to_string(&()).unwrap(), "null\n");
    assert_eq!(to_string(&None::<u8>).unwrap(), "null\n");
    assert_eq!(to_string(&Some(5)).unwrap(), "5\n");
    assert_eq!(to_string("x").unwrap(), "x\n");
    assert_eq!(to_string(&true).unwrap(), "true\n");
    assert_eq!(to_string(&'y').unwrap(), "\"y\"\n");
}

#[test]
fn nested_sequences_and_empties() {
    let v = serde_json::json!({
        "a": [[1, [2, 3]], [], {}, [{}], {"b": []}],
        "c": [{"d": [{"e": 1, "f": {}}], "g": 2}],
        "h": {"i": {"j": []}},
    });
    let yaml = assert_round_trip(&v);
    let expected = "\
a:
  - - 1
    - - 2
      - 3
  - []
  - {}
  - - {}
  - b: []
c:
  - d:
      - e: 1
        f: {}
    g: 2
h:
  i:
    j: []
";
    assert_eq!(yaml, expected);
}

#[derive(Serialize)]
enum Shape {
    Unit,
    Newtype(u8),
    Tuple(u8, &'static str),
    EmptyTuple(),
    Struct { w: u8, tag: Option<&'static str> },
    EmptyStruct {},
}

#[test]
fn enum_variants() {
    let shapes = vec![
        Shape::Unit,
        Shape::Newtype(7),
        Shape::Tuple(1, "no"),
        Shape::EmptyTuple(),
        Shape::Struct { w: 2, tag: None },
        Shape::EmptyStruct {},
    ];
    let yaml = assert_round_trip(&shapes);
    let expected = "\
- Unit
- Newtype: 7
- Tuple:
    - 1
    - \"no\"
- EmptyTuple: []
- Struct:
    w: 2
    tag: null
- EmptyStruct: {}
";
    assert_eq!(yaml, expected);
    let map: BTreeMap<&str, Shape> = [("s", Shape::Tuple(3, "x"))].into();
    assert_eq!(to_string(&map).unwrap(), "s:\n  Tuple:\n    - 3\n    - x\n");
}

#[test]
fn numbers() {
    let floats = [
        1.0,
        0.5,
        -0.0,
        1e30,
        1.5e-7,
        1e16,
        1e15,
        0.1,
        f64::MAX,
        f64::MIN_POSITIVE,
    ];
    let yaml = assert_round_trip(&floats);
    let expected = "- 1.0\n- 0.5\n- -0.0\n- 1.0e+30\n- 1.5e-7\n- 1.0e+16\n- 1000000000000000.0\n\
                    - 0.1\n- 1.7976931348623157e+308\n- 2.2250738585072014e-308\n";
    assert_eq!(yaml, expected);
    let special = to_string(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]).unwrap();
    assert_eq!(special, "- .nan\n- .inf\n- -.inf\n");
    assert_eq!(to_string(&[0.1f32, 3e38f32]).unwrap(), "- 0.1\n- 3.0e+38\n");
    let ints = (i64::MIN, u64::MAX, i128::MIN, u128::MAX, 0u8, -7i8);
    let expected = "- -9223372036854775808\n- 18446744073709551615\n\
                    - -170141183460469231731687303715884105728\n\
                    - 340282366920938463463374607431768211455\n- 0\n- -7\n";
    assert_eq!(to_string(&ints).unwrap(), expected);
}

#[test]
fn scalar_keys_keep_their_type() {
    let ints: BTreeMap<i32, &str> = [(-1, "a"), (8080, "b")].into();
    let yaml = to_string(&ints).unwrap();
    assert_eq!(yaml, "-1: a\n8080: b\n");
    assert_eq!(
        serde_yaml::from_str::<BTreeMap<i32, String>>(&yaml)
            .unwrap()
            .len(),
        2
    );
    let bools: BTreeMap<bool, u8> = [(false, 0), (true, 1)].into();
    assert_eq!(to_string(&bools).unwrap(), "false: 0\ntrue: 1\n");
    let chars: BTreeMap<char, u8> = [('n', 0), ('x', 1)].into();
    assert_eq!(to_string(&chars).unwrap(), "\"n\": 0\nx: 1\n");
}

#[test]
fn non_scalar_keys_are_errors_and_leave_out_untouched() {
    let bad: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
    let mut out = b"keep\n".to_vec();
    let err = write(&[bad], &mut out).unwrap_err();
    assert!(
        err.to_string().contains("mapping key must be a scalar"),
        "{err}"
    );
    assert_eq!(out, b"keep\n");
}

#[test]
fn long_keys_use_the_explicit_form() {
    let long = "k".repeat(1200);
    let map: BTreeMap<&str, Vec<u8>> = [(long.as_str(), vec![1]), ("short", vec![])].into();
    let yaml = assert_round_trip(&map);
    assert_eq!(yaml, format!("? {long}\n:\n  - 1\nshort: []\n"));
    let yaml = assert_round_trip(&[&map]);
    assert_eq!(yaml, format!("- ? {long}\n  :\n    - 1\n  short: []\n"));
}

#[test]
fn bytes_are_integer_sequences() {
    struct Bytes(&'static [u8]);
    impl Serialize for Bytes {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    assert_eq!(to_string(&Bytes(b"\x01\xff")).unwrap(), "- 1\n- 255\n");
    assert_eq!(to_string(&Bytes(b"")).unwrap(), "[]\n");
}
