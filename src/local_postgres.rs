//! Zero-configuration PostgreSQL: finds (or installs) Debian's PostgreSQL,
//! starts a cluster, and provisions a `tribuna` role and database whose
//! password lives in the data directory (mode 0600).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};
use rand::RngCore;
use secrecy::SecretString;
use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Postgres};

const ROLE: &str = "tribuna";
const DATABASE: &str = "tribuna";

#[derive(Debug)]
struct Cluster {
    version: String,
    name: String,
    port: u16,
    online: bool,
}

/// Returns the URL of a local database that is up, with migrations not yet run.
pub async fn ensure(data_dir: &Path) -> anyhow::Result<SecretString> {
    let cluster = match clusters()? {
        Some(list) => list,
        None => {
            install()?;
            clusters()?.context("PostgreSQL was installed but pg_lsclusters still fails")?
        }
    };
    let cluster = match cluster.into_iter().next() {
        Some(c) => c,
        None => create_cluster()?,
    };
    if !cluster.online {
        tracing::info!(version = %cluster.version, cluster = %cluster.name, "starting PostgreSQL");
        run(Command::new("pg_ctlcluster").args([&cluster.version, &cluster.name, "start"]))?;
    }
    let password = password(data_dir)?;
    let options = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(cluster.port)
        .username(ROLE)
        .password(&password)
        .database(DATABASE);
    let url = options.to_url_lossy().to_string();
    if options
        .clone()
        .database("postgres")
        .connect()
        .await
        .is_err()
    {
        tracing::info!(port = cluster.port, "provisioning the tribuna role");
        provision_role(cluster.port, &password)?;
    }
    if !Postgres::database_exists(&url)
        .await
        .context("checking for the tribuna database")?
    {
        tracing::info!("creating the tribuna database");
        Postgres::create_database(&url)
            .await
            .context("creating the tribuna database")?;
    }
    Ok(SecretString::from(url))
}

/// `None` when PostgreSQL's cluster tools are not installed.
fn clusters() -> anyhow::Result<Option<Vec<Cluster>>> {
    let out = match Command::new("pg_lsclusters").arg("--no-header").output() {
        Ok(out) if out.status.success() => out,
        Ok(_) | Err(_) if !server_installed() => return Ok(None),
        Ok(out) => bail!(
            "pg_lsclusters failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => bail!("pg_lsclusters: {e}"),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let found = text
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            Some(Cluster {
                version: f.first()?.to_string(),
                name: f.get(1)?.to_string(),
                port: f.get(2)?.parse().ok()?,
                online: f.get(3)?.starts_with("online"),
            })
        })
        .collect();
    Ok(Some(found))
}

fn server_installed() -> bool {
    std::fs::read_dir("/usr/lib/postgresql")
        .map(|mut d| {
            d.any(|e| {
                e.map(|e| e.path().join("bin/postgres").exists())
                    .unwrap_or(false)
            })
        })
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn install() -> anyhow::Result<()> {
    if !is_root() || !Path::new("/usr/bin/apt-get").exists() {
        bail!("PostgreSQL is not installed: install Debian's `postgresql` package, or set TRIBUNA_DATABASE_URL");
    }
    tracing::info!("installing PostgreSQL with apt-get (once)");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    let install = || apt(&["install", "-y", "-q", "postgresql"]);
    // A fresh machine may have no package lists yet: update once and retry.
    let installed = install() || (apt(&["update", "-q"]) && install());
    if !installed {
        bail!("could not install PostgreSQL with apt-get; install `postgresql` by hand or set TRIBUNA_DATABASE_URL");
    }
    Ok(())
}

fn create_cluster() -> anyhow::Result<Cluster> {
    let mut versions: Vec<String> = std::fs::read_dir("/usr/lib/postgresql")
        .context("no /usr/lib/postgresql")?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    versions.sort_by_key(|v| v.parse::<u32>().unwrap_or(0));
    let version = versions
        .pop()
        .context("no PostgreSQL server version installed")?;
    tracing::info!(%version, "creating PostgreSQL cluster main");
    run(Command::new("pg_createcluster").args([&version, "main"]))?;
    clusters()?
        .and_then(|c| c.into_iter().next())
        .context("pg_createcluster made no cluster")
}

fn password(data_dir: &Path) -> anyhow::Result<String> {
    let path: PathBuf = data_dir.join("postgres-password");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if !existing.trim().is_empty() {
            return Ok(existing.trim().to_owned());
        }
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let password = hex::encode(bytes);
    let mut file = open_private(&path)?;
    file.write_all(password.as_bytes())?;
    Ok(password)
}

#[cfg(unix)]
fn open_private(path: &Path) -> anyhow::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))
}

/// Creates or updates the role as the `postgres` superuser; the password goes
/// through stdin, never the command line.
fn provision_role(port: u16, password: &str) -> anyhow::Result<()> {
    let psql = [
        "psql",
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-d",
        "postgres",
        "-p",
        &port.to_string(),
    ]
    .map(str::to_owned);
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).args(&psql);
        c
    } else {
        let mut c = Command::new("sudo");
        c.args(["-n", "-u", "postgres"]).args(&psql);
        c
    };
    let sql = format!(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN
             CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{password}';
           ELSE
             ALTER ROLE {ROLE} LOGIN CREATEDB PASSWORD '{password}';
           END IF;
         END $$;"
    );
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("running psql as the postgres user")?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(sql.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "could not create the tribuna role as the postgres user ({}); set TRIBUNA_DATABASE_URL instead",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
