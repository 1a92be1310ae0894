//! Settings, layered: built-in defaults, then the environment.
//!
//! | variable | default |
//! |---|---|
//! | `NAVIGATOR_ADDR` | `127.0.0.1:8080` |
//! | `DATABASE_URL` | `sqlite:data/navigator.db?mode=rwc` |
//! | `NAVIGATOR_JWT_SECRET` | random, kept in `data/jwt-secret` (mode 0600) |
//! | `NAVIGATOR_SPA_DIR` | `frontend/dist` |
//! | `NAVIGATOR_LOG` | `info` |
//! | `NAVIGATOR_SEED` | `true`: seed demo data into an empty database |
//! | `NAVIGATOR_LOG_FORMAT` | `text`; `json` for one JSON object per line |
//! | `NAVIGATOR_METRICS_TOKEN` | unset: `/metrics` answers loopback clients only |

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

/// Where the default database and the generated JWT secret live, relative to the current directory.
pub const DATA_DIR: &str = "data";

/// HS256 keys shorter than the hash itself (256 bits) weaken it.
const MIN_SECRET_LEN: usize = 32;

/// A value that must not end up in logs: `Debug` shows only that it is there.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `host:port` to listen on; port 0 picks a free port.
    pub addr: String,
    /// `postgres://…` or `sqlite:…`; secret because it may carry a password.
    pub database_url: Secret,
    /// Signs the access tokens (HS256).
    pub jwt_secret: Secret,
    /// The built SPA (`index.html`, the wasm and its glue).
    pub spa_dir: PathBuf,
    /// A `tracing` filter such as `info` or `navigator_server=debug,info`.
    pub log_filter: String,
    /// Seed demo data when the database is empty.
    pub seed: bool,
    /// How long a waitlist offer holds its seat.
    pub offer_lifetime: chrono::Duration,
    /// How often the server's background tasks run (the notification dispatcher, the sweep of
    /// expired waitlist offers); `None` runs none (tests run them on demand).
    pub task_interval: Option<std::time::Duration>,
    /// The address families open, for links in letters.
    pub public_url: String,
    /// How log lines are written.
    pub log_format: LogFormat,
    /// The bearer token that reads `/metrics` from anywhere; without one, loopback clients only.
    pub metrics_token: Option<Secret>,
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// For people: one line per event, colours on a terminal.
    Text,
    /// For log collectors: one JSON object per line.
    Json,
}

