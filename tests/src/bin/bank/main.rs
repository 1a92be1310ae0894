//! The bank test: money is never lost or created, under concurrency and crashes.
//!
//! Like Jepsen's bank workload. The real `navigator` binary serves a generated region whose
//! period has ended; the center's operator opens this year's period and its providers open this
//! year's groups; then parallel clients, as families, provider staff and the operator, apply,
//! accept, reject, withdraw, end enrollments, mark attendance, invoice, approve and reject
//! invoices, suspend and resume certificates, with `Idempotency-Key`s and retries like real
//! clients. Part way the operator rolls the municipality over to the new period; midway the
//! server is killed with SIGKILL (on PostgreSQL the database server is crashed too with
//! `pg_ctl -m immediate`) and started again, and the clients retry what went unanswered.
//! Afterwards: the ledger verification (HTTP and `navigator ledger verify`), no certificate below
//! zero, no group over capacity, no month invoiced twice, every acknowledged operation visible,
//! the money's totals by account.
//!
//! ```text
//! cargo build -p navigator-server
//! cargo run -p navigator-tests --bin bank -- --backend sqlite --duration 40 [--seed N]
//! cargo run -p navigator-tests --bin bank -- bench --database-url URL --clients 64 --duration 20
//! ```
//! Exits non-zero when an invariant does not hold.

mod check;
mod cluster;
mod http;
mod server;
mod workload;
mod world;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Utc};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;

use crate::http::{Api, Outcome};
use crate::server::Server;
use crate::workload::{OpKind, Rng, Shared};
use crate::world::PeriodPlan;

type Failure = Box<dyn std::error::Error + Send + Sync>;

struct Options {
    bench: bool,
    backend: String,
    database_url: Option<String>,
    duration: u64,
    clients: usize,
    families: usize,
    restarts: u32,
    seed: u64,
    navigator: PathBuf,
}

