//! `navigator`: serves the API and the SPA, migrates or seeds the database, prints the OpenAPI
//! document.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;
use clap::{Parser, Subcommand};

use navigator_api_types::{ImportReport, RegistryKind};
use navigator_domain::import::{RowError, Table};
use navigator_server::openapi::openapi_json;
use navigator_server::seed::{seed_demo, DEMO_ACCOUNTS};
use navigator_server::settings::Settings;
use navigator_server::startup::Application;
use navigator_server::telemetry;

/// The navigator of children's additional education with personalized financing.
///
/// Configured by the environment: NAVIGATOR_ADDR, DATABASE_URL, NAVIGATOR_JWT_SECRET,
/// NAVIGATOR_SPA_DIR, NAVIGATOR_LOG, NAVIGATOR_LOG_FORMAT, NAVIGATOR_SEED, NAVIGATOR_METRICS_TOKEN.
#[derive(Debug, Parser)]
#[command(name = "navigator", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API and the SPA (the default); seeds an empty database unless NAVIGATOR_SEED=false.
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Seed the demo data into an empty database and exit; refuses a database that has data.
    Seed,
    /// Print the OpenAPI document to stdout.
    Openapi,
    /// Rolls a municipality's certificates over to the period open today: leftovers of the ended
    /// period expire, the new nominal is credited. Safe to run twice.
    Rollover {
        /// The municipality's id (see GET /api/v1/municipalities).
        #[arg(long)]
        municipality: uuid::Uuid,
        /// Certificates per transaction.
        #[arg(long, default_value_t = 500)]
        batch: u32,
    },
    /// Certificates in bulk.
    Certificates {
        #[command(subcommand)]
        command: CertificatesCommand,
    },
    /// The waitlists of full groups.
    Waitlist {
        #[command(subcommand)]
        command: WaitlistCommand,
    },
    /// The ledger of certificate money.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// The monthly billing run of a municipality: invoices the month for every accepted
    /// enrollment not yet invoiced (and approves with --approve), in batches. Resumable after a
    /// crash and safe to run twice: what is done is skipped.
    BillingRun {
        /// The municipality's id (see GET /api/v1/municipalities).
        #[arg(long)]
        municipality: uuid::Uuid,
        /// The month, YYYY-MM.
        #[arg(long)]
        month: navigator_domain::Month,
        /// Also approve the month's issued invoices, writing the certificates' shares off.
        #[arg(long)]
        approve: bool,
        /// Enrollments per transaction.
        #[arg(long, default_value_t = 500)]
        batch: u32,
    },
    /// Imports a registry file (CSV or XLSX, as `export` writes it) as the regional operator, in
    /// one transaction: a file with a bad row writes nothing, prints every bad cell to stderr and
    /// exits non-zero. Imported programs keep the file's `published` status.
    Import {
        registry: Registry,
        /// The file: `.csv` or `.xlsx` (the format is its extension's).
        file: std::path::PathBuf,
    },
    /// Prints a registry to stdout as a CSV file (UTF-8 with BOM, `;`-separated, for Excel) or,
    /// with `--format xlsx`, as an XLSX workbook.
    Export {
        registry: Registry,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Fills an empty database with a generated region for benchmarks: at --scale 1.0, 300,000
    /// children, 1,500 providers, 20,000 programs, 60,000 groups and about 600,000 accepted
    /// enrollments over 30 municipalities, with their ledger. Every account's password is
    /// `bench-password`.
    Generate {
        /// 1.0 is a whole region; counts scale linearly.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The same seed (and day) gives the same data, ids included.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The day the data are as of, YYYY-MM-DD; today when absent.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
}

/// The formats of registry files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Csv,
    Xlsx,
}

/// The registries that files carry.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Registry {
    Providers,
    Programs,
    Groups,
}

impl From<Registry> for RegistryKind {
    fn from(registry: Registry) -> RegistryKind {
        match registry {
            Registry::Providers => RegistryKind::Providers,
            Registry::Programs => RegistryKind::Programs,
            Registry::Groups => RegistryKind::Groups,
        }
    }
}

#[derive(Debug, Subcommand)]
enum CertificatesCommand {
    /// Close the certificates of children who turned 18 (run daily).
    CloseExpired,
}

