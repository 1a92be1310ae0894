//! A throwaway PostgreSQL cluster, started once per test binary and stopped when the test process
//! is gone, however it ends.
//!
//! `initdb` and `postgres` refuse to run as root, and CI runs as root: then every cluster command
//! runs as the `postgres` system user through `runuser`, in a temporary directory that user owns.
//! The test harness never runs destructors of statics, and a killed process runs nothing at all, so
//! the stopping is left to a small watchdog shell started alongside: it polls for the test process
//! and, once it is gone, stops the cluster and removes its directory.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use sqlx::{Connection, Executor, PgConnection};

/// What `NAVIGATOR_TEST_POSTGRES` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// `require` (CI): PostgreSQL tests run, and fail when the binaries are missing.
    Require,
    /// Unset: run them when the binaries are installed, skip them with a notice otherwise.
    IfInstalled,
    /// `skip`.
    Skip,
}

impl Policy {
    pub const VARIABLE: &'static str = "NAVIGATOR_TEST_POSTGRES";

    pub fn from_env() -> Policy {
        match std::env::var(Self::VARIABLE).as_deref() {
            Ok("require") => Policy::Require,
            Ok("skip") => Policy::Skip,
            Ok("") | Err(_) => Policy::IfInstalled,
            Ok(other) => panic!(
                "{}={other} is not understood: use `require`, `skip` or leave it unset",
                Self::VARIABLE
            ),
        }
    }
}

/// The running cluster of this test process.
#[derive(Debug)]
pub struct Cluster {
    port: u16,
}

impl Cluster {
    /// The cluster, started on first use; `None` when PostgreSQL tests are to be skipped (a notice
    /// says so once). Panics, in every PostgreSQL test, when the cluster was required or installed
    /// and could not start.
    pub fn shared() -> Option<&'static Cluster> {
        static CLUSTER: OnceLock<Result<Option<Cluster>, String>> = OnceLock::new();
        match CLUSTER.get_or_init(|| Cluster::start_as_policy_says(Policy::from_env())) {
            Ok(cluster) => cluster.as_ref(),
            Err(message) => panic!("{message}"),
        }
    }

    fn start_as_policy_says(policy: Policy) -> Result<Option<Cluster>, String> {
        if policy == Policy::Skip {
            notice(&format!(
                "PostgreSQL tests skipped: {}=skip",
                Policy::VARIABLE
            ));
            return Ok(None);
        }
        match find_binaries() {
            Some(bin) => Cluster::start(&bin).map(Some),
            None if policy == Policy::Require => Err(format!(
                "{}=require but no PostgreSQL server binaries (initdb, pg_ctl) were found in \
                 /usr/lib/postgresql/*/bin or PATH: `apt-get install postgresql`",
                Policy::VARIABLE
            )),
            None => {
                notice(&format!(
                    "PostgreSQL tests skipped: no initdb/pg_ctl in /usr/lib/postgresql/*/bin or \
                     PATH (set {}=require to make this an error)",
                    Policy::VARIABLE
                ));
                Ok(None)
            }
        }
    }

    fn start(bin: &Path) -> Result<Cluster, String> {
        let owner = Owner::detect()?;
        let dir = tempfile::Builder::new()
            .prefix("navigator-tests-pg-")
            .tempdir()
            .map_err(|e| format!("cannot make the cluster's directory: {e}"))?
            // From here on the watchdog removes it.
            .keep();
        owner.give(&dir)?;
        let data = dir.join("data");
        let log = dir.join("postgres.log");
        let pg_ctl = bin.join("pg_ctl");
        start_watchdog(&owner, &pg_ctl, &data, &dir)?;

        run(owner
            .command(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "--encoding=UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync", "--no-instructions"]))?;

        // A free port can be taken by someone else before the server binds it: try a few.
        let mut last_error = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=500 \
                 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                dir.display()
            );
            let started = run(owner
                .command(&pg_ctl)
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "-o", &options, "start"]));
            match started {
                Ok(()) => return Ok(Cluster { port }),
                Err(e) => {
                    let tail = std::fs::read_to_string(&log).unwrap_or_default();
                    let tail: Vec<&str> = tail.lines().rev().take(10).collect();
                    last_error = format!(
                        "{e}\n{}",
                        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                    );
                }
            }
        }
        Err(format!(
            "the PostgreSQL cluster did not start: {last_error}"
        ))
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// A new empty database; returns its URL.
    pub async fn create_database(&self, name: &str) -> String {
        self.admin(&format!(r#"CREATE DATABASE "{name}""#)).await;
        self.url(name)
    }

    /// Drops a test's database, closing the connections its server still holds.
    pub async fn drop_database(&self, name: &str) {
        self.admin(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
            .await;
    }

    async fn admin(&self, statement: &str) {
        let mut connection = PgConnection::connect(&self.url("postgres"))
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the test cluster: {e}"));
        connection
            .execute(statement)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
        // The server closes its side anyway; a failed goodbye changes nothing for the test.
        let _ = connection.close().await;
    }
}

/// Who runs the cluster: this user, or `postgres` when this user is root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Me,
    PostgresUser,
}

impl Owner {
    fn detect() -> Result<Owner, String> {
        let output = Command::new("id")
            .arg("-u")
            .output()
            .map_err(|e| format!("cannot run `id -u`: {e}"))?;
        let uid = String::from_utf8_lossy(&output.stdout);
        Ok(if uid.trim() == "0" {
            Owner::PostgresUser
        } else {
            Owner::Me
        })
    }

    fn command(self, program: &Path) -> Command {
        let mut command = match self {
            Owner::Me => Command::new(program),
            Owner::PostgresUser => {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            }
        };
        command.stdin(Stdio::null());
        command
    }

    fn give(self, dir: &Path) -> Result<(), String> {
        match self {
            Owner::Me => Ok(()),
            Owner::PostgresUser => run(Command::new("chown").arg("postgres:postgres").arg(dir)),
        }
    }
}

/// The directory of `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/*/bin` (Debian), or
/// the first directory of `PATH` that has both.
fn find_binaries() -> Option<PathBuf> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_both(bin))
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin);
    debian.or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).find(|dir| has_both(dir))
    })
}

/// Stops the cluster and removes `dir` once this process is gone. Signals that end the test run
/// from the terminal reach the whole process group, so the watchdog ignores them: its job starts
/// when they have done theirs.
fn start_watchdog(owner: &Owner, pg_ctl: &Path, data: &Path, dir: &Path) -> Result<(), String> {
    const SCRIPT: &str = r#"
trap '' INT TERM HUP QUIT
while kill -0 "$1" 2>/dev/null; do sleep 1; done
if [ "$5" = postgres ]; then
    runuser -u postgres -- "$2" -D "$3" -m immediate stop
else
    "$2" -D "$3" -m immediate stop
fi
rm -rf "$4"
"#;
    let runs_as = match owner {
        Owner::Me => "me",
        Owner::PostgresUser => "postgres",
    };
    Command::new("sh")
        .args(["-c", SCRIPT, "navigator-tests-pg-watchdog"])
        .arg(std::process::id().to_string())
        .arg(pg_ctl)
        .arg(data)
        .arg(dir)
        .arg(runs_as)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| format!("cannot start the cluster's watchdog: {e}"))
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// Printed past the test harness's capture, so that a skip is seen even when every test passes.
fn notice(message: &str) {
    let _ = writeln!(std::io::stderr(), "notice: {message}");
}