/// The address families open, for links in letters; handlers get it as app data.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub String);

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{name}: {message}")]
    Invalid { name: &'static str, message: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl Settings {
    /// The store's part of the settings.
    pub fn store(&self) -> navigator_store::StoreSettings {
        navigator_store::StoreSettings {
            offer_lifetime: self.offer_lifetime,
        }
    }

    /// Defaults overridden by the process environment; creates `data/` and the JWT secret file
    /// when the defaults need them.
    pub fn from_env() -> Result<Settings, SettingsError> {
        Settings::load(|name| std::env::var(name).ok(), Path::new(DATA_DIR))
    }

    /// Settings for integration tests: a free port, a fixed JWT secret, no demo data.
    pub fn for_tests(database_url: impl Into<String>) -> Settings {
        Settings {
            addr: "127.0.0.1:0".into(),
            database_url: Secret::new(database_url),
            jwt_secret: Secret::new("navigator-integration-tests-jwt-secret-0123456789"),
            spa_dir: default_spa_dir(),
            log_filter: "warn".into(),
            seed: false,
            offer_lifetime: navigator_domain::waitlist::DEFAULT_OFFER_LIFETIME,
            task_interval: None,
            public_url: "http://127.0.0.1".into(),
            log_format: LogFormat::Text,
            metrics_token: None,
        }
    }

    /// `var` looks a variable up; empty values count as unset.
    fn load(
        var: impl Fn(&str) -> Option<String>,
        data_dir: &Path,
    ) -> Result<Settings, SettingsError> {
        let var = |name: &str| var(name).filter(|value| !value.trim().is_empty());

        let database_url = match var("DATABASE_URL") {
            Some(url) => url,
            None => {
                create_dir(data_dir)?;
                format!("sqlite:{}/navigator.db?mode=rwc", data_dir.display())
            }
        };
        let jwt_secret = match var("NAVIGATOR_JWT_SECRET") {
            Some(secret) if secret.len() < MIN_SECRET_LEN => {
                return Err(SettingsError::Invalid {
                    name: "NAVIGATOR_JWT_SECRET",
                    message: format!("must be at least {MIN_SECRET_LEN} characters"),
                })
            }
            Some(secret) => secret,
            None => persisted_secret(data_dir)?,
        };
        let seed = match var("NAVIGATOR_SEED") {
            Some(value) => parse_bool(&value).ok_or_else(|| SettingsError::Invalid {
                name: "NAVIGATOR_SEED",
                message: format!("expected true or false, got {value:?}"),
            })?,
            None => true,
        };
        let offer_lifetime = match var("NAVIGATOR_OFFER_LIFETIME_HOURS") {
            Some(value) => match value.trim().parse::<i64>() {
                Ok(hours) if (1..=24 * 30).contains(&hours) => chrono::Duration::hours(hours),
                _ => {
                    return Err(SettingsError::Invalid {
                        name: "NAVIGATOR_OFFER_LIFETIME_HOURS",
                        message: format!("expected whole hours from 1 to 720, got {value:?}"),
                    })
                }
            },
            None => navigator_domain::waitlist::DEFAULT_OFFER_LIFETIME,
        };
        let task_interval = match var("NAVIGATOR_TASK_INTERVAL_SECONDS") {
            Some(value) => match value.trim().parse::<u64>() {
                Ok(0) => None,
                Ok(seconds) => Some(std::time::Duration::from_secs(seconds)),
                Err(_) => {
                    return Err(SettingsError::Invalid {
                        name: "NAVIGATOR_TASK_INTERVAL_SECONDS",
                        message: format!("expected whole seconds (0: off), got {value:?}"),
                    })
                }
            },
            None => Some(std::time::Duration::from_secs(60)),
        };
        let addr = var("NAVIGATOR_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let public_url = var("NAVIGATOR_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        let log_format = match var("NAVIGATOR_LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(SettingsError::Invalid {
                    name: "NAVIGATOR_LOG_FORMAT",
                    message: format!("expected text or json, got {other:?}"),
                })
            }
        };
        Ok(Settings {
            addr,
            database_url: Secret::new(database_url),
            jwt_secret: Secret::new(jwt_secret),
            spa_dir: var("NAVIGATOR_SPA_DIR").map_or_else(default_spa_dir, PathBuf::from),
            log_filter: var("NAVIGATOR_LOG").unwrap_or_else(|| "info".into()),
            seed,
            offer_lifetime,
            task_interval,
            public_url,
            log_format,
            metrics_token: var("NAVIGATOR_METRICS_TOKEN").map(Secret::new),
        })
    }
}

