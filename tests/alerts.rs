//! Site alert channels end to end: `alert slack` reaches Alertmanager's receiver (the webhook
//! URL read from the mounted secret, never written), Argo Rollouts' notifications are
//! subscribed as with Discord, and a channel labc cannot deliver to is refused
//! (tests/fixtures/bad/alert_by_email.kdl).

use crate::support::{compile_objects, find, root};
use serde_yaml::Value;

/// The seed, with its Discord channel swapped for Slack (or both).
fn seed_with(alerts: &str) -> String {
    let seed = std::fs::read_to_string(root().join("site.kdl")).unwrap();
    let site = seed.replace("    alert discord secret=\"discord-webhook\"\n", alerts);
    assert_ne!(site, seed, "the seed's alert line moved");
    format!("{site}\nsecret slack-webhook namespace=\"monitoring\" {{\n    keys \"url\"\n}}\n")
}

fn alertmanager(objects: &[Value]) -> &Value {
    &find(objects, "Application", "kube-prometheus-stack")["spec"]["source"]["helm"]["valuesObject"]
        ["alertmanager"]
}

fn subscriptions(objects: &[Value]) -> usize {
    objects
        .iter()
        .filter(|o| o["kind"] == "Rollout")
        .flat_map(|r| {
            r["metadata"]["annotations"]
                .as_mapping()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|(k, _)| {
            k.as_str()
                .is_some_and(|k| k.starts_with("notifications.argoproj.io/subscribe."))
        })
        .count()
}

#[test]
fn slack_alerts_reach_alertmanager_and_rollout_notifications() {
    let objects = compile_objects(&seed_with("    alert slack secret=\"slack-webhook\"\n"));
    let am = alertmanager(&objects);
    assert_eq!(
        am["alertmanagerSpec"]["secrets"],
        Value::from(vec!["slack-webhook"])
    );
    let receivers = am["config"]["receivers"].as_sequence().unwrap();
    let chat = receivers.iter().find(|r| r["name"] == "chat").unwrap();
    assert_eq!(am["config"]["route"]["receiver"], "chat");
    // the operator mounts each listed secret at /etc/alertmanager/secrets/<name>/<key>
    assert_eq!(
        chat["slack_configs"][0]["api_url_file"],
        "/etc/alertmanager/secrets/slack-webhook/url"
    );
    assert!(chat["discord_configs"].is_null());
    // three triggers on each of the seed's two canaries, as with Discord
    assert_eq!(subscriptions(&objects), 6);
    let rollouts =
        &find(&objects, "Application", "argo-rollouts")["spec"]["source"]["helm"]["valuesObject"];
    assert!(rollouts["notifications"]["notifiers"]["service.alertmanager"].is_string());
}

#[test]
fn discord_and_slack_together_share_one_receiver_and_mount_each_secret_once() {
    let objects = compile_objects(&seed_with(
        "    alert discord secret=\"discord-webhook\"\n    alert slack secret=\"slack-webhook\"\n",
    ));
    let am = alertmanager(&objects);
    assert_eq!(
        am["alertmanagerSpec"]["secrets"],
        Value::from(vec!["discord-webhook", "slack-webhook"])
    );
    let chat = am["config"]["receivers"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "chat")
        .unwrap();
    assert_eq!(
        chat["discord_configs"][0]["webhook_url_file"],
        "/etc/alertmanager/secrets/discord-webhook/url"
    );
    assert_eq!(
        chat["slack_configs"][0]["api_url_file"],
        "/etc/alertmanager/secrets/slack-webhook/url"
    );
}

/// The seed with Falco's events also sent to Slack and a webhook at priority `error`, their
/// addresses in one declared secret.
fn seed_with_falco_outputs(keys: &str) -> String {
    let seed = std::fs::read_to_string(root().join("site.kdl")).unwrap();
    let site = seed.replace(
        "    falcosidekick {\n        outputs loki discord wazuh talon\n    }",
        "    falcosidekick outputs-secret=\"falco-outputs\" outputs-priority=\"error\" {\n        outputs loki discord wazuh talon slack webhook\n    }",
    );
    assert_ne!(site, seed, "the seed's falcosidekick moved");
    format!("{site}\nsecret falco-outputs namespace=\"falco\" {{\n    keys {keys}\n}}\n")
}

#[test]
fn falco_outputs_with_a_secret_get_their_priority_and_the_chart_reads_the_secret() {
    let objects = compile_objects(&seed_with_falco_outputs(
        "\"SLACK_WEBHOOKURL\" \"WEBHOOK_ADDRESS\"",
    ));
    let config = &find(&objects, "Application", "falcosidekick")["spec"]["source"]["helm"]
        ["valuesObject"]["config"];
    assert_eq!(config["existingSecret"], "falco-outputs");
    assert_eq!(config["slack"]["minimumpriority"], "error");
    assert_eq!(config["webhook"]["minimumpriority"], "error");
    // no address in the values: it comes from the secret
    assert!(config["slack"]["webhookurl"].is_null());
    assert!(config["teams"].is_null());
    // the chart's end: the secret's keys reach the container, after the chart's own Secret (a
    // later envFrom source wins), and the priority is what Falcosidekick reads
    let Some(rendered) = crate::canary::render(&objects, "falcosidekick", "falco_outputs") else {
        return;
    };
    let deployment = rendered
        .iter()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "falcosidekick")
        .expect("the Falcosidekick Deployment");
    let from: Vec<&str> = deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|f| f["secretRef"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(from, ["falcosidekick", "falco-outputs"]);
    let secret = rendered
        .iter()
        .find(|o| o["kind"] == "Secret" && o["metadata"]["name"] == "falcosidekick")
        .unwrap();
    use base64::Engine;
    let read = |key: &str| {
        let b64 = secret["data"][key]
            .as_str()
            .unwrap_or_else(|| panic!("no {key}"));
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(read("SLACK_MINIMUMPRIORITY"), "error");
    assert_eq!(read("WEBHOOK_MINIMUMPRIORITY"), "error");
    // every key the table asks the site's secret for is one the chart's Secret defines, so the
    // site's value replaces a variable Falcosidekick reads
    for output in labc::model::falco_outputs::SECRET_OUTPUTS {
        for key in output.keys {
            assert!(
                secret["data"][*key].is_string(),
                "{}: the chart has no {key}",
                output.name
            );
        }
    }
}
