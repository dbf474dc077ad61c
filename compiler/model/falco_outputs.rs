//! Falcosidekick's outputs that post to an address with a credential: which environment
//! variables the chart's `config.existingSecret` must hold for each. Falcosidekick reads its
//! whole configuration from the environment (`<OUTPUT>_<KEY>`, as the chart's own Secret
//! writes it), and the chart adds `existingSecret` after its own Secret in `envFrom`, so these
//! keys win over the chart's empty defaults. One row per output; adding one is a row here and
//! a word in the component's `outputs` values (stdlib/components/falcosidekick.kdl).

/// An output and the keys of the site's outputs secret it needs.
#[derive(Debug)]
pub struct SecretOutput {
    pub name: &'static str,
    pub keys: &'static [&'static str],
}

pub const SECRET_OUTPUTS: &[SecretOutput] = &[
    SecretOutput {
        name: "googlechat",
        keys: &["GOOGLECHAT_WEBHOOKURL"],
    },
    SecretOutput {
        name: "mattermost",
        keys: &["MATTERMOST_WEBHOOKURL"],
    },
    SecretOutput {
        name: "rocketchat",
        keys: &["ROCKETCHAT_WEBHOOKURL"],
    },
    SecretOutput {
        name: "slack",
        keys: &["SLACK_WEBHOOKURL"],
    },
    SecretOutput {
        name: "smtp",
        keys: &[
            "SMTP_HOSTPORT",
            "SMTP_FROM",
            "SMTP_TO",
            "SMTP_USER",
            "SMTP_PASSWORD",
        ],
    },
    SecretOutput {
        name: "teams",
        keys: &["TEAMS_WEBHOOKURL"],
    },
    SecretOutput {
        name: "webhook",
        keys: &["WEBHOOK_ADDRESS"],
    },
];

pub fn secret_output(name: &str) -> Option<&'static SecretOutput> {
    SECRET_OUTPUTS.iter().find(|o| o.name == name)
}
