//! `cardiotwin serve`: the same use cases as the desktop app, over loopback HTTP, for a browser.
//!
//! Binds 127.0.0.1 only. A random 256-bit token is made at start and printed once, in the URL's
//! fragment (which browsers never send to a server or write to history of other sites); every
//! `/api/` call must carry it as `Authorization: Bearer`. The built UI is served at `/`. Logs
//! name the command, the status and the time taken: never arguments, ids or answers.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use tower_http::services::{ServeDir, ServeFile};

use twin_app::commands::dispatch;
use twin_app::session::{Session, MAX_BUNDLE_BYTES};
use twin_app::{AppError, ErrorCode};

/// What `serve` needs.
pub struct ServeOptions {
    /// Port; 0 picks a free one.
    pub port: u16,
    /// The session's folders.
    pub session: twin_app::session::SessionConfig,
    /// The built UI (`ui/dist`).
    pub ui_dir: PathBuf,
}

struct Shared {
    session: Session,
    token: String,
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time comparison, so the token cannot be guessed byte by byte from response times.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Validation => StatusCode::BAD_REQUEST,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::StoreLocked => StatusCode::LOCKED,
        ErrorCode::FhirAuth => StatusCode::FORBIDDEN,
        ErrorCode::FhirUnavailable => StatusCode::BAD_GATEWAY,
        ErrorCode::Cancelled => StatusCode::CONFLICT,
        ErrorCode::Busy => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Io | ErrorCode::Store | ErrorCode::Tampered => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn error_response(status: StatusCode, e: &AppError) -> Response {
    (status, Json(e)).into_response()
}

/// Where a request that names a job stands, between the client and the worker running it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Finished,
    Abandoned,
}

/// Cancels a request's job when the request is dropped before its answer is ready.
struct JobGuard {
    shared: Arc<Shared>,
    job: String,
    phase: Arc<Mutex<Phase>>,
}

/// The worker's side of a [`JobGuard`]: says the run is over.
struct JobFinisher {
    job: String,
    phase: Arc<Mutex<Phase>>,
}

impl JobGuard {
    /// A guard for the job the arguments name, if the command runs one: watching a job
    /// (`jobProgress`) or stopping it (`cancelJob`) names it too, and a dropped poll must not stop
    /// the run it watches.
    fn new(shared: &Arc<Shared>, command: &str, args: &serde_json::Value) -> Option<Self> {
        if matches!(command, "jobProgress" | "cancelJob") {
            return None;
        }
        let job = args.get("job").and_then(serde_json::Value::as_str)?.to_string();
        Some(Self { shared: Arc::clone(shared), job, phase: Arc::new(Mutex::new(Phase::Running)) })
    }

    fn finisher(&self) -> JobFinisher {
        JobFinisher { job: self.job.clone(), phase: Arc::clone(&self.phase) }
    }
}

impl Drop for JobGuard {
    fn drop(&mut self) {
        let mut phase = self.phase.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if *phase == Phase::Running {
            *phase = Phase::Abandoned;
            // A cancel that arrives before the run registers is kept, so this also stops a run
            // that has not started yet.
            let _ = self.shared.session.cmd_cancel_job(twin_app::session::JobArgs { job: self.job.clone() });
            eprintln!("api client went away: its run is cancelled");
        }
    }
}

impl JobFinisher {
    fn finished(self, session: &Session) {
        let mut phase = self.phase.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if *phase == Phase::Abandoned {
            // The cancel's entry outlives a run that failed before it registered: remove it.
            session.forget_job(&self.job);
        }
        *phase = Phase::Finished;
    }
}

/// `None` when the request carries the session's token; else the refusal to send.
fn authorised(headers: &HeaderMap, shared: &Shared) -> Option<Response> {
    let authorised = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| same(t.as_bytes(), shared.token.as_bytes()));
    if authorised {
        return None;
    }
    let e = AppError::new(ErrorCode::FhirAuth, "this CardioTwin server needs the token printed when it started");
    Some(error_response(StatusCode::UNAUTHORIZED, &e))
}

