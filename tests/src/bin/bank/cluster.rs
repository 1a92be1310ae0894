//! A PostgreSQL cluster of the bank test's own, which it can crash and start again.
//!
//! Unlike the shared cluster of the API tests, this one keeps `synchronous_commit` on: a commit
//! acknowledged to the server must survive `pg_ctl -m immediate stop`, and that is what the test
//! checks. `fsync` stays off: the fault is a killed process, not a lost machine, so what the
//! kernel already holds survives it either way. As root, every cluster command runs as the
//! `postgres` system user (initdb and postgres refuse root).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Failure;

pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
    port: u16,
}

impl Cluster {
    /// initdb and start in a new directory under `parent`.
    pub fn start(parent: &Path) -> Result<Cluster, Failure> {
        let bin = find_binaries().ok_or("no PostgreSQL server binaries (initdb, pg_ctl)")?;
        let as_postgres = is_root()?;
        let dir = parent.join("pg");
        std::fs::create_dir_all(&dir)?;
        if as_postgres {
            run(Command::new("chown")
                .arg("-R")
                .arg("postgres:postgres")
                .arg(parent))?;
        }
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let cluster = Cluster {
            bin,
            dir,
            as_postgres,
            port,
        };
        run(cluster
            .command("initdb")
            .arg("-D")
            .arg(cluster.data())
            .args(["-U", "postgres", "--auth=trust", "--encoding=UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync", "--no-instructions"]))?;
        cluster.start_server()?;
        run(Command::new(cluster.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                "CREATE DATABASE bank",
            ])
            .arg("-p")
            .arg(cluster.port.to_string()))?;
        Ok(cluster)
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/bank", self.port)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Starts the server on the cluster's port and waits until it accepts connections (crash
    /// recovery included).
    pub fn start_server(&self) -> Result<(), Failure> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off \
             -c synchronous_commit=on",
            self.port,
            self.dir.display()
        );
        run(self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.join("postgres.log"))
            .args(["-w", "-t", "120", "-o", &options, "start"]))
    }

    /// The database server dies as in a crash: no checkpoint, recovery from the WAL on start.
    pub fn crash(&self) -> Result<(), Failure> {
        run(self.command("pg_ctl").arg("-D").arg(self.data()).args([
            "-m",
            "immediate",
            "-w",
            "stop",
        ]))
    }

    fn command(&self, program: &str) -> Command {
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(program));
            c
        } else {
            Command::new(self.bin.join(program))
        };
        command.stdin(Stdio::null());
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Best effort on the way out: the directory is removed with its parent either way.
        let _ = self.crash();
    }
}

fn is_root() -> Result<bool, Failure> {
    let output = Command::new("id").arg("-u").output()?;
    Ok(String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// The newest `/usr/lib/postgresql/*/bin` (Debian), or the directory of `initdb` on PATH.
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

pub fn run(command: &mut Command) -> Result<(), Failure> {
    let output = command.output()?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
        .into())
    }
}
