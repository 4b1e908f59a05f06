//! Building the application from settings: program timeline, database, router, listener.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use planning_domain::{ErrorBody, ErrorCode, ProgramTimeline};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::auth::CookiePolicy;
use crate::clock::{Clock, WallClock};
use crate::config::Settings;
use crate::mailer::Mailer;
use crate::oidc::SingleSignOn;
use crate::rate_limit::SignInLimiter;
use crate::security::{self, SecurityHeaders};
use crate::sessions::{self, SessionCache};
use crate::store::DynStore;
use crate::{db, expiry, mailer, routes, seed, static_files};

/// Largest request body any JSON endpoint accepts (extractors enforce it).
pub const JSON_BODY_LIMIT: usize = 64 * 1024;
/// Largest request body of any kind (the deliverable upload); refused before it is read.
pub const HARD_BODY_LIMIT: usize = 21 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    pub clock: Clock,
    pub timeline: Arc<ProgramTimeline>,
    pub cookies: CookiePolicy,
    pub sign_in_limiter: Arc<SignInLimiter>,
    /// Where uploaded deliverables are stored, by content hash.
    pub documents_dir: std::path::PathBuf,
    /// Voucher list pages being read and encoded at once (each up to 1,000 rows, about 1 MB of
    /// JSON and several times that while it is built): bounds the server's memory under load.
    pub list_permits: Arc<tokio::sync::Semaphore>,
    /// Sessions verified recently (on PostgreSQL; see `sessions`).
    pub sessions: Arc<SessionCache>,
    /// The clock of TOTP codes and reset links (fixed in tests).
    pub wall_clock: WallClock,
    /// Partner Global Admins and program operators must sign in with a second factor
    /// (`--require-second-factor`).
    pub require_second_factor: bool,
    /// Password-reset requests per address and per account from one address.
    pub reset_limiter: Arc<SignInLimiter>,
    /// Single sign-on with the organizations' OpenID provider (`--oidc-issuer`); `None`: off.
    pub single_sign_on: Option<Arc<SingleSignOn>>,
}

/// How many voucher list pages are built at once; more requests wait their turn.
pub const LIST_PAGES_AT_ONCE: usize = 4;

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    clock: Clock,
    shutdown: ShutdownSignal,
    demo_seeded: bool,
    background_state: AppState,
    /// Email delivery of notifications; `None` without `--smtp-url`.
    mailer: Option<Mailer>,
    /// How often expired sign-in rows are deleted (`cleanup.rs`).
    cleanup_interval: std::time::Duration,
}

impl Application {
    /// Loads the timeline, opens the database and binds the port; each failure is one clear line.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let timeline = load_timeline(&settings.program_config)?;
        let mut mailer = Mailer::from_settings(&settings)?;
        let store = db::open_store(&settings.data_dir, settings.database_url.as_ref()).await?;
        let documents_dir = settings.data_dir.join("documents");
        let demo_seeded = if settings.no_demo_data {
            false
        } else {
            seed::seed_demo_data_if_empty(store.as_ref(), &timeline, &documents_dir).await?
        };
        let clock = settings.program_date.map_or(Clock::System, Clock::Pinned);
        let index_html = static_files::app_page(&settings.dist_dir);
        if index_html.is_none() {
            tracing::warn!(dist_dir = %settings.dist_dir.display(), "no built app found; serving the API only");
        }
        // Bound before the state is built: single sign-on's callback address may be this one.
        let listener = TcpListener::bind((settings.host, settings.port))
            .await
            .with_context(|| format!("cannot listen on {}:{}", settings.host, settings.port))?;
        let address = listener.local_addr().context("cannot read the bound address")?;
        let public_url = match &settings.public_url {
            Some(url) => url.clone(),
            None => url::Url::parse(&format!("http://{address}/")).context("cannot read the bound address")?,
        };
        let single_sign_on = SingleSignOn::from_settings(&settings, &public_url)?.map(Arc::new);
        let state = AppState {
            store,
            clock,
            timeline: Arc::new(timeline),
            cookies: CookiePolicy { secure: settings.secure_cookies },
            sign_in_limiter: Arc::new(SignInLimiter::standard()),
            documents_dir,
            list_permits: Arc::new(tokio::sync::Semaphore::new(LIST_PAGES_AT_ONCE)),
            sessions: SessionCache::new(),
            wall_clock: settings.wall_clock.clone(),
            require_second_factor: settings.require_second_factor,
            reset_limiter: Arc::new(SignInLimiter::password_resets()),
            single_sign_on,
        };
        if let Some(url) = &settings.database_url {
            tokio::spawn(sessions::listen(state.sessions.clone(), url.clone()));
        }
        // Vouchers that expired while the server was down are settled before the first request.
        let expired = expiry::expire_due_vouchers(&state).await?;
        if expired > 0 {
            tracing::info!(count = expired, "vouchers expired at start");
        }
        let background_state = state.clone();
        let router = router(
            state,
            &settings.dist_dir,
            SecurityHeaders::for_index(index_html.as_deref(), settings.secure_cookies),
        );
        if let Some(mailer) = mailer.as_mut() {
            mailer.default_public_url(address);
        }
        // Listen for signals before anyone can learn the address, so none is missed.
        let shutdown = ShutdownSignal::install().context("cannot install the signal handlers")?;
        let cleanup_interval = settings.cleanup_interval;
        Ok(Application {
            listener,
            router,
            address,
            clock,
            shutdown,
            demo_seeded,
            background_state,
            mailer,
            cleanup_interval,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// What a person starting the server needs to know.
    pub fn print_banner(&self) {
        println!("Planning Services portal: http://{}/", self.address);
        match self.clock {
            Clock::Pinned(date) => println!("Program date pinned to {date} (--program-date / PORTAL_PROGRAM_DATE)"),
            Clock::System => println!("Program date: today's date (UTC)"),
        }
        match &self.mailer {
            Some(mailer) => {
                println!("Email notifications: through SMTP server {}, from {}", mailer.server(), mailer.from_address())
            }
            None => println!(
                "Email notifications: off, in-app inbox only, no password reset by email (set --smtp-url / PORTAL_SMTP_URL)"
            ),
        }
        if let Some(provider) = &self.background_state.single_sign_on {
            println!(
                "Single sign-on: OpenID provider {} (register the redirect URI {})",
                provider.issuer(),
                provider.redirect_uri()
            );
        }
        if self.background_state.require_second_factor {
            println!(
                "Two-step sign-in: required of partner Global Admins and program operators (--require-second-factor)"
            );
        }
        if self.demo_seeded {
            println!("Demo sign-ins (password for all: {}):", seed::DEMO_PASSWORD);
            for user in seed::DEMO_USERS {
                println!("  {:<30} {:<32} {}", user.email, user.role_label, user.organization);
            }
        }
    }

    /// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        expiry::spawn(self.background_state.clone());
        crate::cleanup::spawn(self.background_state.clone(), self.cleanup_interval);
        if let Some(mailer) = self.mailer {
            mailer::spawn(self.background_state.store.clone(), mailer);
        }
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(self.shutdown.wait())
            .await
            .context("server failed")
    }
}

pub fn load_timeline(path: &std::path::Path) -> anyhow::Result<ProgramTimeline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the program timeline {}", path.display()))?;
    let timeline: ProgramTimeline = toml::from_str(&text)
        .map_err(|error| anyhow::anyhow!("the program timeline {} is invalid: {}", path.display(), error.message()))?;
    timeline.validate().with_context(|| format!("the program timeline {} is invalid", path.display()))?;
    Ok(timeline)
}