#[derive(Debug, Subcommand)]
enum WaitlistCommand {
    /// Expire the offers past their time, passing each seat to the next in line (the server
    /// also does this periodically); safe to run any time.
    ExpireOffers,
}

#[derive(Debug, Subcommand)]
enum LedgerCommand {
    /// Check every invariant of the ledger; exits non-zero when one does not hold.
    Verify,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::Migrate => migrate().await,
        Command::Seed => seed().await,
        Command::Openapi => {
            print!("{}", openapi_json());
            Ok(())
        }
        Command::Ledger {
            command: LedgerCommand::Verify,
        } => verify_ledger().await,
        Command::Certificates {
            command: CertificatesCommand::CloseExpired,
        } => close_expired_certificates().await,
        Command::Waitlist {
            command: WaitlistCommand::ExpireOffers,
        } => expire_offers().await,
        Command::Rollover {
            municipality,
            batch,
        } => rollover(municipality, batch).await,
        Command::BillingRun {
            municipality,
            month,
            approve,
            batch,
        } => billing_run(municipality, month, approve, batch).await,
        Command::Generate { scale, seed, today } => generate(scale, seed, today).await,
        Command::Import { registry, file } => import(registry.into(), &file).await,
        Command::Export { registry, format } => export(registry.into(), format).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("navigator: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), Failure> {
    let settings = configure()?;
    let app = Application::build(settings).await?;
    let url = format!("http://{}", app.address());
    println!("Навигатор дополнительного образования: {url}");
    println!("  API documentation: {url}/api/docs");
    if demo_accounts_exist(&app).await {
        println!("  Demo accounts:");
        for account in DEMO_ACCOUNTS {
            println!(
                "    {:<20} {:<34} {}",
                account.role, account.email, account.password
            );
        }
    }
    app.run_until_stopped().await?;
    Ok(())
}

/// Whether the database holds the demo accounts: seeded now or on an earlier run.
async fn demo_accounts_exist(app: &Application) -> bool {
    match DEMO_ACCOUNTS.first() {
        Some(account) => matches!(
            app.store().find_user_by_email(account.email).await,
            Ok(Some(_))
        ),
        None => false,
    }
}

async fn migrate() -> Result<(), Failure> {
    let settings = configure()?;
    let store =
        navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
    store.migrate().await?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn seed() -> Result<(), Failure> {
    let settings = configure()?;
    let store =
        navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
    store.migrate().await?;
    if !store.is_empty().await? {
        return Err("the database already has data; seed only an empty one".into());
    }
    seed_demo(store.as_ref(), Utc::now().date_naive()).await?;
    tracing::info!("demo data seeded");
    Ok(())
}

fn configure() -> Result<Settings, Failure> {
    let settings = Settings::from_env()?;
    telemetry::init(&settings.log_filter, settings.log_format)?;
    Ok(settings)
}

async fn expire_offers() -> Result<(), Failure> {
    let settings = configure()?;
    let store =
        navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
    store.migrate().await?;
    let done = navigator_server::outbox::expire_offers(
        store.as_ref(),
        Utc::now(),
        navigator_server::outbox::BATCH,
    )
    .await?;
    println!(
        "waitlist: {} offer(s) expired, {} new offer(s) made",
        done.expired, done.offered
    );
    Ok(())
}

async fn verify_ledger() -> Result<(), Failure> {
    let settings = configure()?;
    let store =
        navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
    store.migrate().await?;
    let violations = store.verify_ledger().await?;
    if violations.is_empty() {
        println!("ledger: every invariant holds");
        return Ok(());
    }
    for v in &violations {
        println!("{}: {}", v.check, v.detail);
    }
    Err(format!("ledger: {} violation(s)", violations.len()).into())
}

async fn billing_run(
    municipality: uuid::Uuid,
    month: navigator_domain::Month,
    approve: bool,
    batch: u32,
) -> Result<(), Failure> {
    let settings = configure()?;
    let store =
        navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
    store.migrate().await?;
    let actor = navigator_store::Actor::system();
    let progress = indicatif::ProgressBar::new_spinner();
    progress.set_style(indicatif::ProgressStyle::with_template(
        "{spinner} {elapsed} {pos} enrollments {msg}",
    )?);
    let mut after = None;
    let mut total = navigator_store::BillingBatch::default();
    loop {
        let b = store
            .billing_run_batch(
                &actor,
                municipality,
                month,
                approve,
                after,
                batch,
                Utc::now(),
            )
            .await?;
        if b.examined == 0 {
            break;
        }
        after = b.last_application_id;
        total.examined += b.examined;
        total.issued += b.issued;
        total.approved += b.approved;
        total.already_done += b.already_done;
        total.certificate_total = total
            .certificate_total
            .checked_add(b.certificate_total)
            .ok_or("amount overflow")?;
        total.family_total = total
            .family_total
            .checked_add(b.family_total)
            .ok_or("amount overflow")?;
        total.refusals.extend(b.refusals);
        progress.set_position(total.examined);
        progress.set_message(format!(
            "{} issued, {} approved",
            total.issued, total.approved
        ));
    }
    progress.finish_and_clear();
    println!(
        "billing run {month}: {} enrollments examined",
        total.examined
    );
    println!("  invoices issued:   {}", total.issued);
    println!(
        "  invoices approved: {} ({} written off)",
        total.approved, total.certificate_total
    );
    println!(
        "  family co-payments on the new invoices: {}",
        total.family_total
    );
    println!("  already invoiced and decided: {}", total.already_done);
    println!("  refused: {}", total.refusals.len());
    let mut by_code: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for (_, code) in &total.refusals {
        *by_code.entry(code).or_default() += 1;
    }
    for (code, n) in by_code {
        println!("    {code}: {n}");
    }
    Ok(())
}

/// Reads a registry file by its extension.
fn read_file(file: &std::path::Path) -> Result<Result<Table, RowError>, Failure> {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    match extension.as_deref() {
        Some("csv") => {
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{}: the file must be UTF-8", file.display()))?;
            Ok(Table::from_csv(&text))
        }
        Some("xlsx") => navigator_xlsx::read(&bytes, navigator_xlsx::Limits::default())
            .map(Ok)
            .map_err(|e| format!("{}: {e} ({})", file.display(), e.code()).into()),
        _ => Err(format!(
            "{}: the file's extension says its format: .csv or .xlsx",
            file.display()
        )
        .into()),
    }
}

async fn import(kind: RegistryKind, file: &std::path::Path) -> Result<(), Failure> {
    let settings = configure()?;
    let started = std::time::Instant::now();
    let table = read_file(file)?;
    let store = navigator_store::connect(settings.database_url.expose()).await?;
    store.migrate().await?;
    let rows = table.as_ref().map_or(0, Table::data_rows);
    let progress = indicatif::ProgressBar::new(rows as u64);
    progress.set_style(indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} rows written {elapsed}",
    )?);
    let report = match &table {
        Ok(table) => {
            store
                .import_registry(
                    &navigator_store::Actor::system(),
                    kind,
                    table,
                    Utc::now(),
                    &|written| progress.set_position(written),
                )
                .await?
        }
        Err(error) => ImportReport::unread(kind, vec![error.clone()]),
    };
    progress.finish_and_clear();
    if !report.errors.is_empty() {
        for error in &report.errors {
            eprintln!(
                "строка {}{}: {} ({})",
                error.row,
                if error.column.is_empty() {
                    String::new()
                } else {
                    format!(", столбец «{}»", error.column)
                },
                error.message,
                error.code
            );
        }
        return Err(format!(
            "{}: {} bad cells in {} rows; nothing was imported",
            file.display(),
            report.errors.len(),
            report.rows_read
        )
        .into());
    }
    eprintln!(
        "{} {}: {} rows read, {} created, {} updated, {} unchanged in {:.1} s",
        kind.as_str(),
        file.display(),
        report.rows_read,
        report.created,
        report.updated,
        report.unchanged,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn export(kind: RegistryKind, format: Format) -> Result<(), Failure> {
    use std::io::IsTerminal;
    if format == Format::Xlsx && std::io::stdout().is_terminal() {
        return Err("a workbook is binary: redirect it to a file (> programs.xlsx)".into());
    }
    let settings = configure()?;
    let store = navigator_store::connect(settings.database_url.expose()).await?;
    store.migrate().await?;
    let table = store
        .export_registry(&navigator_store::Actor::system(), kind)
        .await?;
    let file = match format {
        Format::Csv => table.to_csv().into_bytes(),
        Format::Xlsx => navigator_xlsx::write(&table, kind.as_str())?,
    };
    std::io::stdout().lock().write_all(&file)?;
    Ok(())
}

async fn close_expired_certificates() -> Result<(), Failure> {
    let settings = configure()?;
    let store =
        navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
    store.migrate().await?;
    let closed = store.close_expired_certificates(Utc::now()).await?;
    println!("certificates closed at 18: {closed}");
    Ok(())
}

async fn rollover(municipality: uuid::Uuid, batch: u32) -> Result<(), Failure> {
    let settings = configure()?;
    let store =
        navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
    store.migrate().await?;
    let actor = navigator_store::Actor::system();
    let progress = indicatif::ProgressBar::new_spinner();
    let mut after = None;
    let mut total = navigator_store::RolloverBatch::default();
    loop {
        let b = store
            .rollover_batch(&actor, municipality, after, batch, Utc::now())
            .await?;
        if b.examined == 0 {
            break;
        }
        after = b.last_certificate_id;
        total.examined += b.examined;
        total.credited += b.credited;
        total.without_room += b.without_room;
        total.enrollments_completed += b.enrollments_completed;
        total.expired_total = total
            .expired_total
            .checked_add(b.expired_total)
            .ok_or("amount overflow")?;
        total.credited_total = total
            .credited_total
            .checked_add(b.credited_total)
            .ok_or("amount overflow")?;
        progress.set_position(total.examined);
        progress.set_message(format!("{} credited", total.credited));
    }
    progress.finish_and_clear();
    println!("rollover: {} certificates examined", total.examined);
    println!(
        "  credited the new nominal: {} ({})",
        total.credited, total.credited_total
    );
    println!(
        "  back to accounting (no quota or budget): {}",
        total.without_room
    );
    println!(
        "  enrollments completed with the old period: {}",
        total.enrollments_completed
    );
    println!(
        "  expired to the old period's fund: {}",
        total.expired_total
    );
    Ok(())
}

/// The password of every generated account.
const GENERATED_PASSWORD: &str = "bench-password";

async fn generate(scale: f64, seed: u64, today: Option<chrono::NaiveDate>) -> Result<(), Failure> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err("--scale must be a positive number".into());
    }
    let settings = configure()?;
    let store =
        navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
    store.migrate().await?;
    let spec = navigator_store::RegionSpec {
        scale,
        seed,
        today: today.unwrap_or_else(|| Utc::now().date_naive()),
        password_hash: navigator_server::auth::hash_password(GENERATED_PASSWORD),
    };
    let progress = indicatif::ProgressBar::new(spec.children());
    progress.set_style(indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} children ({per_sec}, {eta} left)",
    )?);
    let started = std::time::Instant::now();
    let region = store
        .generate_region(&spec, &|children| progress.inc(children))
        .await?;
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let period = spec.period();
    println!(
        "generated on {} in {seconds:.1} s: scale {scale}, seed {seed}, as of {}, period {} to {}",
        store.backend().as_str(),
        spec.today,
        period.start,
        period.end
    );
    println!("  municipalities:          {}", region.municipalities.len());
    println!("  providers:               {}", region.providers);
    println!("  programs:                {}", region.programs);
    println!("  groups:                  {}", region.groups);
    println!("  families:                {}", region.families);
    println!("  children:                {}", region.children);
    println!("  certificates:            {}", region.certificates);
    println!(
        "  financing certificates:  {}",
        region.financing_certificates
    );
    println!("  enrollments:             {}", region.enrollments);
    println!("  contract months:         {}", region.contract_months);
    println!("  attendance marks:        {}", region.attendance_marks);
    println!("  ledger postings:         {}", region.postings);
    if let Some(month) = region.billing_month {
        println!("billing month: {month}");
    }
    println!("municipalities (id, children, enrollments, name):");
    for m in &region.municipalities {
        println!(
            "  {} {:>7} {:>7}  {}",
            m.id, m.children, m.enrollments, m.name
        );
    }
    println!(
        "accounts: family1@bench.example, staff1@bench.example, operator1@bench.example, \
              … with the password {GENERATED_PASSWORD}"
    );
    Ok(())
}
