//! Counts the conversations of a Chatwoot account by status.

use std::collections::BTreeMap;
use std::process::ExitCode;

use chatdesk::chatwoot;
use futures::TryStreamExt;

/// Every conversation of the account, whatever its status, counted by status.
async fn count_by_status(
    client: &chatwoot::Client,
    account_id: i64,
) -> Result<BTreeMap<String, usize>, chatdesk::Error> {
    let mut counts = BTreeMap::new();
    let mut conversations = client
        .conversations(account_id)
        .status(chatwoot::Status::All)
        .stream();
    while let Some(conversation) = conversations.try_next().await? {
        *counts.entry(conversation.status.to_string()).or_default() += 1;
    }
    Ok(counts)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}"); // what happened, and what to do
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let variable = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let client = chatwoot::Client::builder()
        .base_url(variable("CHATWOOT_BASE_URL")?) // https://app.chatwoot.com, or your server
        .api_access_token(variable("CHATWOOT_API_ACCESS_TOKEN")?) // Profile settings → Access Token
        .build()?;
    let account_id = variable("CHATWOOT_ACCOUNT_ID")?.parse()?; // the number after /app/accounts/
    for (status, count) in count_by_status(&client, account_id).await? {
        println!("{status}: {count}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatdesk_fake::FakeChatwoot;

    /// No account needed: a fake Chatwoot server on 127.0.0.1 with 120
    /// conversations in account 1.
    #[tokio::test]
    async fn counts_every_conversation() -> Result<(), Box<dyn std::error::Error>> {
        let fake = FakeChatwoot::builder().conversations(120).start().await?;
        let client = chatwoot::Client::builder()
            .base_url(fake.base_url())
            .api_access_token(fake.token())
            .build()?;
        let counts = count_by_status(&client, 1).await?;
        assert_eq!(counts.values().sum::<usize>(), 120);
        Ok(())
    }
}
