//! `navigator`: serves the API and the SPA, migrates or seeds the database, prints the OpenAPI
//! document.

use std::process::ExitCode;

use chrono::Utc;
use clap::{Parser, Subcommand};

use navigator_server::openapi::openapi_json;
use navigator_server::seed::{seed_demo, DEMO_ACCOUNTS};
use navigator_server::settings::Settings;
use navigator_server::startup::Application;
use navigator_server::telemetry;

/// The navigator of children's additional education with personalized financing.
///
/// Configured by the environment: NAVIGATOR_ADDR, DATABASE_URL, NAVIGATOR_JWT_SECRET,
/// NAVIGATOR_SPA_DIR, NAVIGATOR_LOG, NAVIGATOR_SEED.
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
    let store = navigator_store::connect(settings.database_url.expose()).await?;
    store.migrate().await?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn seed() -> Result<(), Failure> {
    let settings = configure()?;
    let store = navigator_store::connect(settings.database_url.expose()).await?;
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
    telemetry::init(&settings.log_filter)?;
    Ok(settings)
}
