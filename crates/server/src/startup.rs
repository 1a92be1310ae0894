//! Building and running the server: the store, the listener, the middleware and the routes.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{web, App, HttpServer};
use chrono::Utc;
use navigator_store::{Store, StoreError, HEARTBEAT_EVERY};
use tracing_actix_web::TracingLogger;

use crate::auth::AccessTokens;
use crate::error::{json_error, path_error, query_error};
use crate::mail::{LogMailer, Mailer};
use crate::metrics::{Metrics, MetricsAccess};
use crate::openapi::{openapi, openapi_json};
use crate::routes::spec::Documents;
use crate::settings::{PublicUrl, Settings};
use crate::telemetry::RequestSpan;
use crate::throttle::SignInThrottle;
use crate::{docs, metrics, outbox, routes, seed, spa};

/// The largest request body accepted. Every request of the API is a small JSON document.
pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("the database: {0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: io::Error },
}

/// A server bound to its port, not yet running.
pub struct Application {
    address: SocketAddr,
    store: Arc<dyn Store>,
    server: Server,
}

impl Application {
    /// Connects the store, migrates, seeds if asked and the database is empty, binds the listener.
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let store =
            navigator_store::connect_with(settings.database_url.expose(), settings.store()).await?;
        Application::build_with_store(settings, store).await
    }

    /// Like [`Application::build`] with a store already connected (`settings.database_url` is
    /// not used); letters go to the log.
    pub async fn build_with_store(
        settings: Settings,
        store: Arc<dyn Store>,
    ) -> Result<Application, StartupError> {
        Application::build_with_parts(settings, store, Arc::new(LogMailer)).await
    }

    /// Like [`Application::build_with_store`] with the mailer chosen by the caller (tests keep a
    /// [`crate::mail::MemoryMailer`] to read the letters sent).
    pub async fn build_with_parts(
        settings: Settings,
        store: Arc<dyn Store>,
        mailer: Arc<dyn Mailer>,
    ) -> Result<Application, StartupError> {
        store.migrate().await?;
        if settings.seed && store.is_empty().await? {
            tracing::info!("the database is empty: seeding the demo data");
            seed::seed_demo(store.as_ref(), Utc::now().date_naive()).await?;
        }
        let listen_error = |source| StartupError::Listen {
            addr: settings.addr.clone(),
            source,
        };
        let listener = TcpListener::bind(&settings.addr).map_err(listen_error)?;
        let address = listener.local_addr().map_err(listen_error)?;
        if let Some(interval) = settings.task_interval {
            outbox::spawn(Arc::clone(&store), Arc::clone(&mailer), interval);
        }
        let server =
            serve(listener, Arc::clone(&store), mailer, &settings).map_err(listen_error)?;
        Ok(Application {
            address,
            store,
            server,
        })
    }

    /// The port the server listens on (the one picked when the settings said port 0).
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.store)
    }

    /// Serves until SIGINT or SIGTERM, then lets running requests finish. Meanwhile the process
    /// tells the database it is alive, so that other processes do not take over the idempotency
    /// keys its requests hold; once stopped, it holds none.
    pub async fn run_until_stopped(self) -> io::Result<()> {
        let heartbeat = tokio::spawn(keep_alive(Arc::clone(&self.store)));
        let outcome = self.server.await;
        heartbeat.abort();
        if let Err(error) = self.store.instance_retire().await {
            tracing::warn!(%error, "could not tell the database this process stopped");
        }
        outcome
    }
}

/// Says "alive" every [`HEARTBEAT_EVERY`]; a failed beat is logged and the next one tries again
/// (a database that is down fails the requests anyway).
async fn keep_alive(store: Arc<dyn Store>) {
    let mut every = tokio::time::interval(HEARTBEAT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(error) = store.instance_heartbeat(Utc::now()).await {
            tracing::warn!(%error, "heartbeat failed");
        }
    }
}

fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    settings: &Settings,
) -> io::Result<Server> {
    let store: web::Data<dyn Store> = web::Data::from(store);
    let mailer: web::Data<dyn Mailer> = web::Data::from(mailer);
    let tokens = web::Data::new(AccessTokens::new(&settings.jwt_secret));
    let throttle = web::Data::new(SignInThrottle::default());
    let public_url = web::Data::new(PublicUrl(settings.public_url.clone()));
    let metrics = web::Data::new(Metrics::default());
    let metrics_access = web::Data::new(MetricsAccess::new(settings.metrics_token.as_ref()));
    let documents = web::Data::new(Documents {
        openapi_json: openapi_json().into(),
        docs_html: docs::render(&openapi()).into(),
    });
    let spa_dir = spa_dir(settings.spa_dir.clone());

    let server = HttpServer::new(move || {
        App::new()
            // The last `wrap` is the outermost: the log sees the final, compressed response.
            .wrap(Compress::default())
            .wrap(DefaultHeaders::new().add((header::X_CONTENT_TYPE_OPTIONS, "nosniff")))
            .wrap(from_fn(metrics::record))
            .wrap(TracingLogger::<RequestSpan>::new())
            .app_data(store.clone())
            .app_data(metrics.clone())
            .app_data(metrics_access.clone())
            .app_data(mailer.clone())
            .app_data(tokens.clone())
            .app_data(throttle.clone())
            .app_data(public_url.clone())
            .app_data(documents.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(BODY_LIMIT)
                    .error_handler(json_error),
            )
            .app_data(web::PayloadConfig::new(BODY_LIMIT))
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .configure(routes::configure)
            .route("/metrics", web::get().to(metrics::get_metrics))
            .configure(|cfg| spa::configure(cfg, spa_dir.as_deref()))
    })
    .listen(listener)?
    .run();
    Ok(server)
}

/// The SPA directory when it holds a built app; checked once, not by every worker.
fn spa_dir(dir: PathBuf) -> Option<PathBuf> {
    if dir.join("index.html").is_file() {
        Some(dir)
    } else {
        tracing::warn!(
            dir = %dir.display(),
            "no index.html in the SPA directory: serving the API only"
        );
        None
    }
}
