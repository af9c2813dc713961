//! Typed configuration: defaults, then `tribuna.toml` (or `--config FILE`), then
//! `TRIBUNA_<SECTION>_<KEY>` environment variables (`TRIBUNA_SERVER_BIND`,
//! `TRIBUNA_DATABASE_URL`, ...). A bare `DATABASE_URL` is honoured too.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub data: DataSettings,
    pub web: WebSettings,
    pub auth: AuthSettings,
    pub log: LogSettings,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: SocketAddr,
    /// The URL people use; `https://` marks cookies Secure. Defaults to `http://localhost:<port>`.
    pub public_url: Option<String>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// Without one, `serve` provisions a local PostgreSQL cluster.
    pub url: Option<SecretString>,
    pub max_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url: None,
            max_connections: 10,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataSettings {
    /// Where Tribuna keeps its own files; default `$XDG_DATA_HOME/tribuna` or `~/.local/share/tribuna`.
    pub dir: Option<PathBuf>,
}

impl DataSettings {
    pub fn resolved_dir(&self) -> PathBuf {
        if let Some(dir) = &self.dir {
            return dir.clone();
        }
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from(".data"));
        base.join("tribuna")
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebSettings {
    /// The web client's folder (with `package.json`; served from its `dist/`).
    pub dir: PathBuf,
    /// Build the web client on start when `dist/` is missing.
    pub build: bool,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("web-client"),
            build: true,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    pub session_ttl_hours: i64,
    pub login_attempts_per_minute: u32,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            session_ttl_hours: 12,
            login_attempts_per_minute: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A tracing filter; `RUST_LOG` overrides it.
    pub filter: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            format: LogFormat::Pretty,
            filter: "info,sqlx=warn,tower_http=info".to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
}

impl Settings {
    /// Loads settings; `file` must exist when given, `tribuna.toml` is optional.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let path = match file {
            Some(f) if !f.exists() => return Err(ConfigError::MissingFile(f.to_owned())),
            Some(f) => f.to_owned(),
            None => PathBuf::from("tribuna.toml"),
        };
        Figment::new()
            .merge(Toml::file(path))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database.url".into()),
            )
            .merge(
                Env::prefixed("TRIBUNA_")
                    .ignore(&["CONFIG", "ADMIN_PASSWORD"])
                    .map(|key| key.as_str().replacen('_', ".", 1).into()),
            )
            .extract()
            .map_err(|e| ConfigError::Invalid(Box::new(e)))
    }

    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.server
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://localhost:{}", bound.port()))
    }
}

#[cfg(test)]
// figment::Jail's closures return its large error type; that is its API, not ours.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn file_then_environment_override_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "tribuna.toml",
                "[server]\nbind = \"0.0.0.0:9000\"\n[auth]\nsession_ttl_hours = 2\n",
            )?;
            jail.set_env("TRIBUNA_AUTH_SESSION_TTL_HOURS", "3");
            jail.set_env("TRIBUNA_DATABASE_URL", "postgres://u:secret@db/x");
            let s = Settings::load(None).expect("loads");
            assert_eq!(s.server.bind.port(), 9000);
            assert_eq!(s.auth.session_ttl_hours, 3);
            assert_eq!(s.auth.login_attempts_per_minute, 10);
            let url = s.database.url.as_ref().expect("url");
            assert_eq!(url.expose_secret(), "postgres://u:secret@db/x");
            assert!(
                !format!("{s:?}").contains("secret"),
                "secrets are never printed"
            );
            Ok(())
        });
    }

    #[test]
    fn a_misspelt_key_is_an_error_naming_it() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("TRIBUNA_SERVER_BINDD", "x");
            let err = Settings::load(None).expect_err("unknown key");
            assert!(err.to_string().contains("bindd"), "{err}");
            Ok(())
        });
    }
}