/// The whole HTTP surface: the API, the app, and the layers every response passes through.
pub fn router(state: AppState, dist_dir: &std::path::Path, security_headers: SecurityHeaders) -> Router {
    let app = Router::new()
        .merge(routes::router())
        .nest_service(
            planning_domain::api::embed::WIDGET_DIR,
            ServiceBuilder::new()
                .layer(middleware::from_fn(static_files::allow_any_origin))
                .layer(middleware::from_fn(static_files::set_cache_control))
                .service(static_files::widget_service(dist_dir)),
        )
        .fallback_service(
            ServiceBuilder::new()
                .layer(middleware::from_fn(static_files::set_cache_control))
                .service(static_files::service(dist_dir)),
        )
        .with_state(state);
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(SequentialRequestId::default()))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request| {
                        let request_id =
                            request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("");
                        tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
                    })
                    .on_request(())
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(middleware::from_fn_with_state(Arc::new(security_headers), security::set_security_headers))
            .layer(CompressionLayer::new())
            .layer(middleware::from_fn(render_error_bodies))
            .layer(CsrfLayer::new())
            .layer(RequestBodyLimitLayer::new(HARD_BODY_LIMIT))
            .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT)),
    )
}

/// Writes the shared JSON error body for every failed API response, with the request id.
async fn render_error_bodies(request: Request, next: Next) -> Response {
    let request_id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).map(str::to_owned);
    let path = request.uri().path();
    let is_api = path == "/api" || path.starts_with("/api/");
    let mut response = next.run(request).await;
    let body = match response.extensions_mut().remove::<ErrorBody>() {
        Some(body) => body,
        // The cross-origin check (`CsrfLayer`) answers an empty 403 and says why in this
        // extension: the caller is told the request came from another site, not about its role.
        None if response.extensions().get::<ProtectionError>().is_some() => ErrorBody::new(ErrorCode::CrossSiteRequest),
        None if is_api && (response.status().is_client_error() || response.status().is_server_error()) => {
            ErrorBody::new(code_for_status(response.status()))
        }
        None => return response,
    };
    let body = ErrorBody { request_id, ..body };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json)).into_response()
}

fn code_for_status(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        422 => ErrorCode::ValidationFailed,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        400..=499 => ErrorCode::MalformedBody,
        _ => ErrorCode::Internal,
    }
}

/// Request ids unique within this process and across restarts: start time plus a counter.
#[derive(Clone)]
struct SequentialRequestId {
    prefix: String,
    counter: Arc<AtomicU64>,
}

impl Default for SequentialRequestId {
    fn default() -> Self {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|duration| duration.as_millis())
            .unwrap_or_default();
        SequentialRequestId { prefix: format!("{started:x}"), counter: Arc::new(AtomicU64::new(0)) }
    }
}

impl MakeRequestId for SequentialRequestId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let number = self.counter.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{number:x}", self.prefix)).ok().map(RequestId::new)
    }
}

/// SIGTERM or Ctrl-C, registered with the OS as soon as this value exists.
struct ShutdownSignal {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    fn install() -> std::io::Result<Self> {
        Ok(ShutdownSignal {
            #[cfg(unix)]
            terminate: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?,
        })
    }

    async fn wait(mut self) {
        let ctrl_c = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        let terminate = async {
            self.terminate.recv().await;
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