async fn api(
    State(shared): State<Arc<Shared>>,
    Path(command): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Some(refused) = authorised(&headers, &shared) {
        return refused;
    }
    let args: serde_json::Value = if body.is_empty() {
        serde_json::Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                let e = AppError::new(ErrorCode::Validation, format!("{command}: the request is not JSON: {e}"));
                return error_response(StatusCode::BAD_REQUEST, &e);
            }
        }
    };
    let started = Instant::now();
    let worker = Arc::clone(&shared);
    let name = command.clone();
    // A run that names a job ends when nobody waits for it: if the client goes away (a reload, a
    // closed tab, a screen left with its request aborted), axum drops this future, and the guard
    // cancels the job so the ensemble stops after the members in flight.
    let abandon = JobGuard::new(&shared, &command, &args);
    let finish = abandon.as_ref().map(JobGuard::finisher);
    // The use cases are CPU work (ensembles): keep them off the async workers.
    let result = tokio::task::spawn_blocking(move || {
        let answer = dispatch(&worker.session, &name, args);
        if let Some(finish) = finish {
            finish.finished(&worker.session);
        }
        answer
    })
    .await;
    drop(abandon);
    let response = match result {
        Ok(Ok(value)) => (StatusCode::OK, Json(value)).into_response(),
        Ok(Err(e)) => error_response(status_of(e.code), &e),
        Err(_) => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &AppError::new(ErrorCode::Io, "internal error while answering; please report it"),
        ),
    };
    eprintln!("api {command} {} {:.1} ms", response.status().as_u16(), started.elapsed().as_secs_f64() * 1e3);
    response
}

/// `POST /api/upload/importHome`: home data streamed in raw for the patient on screen, parsed as
/// it arrives (`serve_upload`); the token is checked as on every other route.
async fn upload_home(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: axum::body::Body,
) -> Response {
    if let Some(refused) = authorised(&headers, &shared) {
        return refused;
    }
    let started = Instant::now();
    let worker = Arc::clone(&shared);
    let answer = crate::serve_upload::stream_home(&uri, body, move |reader, args| {
        worker.session.import_home_stream(reader, &args)
    })
    .await;
    let response = match answer {
        Ok(report) => (StatusCode::OK, Json(report)).into_response(),
        Err(e) => error_response(status_of(e.code), &e),
    };
    eprintln!("api upload/importHome {} {:.1} ms", response.status().as_u16(), started.elapsed().as_secs_f64() * 1e3);
    response
}

/// Runs the server until Ctrl-C.
///
/// # Errors
/// When the port cannot be bound or the UI folder is missing.
pub fn run(options: ServeOptions) -> anyhow::Result<()> {
    let index = options.ui_dir.join("index.html");
    if !index.is_file() {
        anyhow::bail!(
            "the built UI is missing ({}): run `npm run build` in ui/ first (./scripts/run does)",
            index.display()
        );
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the server runtime")?;
    runtime.block_on(async move {
        let session = Session::new(options.session);
        // EHR sign-in opens the system browser, as `cardiotwin login` does.
        session.set_browser(Arc::new(|url: &url::Url| open::that(url.as_str()).map_err(|e| e.to_string())));
        // The worklist reads panel results through twin-panel.
        crate::panel::register_worklist_reader();
        let shared = Arc::new(Shared { session, token: new_token() });
        let app = Router::new()
            // Home data streams in raw (an export may be gigabytes): no body limit, parsed as it arrives.
            .route(crate::serve_upload::PATH, post(upload_home))
            .route("/api/{command}", post(api))
            .layer(DefaultBodyLimit::max(MAX_BUNDLE_BYTES + 1024 * 1024))
            .with_state(Arc::clone(&shared))
            .fallback_service(ServeDir::new(&options.ui_dir).fallback(ServeFile::new(&index)));
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
        let port = listener.local_addr().context("reading the bound port")?.port();
        {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            writeln!(out, "CardioTwin serving http://127.0.0.1:{port}/#token={}", shared.token)?;
            out.flush()?;
        }
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")
    })
}
