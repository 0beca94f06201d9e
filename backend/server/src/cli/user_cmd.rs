//! `user add|list|remove|token`: the accounts of analysts and admins.

use super::serve_cmd::{runtime, DB};
use super::{to_json, Config};
use crate::accounts::{self, Role, MAX_PASSWORD};
use crate::error::{Error, Result};
use crate::server;
use clap::Subcommand;
use frontline_store::Store;
use std::io::Read;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; its API token is printed alone on the last line
    /// (shown once: only its hash is stored).
    Add {
        name: String,
        /// viewer (reads), editor (also reviews events and posts
        /// articles), admin (also manages users and feeds).
        #[arg(long, value_enum)]
        role: Role,
        /// Read the password from standard input (required: a password on
        /// the command line would be seen by other users of the machine).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts: name, role, when created, live sessions.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove an account, its token and its sessions.
    Remove { name: String },
    /// Give an account a new API token (printed alone on the last line);
    /// the old one stops working.
    Token { name: String },
}

pub fn user(config: &Config, command: UserCommand) -> Result<ExitCode> {
    server::init_logs("warn");
    let password = match &command {
        UserCommand::Add { password_stdin, .. } => Some(read_password(*password_stdin)?),
        _ => None,
    };
    let db = config.db_or(DB);
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        let result = run(&store, command, password).await;
        store.close().await;
        result
    })
}

async fn run(store: &Store, command: UserCommand, password: Option<String>) -> Result<ExitCode> {
    match command {
        UserCommand::Add { name, role, .. } => {
            let password = password.unwrap_or_default();
            let (user, token) = accounts::add_user(store, &name, role, &password).await?;
            say!("created user {} ({})", user.name, user.role);
            say!("API token (shown once, only its hash is kept):");
            say!("{token}");
        }
        UserCommand::List { json } => {
            let users = store.users().await?;
            if json {
                say!("{}", to_json(&users)?);
            } else if users.is_empty() {
                say!("no users; add one with `frontline user add NAME --role editor --password-stdin`");
            } else {
                for u in &users {
                    say!(
                        "{:<24} {:<7} created {}  {} live session{}",
                        u.name,
                        u.role,
                        u.created_at,
                        u.sessions,
                        if u.sessions == 1 { "" } else { "s" }
                    );
                }
            }
        }
        UserCommand::Remove { name } => {
            if !store.remove_user(&name).await? {
                return Err(Error::NotFound(format!("user {name:?}")));
            }
            say!("removed user {name}: its token and sessions no longer work");
        }
        UserCommand::Token { name } => {
            let token = accounts::replace_token(store, &name).await?;
            say!("new API token for {name} (the old one no longer works):");
            say!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The password from standard input, without its final line break.
fn read_password(from_stdin: bool) -> Result<String> {
    if !from_stdin {
        return Err(Error::Usage(
            "--password-stdin is required: the password is read from standard input \
             (e.g. `printf '%s' \"$PASSWORD\" | frontline user add NAME --role editor --password-stdin`)"
                .into(),
        ));
    }
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_PASSWORD as u64 + 3)
        .read_to_string(&mut text)
        .map_err(|e| Error::Usage(format!("reading the password from standard input: {e}")))?;
    let password = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text);
    accounts::check_password(password)?;
    Ok(password.to_string())
}
