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