/// `frontend/dist` under the current directory when it is there (running from the repository
/// root or a release layout), otherwise the one of the source tree this binary was built from
/// (running `cargo run` from a crate directory).
fn default_spa_dir() -> PathBuf {
    let relative = PathBuf::from("frontend/dist");
    if relative.is_dir() {
        relative
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/dist"))
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn create_dir(dir: &Path) -> Result<(), SettingsError> {
    fs::create_dir_all(dir).map_err(|source| SettingsError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// The JWT secret kept in `data_dir/jwt-secret`, generated on first use, so that tokens survive
/// restarts without anyone having to configure a secret.
fn persisted_secret(data_dir: &Path) -> Result<String, SettingsError> {
    let path = data_dir.join("jwt-secret");
    let io_error = |source| SettingsError::Io {
        path: path.clone(),
        source,
    };
    match fs::read_to_string(&path) {
        Ok(contents) => return checked_persisted_secret(&path, contents),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(e)),
    }

    create_dir(data_dir)?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    match create_private_file(&path) {
        Ok(mut file) => {
            file.write_all(secret.as_bytes()).map_err(io_error)?;
            Ok(secret)
        }
        // Another process created it between our read and our write: use theirs.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let contents = fs::read_to_string(&path).map_err(io_error)?;
            checked_persisted_secret(&path, contents)
        }
        Err(e) => Err(io_error(e)),
    }
}

fn checked_persisted_secret(path: &Path, contents: String) -> Result<String, SettingsError> {
    let secret = contents.trim();
    if secret.len() < MIN_SECRET_LEN {
        return Err(SettingsError::Invalid {
            name: "NAVIGATOR_JWT_SECRET",
            message: format!(
                "{} holds fewer than {MIN_SECRET_LEN} characters; delete it to generate a new secret",
                path.display()
            ),
        });
    }
    Ok(secret.to_owned())
}

/// Creates a new file readable and writable by the owner only.
fn create_private_file(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn scratch_dir() -> PathBuf {
        std::env::temp_dir().join(format!("navigator-settings-{}", uuid::Uuid::new_v4()))
    }

    fn load(vars: &[(&str, &str)], data_dir: &Path) -> Result<Settings, SettingsError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::load(|name| vars.get(name).cloned(), data_dir)
    }

    #[test]
    fn defaults_create_the_data_dir_and_a_private_secret_that_survives_restarts() {
        let dir = scratch_dir();
        let first = load(&[], &dir).expect("defaults load");
        assert_eq!(first.addr, "127.0.0.1:8080");
        assert_eq!(
            first.database_url.expose(),
            format!("sqlite:{}/navigator.db?mode=rwc", dir.display())
        );
        assert!(first.seed);
        assert_eq!(first.log_filter, "info");
        assert!(first.jwt_secret.expose().len() >= MIN_SECRET_LEN);

        let second = load(&[], &dir).expect("defaults load again");
        assert_eq!(first.jwt_secret, second.jwt_secret);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join("jwt-secret"))
                .expect("secret file exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        fs::remove_dir_all(&dir).expect("scratch dir removed");
    }

    #[test]
    fn the_environment_overrides_the_defaults() {
        let dir = scratch_dir();
        let settings = load(
            &[
                ("NAVIGATOR_ADDR", "0.0.0.0:9000"),
                (
                    "DATABASE_URL",
                    "postgres://navigator:pw@localhost/navigator",
                ),
                (
                    "NAVIGATOR_JWT_SECRET",
                    "an-operator-chosen-secret-of-enough-length",
                ),
                ("NAVIGATOR_SPA_DIR", "/srv/spa"),
                ("NAVIGATOR_LOG", "debug"),
                ("NAVIGATOR_SEED", "off"),
                ("NAVIGATOR_LOG_FORMAT", "json"),
                ("NAVIGATOR_METRICS_TOKEN", "scrape-token"),
            ],
            &dir,
        )
        .expect("settings load");
        assert_eq!(settings.log_format, LogFormat::Json);
        assert_eq!(
            settings.metrics_token.as_ref().map(Secret::expose),
            Some("scrape-token")
        );
        assert_eq!(settings.addr, "0.0.0.0:9000");
        assert_eq!(settings.spa_dir, PathBuf::from("/srv/spa"));
        assert_eq!(settings.log_filter, "debug");
        assert!(!settings.seed);
        // Nothing needed the data directory.
        assert!(!dir.exists());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let settings = Settings::for_tests("postgres://navigator:hunter2@localhost/db");
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains(settings.jwt_secret.expose()));
    }

    #[test]
    fn bad_values_are_refused() {
        let dir = scratch_dir();
        let short = load(&[("NAVIGATOR_JWT_SECRET", "short")], &dir);
        assert!(matches!(
            short,
            Err(SettingsError::Invalid {
                name: "NAVIGATOR_JWT_SECRET",
                ..
            })
        ));
        let seed = load(
            &[
                (
                    "NAVIGATOR_JWT_SECRET",
                    "an-operator-chosen-secret-of-enough-length",
                ),
                ("DATABASE_URL", "sqlite::memory:"),
                ("NAVIGATOR_SEED", "maybe"),
            ],
            &dir,
        );
        assert!(matches!(
            seed,
            Err(SettingsError::Invalid {
                name: "NAVIGATOR_SEED",
                ..
            })
        ));
    }
}