fn parse() -> Result<Options, Failure> {
    let mut args = std::env::args().skip(1).peekable();
    let bench = args.peek().is_some_and(|a| a == "bench");
    if bench {
        args.next();
    }
    let here = std::env::current_exe()?;
    let mut options = Options {
        bench,
        backend: "sqlite".into(),
        database_url: None,
        duration: if bench { 20 } else { 40 },
        clients: if bench { 64 } else { 16 },
        families: 40,
        restarts: 1,
        seed: Utc::now().timestamp_micros().unsigned_abs(),
        // target/debug/bank → target/debug/navigator
        navigator: here.with_file_name("navigator"),
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--backend" => options.backend = value,
            "--database-url" => options.database_url = Some(value),
            "--duration" => options.duration = value.parse()?,
            "--clients" => options.clients = value.parse()?,
            "--families" => options.families = value.parse()?,
            "--restarts" => options.restarts = value.parse()?,
            "--seed" => options.seed = value.parse()?,
            "--navigator" => options.navigator = value.into(),
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    if !options.navigator.is_file() {
        return Err(format!(
            "no navigator binary at {} (cargo build -p navigator-server, or --navigator PATH)",
            options.navigator.display()
        )
        .into());
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let outcome = match parse() {
        Ok(options) if options.bench => bench(options).await,
        Ok(options) => bank(options).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("bank: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A day in April of the previous academic year: the generated region's period has ended.
fn last_year(today: NaiveDate) -> NaiveDate {
    let (start, _) = world::academic_year(today);
    NaiveDate::from_ymd_opt(start.year(), 4, 20).unwrap_or(today)
}

async fn bank(options: Options) -> Result<bool, Failure> {
    let today = Utc::now().date_naive();
    println!(
        "bank test on {}: {} clients, {} s, {} restart(s), seed {} (replay with --seed {})",
        options.backend,
        options.clients,
        options.duration,
        options.restarts,
        options.seed,
        options.seed
    );
    let dir = tempfile::Builder::new()
        .prefix("navigator-bank-")
        .tempdir()?;
    let cluster = match options.backend.as_str() {
        "postgres" => Some(cluster::Cluster::start(dir.path())?),
        "sqlite" => None,
        other => return Err(format!("unknown backend {other}").into()),
    };
    let url = match &cluster {
        Some(c) => c.url(),
        None => format!("sqlite:{}?mode=rwc", dir.path().join("bank.db").display()),
    };
    let mut server = Server::new(&options.navigator, &url, dir.path())?;

    let as_of = last_year(today);
    let generated = server
        .command(&[
            "generate",
            "--scale",
            "0.004",
            "--seed",
            &(options.seed % 1_000_000).to_string(),
            "--today",
            &as_of.to_string(),
        ])
        .await?;
    if !generated.status.success() {
        return Err(format!(
            "navigator generate failed: {}",
            String::from_utf8_lossy(&generated.stderr)
        )
        .into());
    }
    let mut world = {
        let store = navigator_store::connect(&url).await?;
        world::discover(store.as_ref(), options.families, today).await?
    };
    server.start().await?;
    let started = Instant::now();
    let until = started + Duration::from_secs(options.duration);
    // Unanswered requests are retried past the end for a while, as a client would.
    let api = Api::new(
        server.base(),
        world.passwords(),
        until + Duration::from_secs(30),
    )?;
    // A tight period: the quota and the budget run out during the run.
    let plan = PeriodPlan {
        nominal: "24000.00",
        quota: 120,
        budget: "2000000.00",
    };
    world::open_period(&api, &world, today, &plan).await?;
    world::open_groups(&api, &mut world, today, 3).await?;
    println!(
        "world: generated as of {as_of} (period ended); center with {} providers, {} families, \
         {} children, {} groups ({} opened now), {} enrollments of the ended period",
        world.providers.len(),
        world.families.len(),
        world.children.len(),
        world.groups.len(),
        world.groups.iter().filter(|g| g.new).count(),
        world.applications.len()
    );

    let shared = Shared::new(&world, api, today);
    let clients = (0..options.clients).map(|i| {
        let mut seeder = Rng::new(options.seed ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
        shared.client(seeder.next_u64(), until)
    });
    let duration = Duration::from_secs(options.duration);
    let conductor = async {
        let mut restarts = 0;
        tokio::time::sleep_until((started + duration.mul_f64(0.4)).into()).await;
        let outcome = shared.rollover().await;
        println!(
            "rollover at {:.0} s: {}",
            started.elapsed().as_secs_f64(),
            describe(&outcome)
        );
        shared.record(OpKind::Rollover, outcome, None);
        for k in 0..options.restarts {
            let at = 0.5 + 0.4 * f64::from(k) / f64::from(options.restarts);
            tokio::time::sleep_until((started + duration.mul_f64(at)).into()).await;
            let down = Instant::now();
            server.kill().await?;
            if let Some(cluster) = &cluster {
                cluster.crash()?;
                cluster.start_server()?;
            }
            server.start().await?;
            restarts += 1;
            println!(
                "restart {restarts} at {:.0} s: SIGKILL{}, back in {:.1} s",
                (down - started).as_secs_f64(),
                if cluster.is_some() {
                    " + pg_ctl -m immediate"
                } else {
                    ""
                },
                down.elapsed().as_secs_f64()
            );
        }
        Ok::<u32, Failure>(restarts)
    };
    let (_, restarts) = tokio::join!(join_all(clients), conductor);
    let restarts = restarts?;
    let ran = started.elapsed();

    let mut violations = Vec::new();
    let verification = shared
        .api
        .get(&world.operator, "/ledger/verification")
        .await?;
    if verification["ok"] != json!(true) {
        violations.push(format!(
            "GET /ledger/verification: {}",
            verification["violations"]
        ));
    }
    let server_errors = shared.api.server_errors();
    let history = shared.into_history();
    server.kill().await?;
    let verified = server
        .command(&["ledger", "verify"])
        .await
        .map_err(|e| format!("navigator ledger verify: {e}"))?;
    if !verified.status.success() {
        violations.push(format!(
            "navigator ledger verify: {}",
            String::from_utf8_lossy(&verified.stdout).trim()
        ));
    }
    let store = navigator_store::connect(&url).await?;
    check::final_state(store.as_ref(), &world, &history, &mut violations)
        .await
        .map_err(|e| format!("reading the final state: {e}"))?;
    drop(store);
    let totals = check::money(&url, &mut violations)
        .await
        .map_err(|e| format!("summing the money: {e}"))?;

    println!(
        "\noperations in {:.0} s ({restarts} restart(s)):",
        ran.as_secs_f64()
    );
    let mut acknowledged = 0;
    let mut unknown = 0;
    for (kind, outcomes) in workload::tally(&history) {
        let line: Vec<String> = outcomes.iter().map(|(o, n)| format!("{o} {n}")).collect();
        acknowledged += outcomes.get("ok").copied().unwrap_or(0);
        unknown += outcomes.get("unknown").copied().unwrap_or(0);
        println!("  {:<20} {}", kind.as_str(), line.join(", "));
    }
    println!(
        "  {} operations, {acknowledged} acknowledged and checked, {unknown} with an unknown outcome",
        history.len()
    );
    let mut why_unknown: std::collections::BTreeMap<&str, u64> = Default::default();
    for r in &history {
        if let Outcome::Unknown(why) = r.outcome {
            *why_unknown.entry(why).or_default() += 1;
        }
    }
    for (why, n) in why_unknown {
        println!("  unknown: {why}: {n}");
    }
    println!("  5xx answers (retried): {server_errors}");
    println!("money by account kind (kopecks):");
    for (kind, total) in &totals {
        println!("  {kind:<12} {total:>14}");
    }
    if violations.is_empty() {
        println!("no violations: the ledger holds, every acknowledged operation is visible");
        Ok(true)
    } else {
        println!("{} VIOLATION(S):", violations.len());
        for v in &violations {
            println!("  {v}");
        }
        println!(
            "replay with --seed {}; the run's files are kept in {}",
            options.seed,
            dir.keep().display()
        );
        Ok(false)
    }
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok(v) => format!(
            "{} certificates examined, {} credited, {} back to accounting, {} enrollments \
             completed, {} expired",
            v["examined"],
            v["credited"],
            v["without_room"],
            v["enrollments_completed"],
            v["expired"]
        ),
        Outcome::Refused(code) => format!("refused: {code}"),
        Outcome::Unknown(why) => format!("unknown: {why}"),
    }
}

/// The money path's rate: applications with their acceptance per second, `--clients` at once,
/// on a region generated as of today (`bench/money.sh` prepares the database).
async fn bench(options: Options) -> Result<bool, Failure> {
    let url = options
        .database_url
        .clone()
        .ok_or("bench needs --database-url of a generated region")?;
    let today = Utc::now().date_naive();
    let dir = tempfile::Builder::new()
        .prefix("navigator-money-")
        .tempdir()?;
    let mut world = {
        let store = navigator_store::connect(&url).await?;
        world::discover(store.as_ref(), options.clients * 2, today).await?
    };
    let mut server = Server::new(&options.navigator, &url, dir.path())?;
    server.start().await?;
    let api = Api::new(
        server.base(),
        world.passwords(),
        Instant::now() + Duration::from_secs(options.duration + 600),
    )?;
    world::open_groups(&api, &mut world, today, 1000).await?;
    // Sign everyone in before the clock starts.
    for email in world.passwords().keys() {
        api.get(email, "/me").await?;
    }
    let world = &world;
    let api = &api;
    let started = Instant::now();
    let until = started + Duration::from_secs(options.duration);
    let clients = (0..options.clients).map(|i| async move {
        let mut rng = Rng::new(options.seed ^ i as u64);
        let mut pairs = Vec::new();
        for child in world
            .children
            .iter()
            .filter(|c| c.family % options.clients == i)
        {
            for (g, group) in world.groups.iter().enumerate() {
                if group.new && (group.age_from..=group.age_to).contains(&child.age) {
                    pairs.push((child, g));
                }
            }
        }
        let mut done = 0u64;
        let mut refused: std::collections::BTreeMap<String, u64> = Default::default();
        while Instant::now() < until && !pairs.is_empty() {
            let (child, g) = pairs.swap_remove(rng.below(pairs.len()));
            let group = &world.groups[g];
            let body = json!({ "child_id": child.id, "group_id": group.id });
            let applied = api
                .call(
                    &world.families[child.family],
                    Method::POST,
                    "/applications",
                    Some(&body),
                    true,
                )
                .await;
            let id = match applied {
                Outcome::Ok(v) => v["id"].as_str().unwrap_or_default().to_owned(),
                Outcome::Refused(code) => {
                    *refused.entry(code).or_default() += 1;
                    continue;
                }
                Outcome::Unknown(_) => continue,
            };
            let accepted = api
                .call(
                    &world.providers[group.provider].staff,
                    Method::POST,
                    &format!("/applications/{id}/accept"),
                    None,
                    true,
                )
                .await;
            match accepted {
                Outcome::Ok(_) => done += 1,
                Outcome::Refused(code) => *refused.entry(code).or_default() += 1,
                Outcome::Unknown(_) => {}
            }
        }
        (done, refused)
    });
    let results = join_all(clients).await;
    let seconds = started.elapsed().as_secs_f64();
    server.kill().await?;
    let done: u64 = results.iter().map(|(d, _)| d).sum();
    let mut refused: std::collections::BTreeMap<String, u64> = Default::default();
    for (_, r) in results {
        for (code, n) in r {
            *refused.entry(code).or_default() += n;
        }
    }
    println!("money_path_accepted {done}");
    println!("money_path_seconds {seconds:.1}");
    println!("money_path_per_s {:.1}", done as f64 / seconds);
    for (code, n) in refused {
        println!("money_path_refused_{code} {n}");
    }
    Ok(true)
}
