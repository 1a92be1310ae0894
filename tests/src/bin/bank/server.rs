//! The real `navigator` binary as a child process, killed with SIGKILL and started again on the
//! same database and port.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::Failure;

pub struct Server {
    binary: PathBuf,
    database_url: String,
    port: u16,
    jwt_secret: String,
    log: PathBuf,
    child: Option<Child>,
}

impl Server {
    /// The binary is copied into `dir` first: a `cargo build` during a long run replaces the
    /// file under `target/`, and the restart must run the binary the run started with.
    pub fn new(binary: &Path, database_url: &str, dir: &Path) -> Result<Server, Failure> {
        let copy = dir.join("navigator");
        std::fs::copy(binary, &copy)?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        Ok(Server {
            binary: copy,
            database_url: database_url.to_owned(),
            port,
            // The same key across restarts: clients keep their tokens.
            jwt_secret: format!("bank-test-secret-{}", uuid::Uuid::new_v4().simple()),
            log: dir.join("navigator.log"),
            child: None,
        })
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/api/v1", self.port)
    }

    /// A one-off subcommand of the binary on the same database (`generate`, `ledger verify`).
    pub async fn command(&self, args: &[&str]) -> Result<std::process::Output, Failure> {
        Ok(Command::new(&self.binary)
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("NAVIGATOR_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .await?)
    }

    /// Starts `navigator serve` and waits for its health endpoint.
    pub async fn start(&mut self) -> Result<(), Failure> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)?;
        let child = Command::new(&self.binary)
            .arg("serve")
            .env("DATABASE_URL", &self.database_url)
            .env("NAVIGATOR_ADDR", format!("127.0.0.1:{}", self.port))
            .env("NAVIGATOR_SEED", "false")
            .env("NAVIGATOR_LOG", "warn")
            .env("NAVIGATOR_JWT_SECRET", &self.jwt_secret)
            .env("NAVIGATOR_SPA_DIR", self.log.with_file_name("no-spa"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()?;
        self.child = Some(child);
        let client = reqwest::Client::new();
        let started = Instant::now();
        let health = format!("{}/health", self.base());
        while started.elapsed() < Duration::from_secs(120) {
            if let Ok(response) = client.get(&health).send().await {
                if response.status().is_success() {
                    return Ok(());
                }
            }
            if let Some(child) = self.child.as_mut() {
                if let Some(status) = child.try_wait()? {
                    return Err(format!(
                        "navigator exited at start ({status}); see {}",
                        self.log.display()
                    )
                    .into());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("navigator did not answer /health within 120 s".into())
    }

    /// SIGKILL: no graceful shutdown, requests in flight are cut.
    pub async fn kill(&mut self) -> Result<(), Failure> {
        if let Some(mut child) = self.child.take() {
            child.kill().await?;
        }
        Ok(())
    }
}
