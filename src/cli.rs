//! The command line: `tribuna serve | migrate | admin create | audit verify | db url`.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use tribuna_api::accounts::{self, NewAccount};
use tribuna_api::auth::hash_password;
use tribuna_api::domain::{DisplayName, Email, Password, Role};

use crate::config::Settings;
use crate::startup::{self, Application};
use crate::{local_postgres, telemetry, web};

#[derive(Parser)]
#[command(
    name = "tribuna",
    version,
    about = "Paid legal video consultations, with Legal Mode recordings"
)]
struct Cli {
    /// Configuration file (default: ./tribuna.toml when present).
    #[arg(long, global = true, env = "TRIBUNA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole product: API, web client and (later) signaling, SFU and recorder.
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Administrators' accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Verify an opened Legal Mode bundle offline: signature, every segment's SHA-256,
    /// the hash chain's order and links. Exits 1 naming the first problem.
    Verify {
        /// The bundle directory (manifest.json, manifest.sig, signer.pub, segments/).
        bundle: PathBuf,
        /// The server's signing key (hex) the bundle must be signed with.
        #[arg(long)]
        signer: Option<String>,
        /// The timestamp authority's root certificate (PEM) to check manifest.tsr against.
        #[arg(long)]
        tsa_root: Option<PathBuf>,
    },
    /// The custody vault: key pairs, and sealing and opening files.
    Vault {
        #[command(subcommand)]
        command: VaultCommand,
    },
    /// Print the HTTP API's OpenAPI document (JSON), e.g. to generate the web client's types.
    Openapi,
    /// The database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an ADMIN account (the only way to make one). The password is read
    /// from TRIBUNA_ADMIN_PASSWORD or the first line of standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and name the first bad row; exits 1 when the chain is broken.
    Verify,
}

#[derive(Subcommand)]
enum VaultCommand {
    /// Make a vault key pair, on the machine where recordings will be opened.
    /// Writes DIR/vault.key (secret, mode 0600) and DIR/vault.pub (for the server's configuration).
    /// With --shares N --threshold T (dual control), the secret is written only as N shares,
    /// DIR/share-1.key … DIR/share-N.key, any T of which open a recording; hand each to a different admin.
    Keygen {
        #[arg(long, default_value = ".")]
        out: PathBuf,
        #[arg(long, requires = "threshold")]
        shares: Option<u8>,
        #[arg(long, requires = "shares")]
        threshold: Option<u8>,
    },
    /// Seal a file to one or more vault public keys (what the recorder does).
    Seal {
        /// Public key files (`vault.pub`).
        #[arg(long = "to", required = true)]
        to: Vec<PathBuf>,
        input: PathBuf,
        output: PathBuf,
    },
    /// Open a sealed file with a vault secret key; or a sealed bundle (the `.tar` an admin
    /// downloads, or a directory of `.sealed` files) into the directory OUTPUT.
    Open {
        /// The secret key file, or (dual control) as many share files as the key's threshold.
        #[arg(long, required = true)]
        key: Vec<PathBuf>,
        input: PathBuf,
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Print the database URL, provisioning the local PostgreSQL when none is configured.
    Url,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(cli.command, settings)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = startup::database(&settings).await?;
            startup::migrate(&db).await?;
            println!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin {
            command: AdminCommand::Create { email, name },
        } => create_admin(settings, &email, &name).await,
        Command::Audit {
            command: AuditCommand::Verify,
        } => verify_audit(settings).await,
        Command::Verify {
            bundle,
            signer,
            tsa_root,
        } => Ok(crate::vault_cli::verify(
            &bundle,
            signer.as_deref(),
            tsa_root.as_deref(),
        )),
        Command::Vault { command } => crate::vault_cli::run(command_to_action(command)),
        Command::Openapi => {
            println!("{}", tribuna_api::openapi().to_pretty_json()?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Db {
            command: DbCommand::Url,
        } => {
            let url = match settings.database.url {
                Some(url) => url,
                None => local_postgres::ensure(&settings.data.resolved_dir()).await?,
            };
            println!("{}", url.expose_secret());
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    if settings.web.build {
        web::ensure_built(&settings.web.dir)?;
    }
    let db = startup::database(&settings).await?;
    startup::migrate(&db).await?;
    let app = Application::build(&settings, db).await?;
    let url = settings.public_url(app.addr);
    if let Some(stand_in) = &app.stand_in {
        println!("Stripe: no keys configured, so payments go to the local Stripe stand-in at {} (not Stripe)", stand_in.base_url);
    }
    tracing::info!(%url, bind = %app.addr, "Tribuna is up");
    println!("Tribuna is running at {url}");
    app.run(shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down");
}

async fn create_admin(settings: Settings, email: &str, name: &str) -> anyhow::Result<ExitCode> {
    let email = Email::parse(email)?;
    let display_name = DisplayName::parse(name)?;
    let raw = match std::env::var("TRIBUNA_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("password (one line on standard input):");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let password_hash = hash_password(Password::parse(raw)?).await?;
    let db = startup::database(&settings).await?;
    startup::migrate(&db).await?;
    let mut tx = db.begin().await?;
    let new = NewAccount {
        email,
        password_hash,
        display_name,
        role: Role::Admin,
    };
    let account = accounts::create(&mut tx, new, None, chrono::Utc::now()).await?;
    tx.commit().await?;
    println!("admin {} created ({})", account.email, account.id);
    Ok(ExitCode::SUCCESS)
}

async fn verify_audit(settings: Settings) -> anyhow::Result<ExitCode> {
    let db = startup::database(&settings).await?;
    let report = tribuna_api::audit::verify(&db, |n| eprintln!("… {n} rows verified")).await?;
    if report.intact {
        println!(
            "audit log intact: {} rows, head {}",
            report.rows_checked, report.head_hash
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "audit log BROKEN at row {}: {}",
            report.first_bad_seq.unwrap_or_default(),
            report.problem.unwrap_or_default()
        );
        Ok(ExitCode::FAILURE)
    }
}

fn command_to_action(c: VaultCommand) -> crate::vault_cli::Action {
    use crate::vault_cli::Action;
    match c {
        VaultCommand::Keygen {
            out,
            shares,
            threshold,
        } => Action::Keygen {
            out,
            split: shares.zip(threshold),
        },
        VaultCommand::Seal { to, input, output } => Action::Seal { to, input, output },
        VaultCommand::Open { key, input, output } => Action::Open { key, input, output },
    }
}
