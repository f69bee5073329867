//! `steppe serve`: an HTTP API over one loaded network and routing engine.
//!
//! - OSRM-compatible services ([`osrm`]): `/route/v1`, `/table/v1`, `/nearest/v1`, with OSRM's
//!   request and response shapes, so OSRM client libraries work unchanged.
//! - Native services ([`native`]): `/v1/route`, `/v1/places`, `/v1/matrix`, `/v1/pareto`,
//!   `/v1/isochrone`, `/v1/network`; what-if services ([`whatif`]): `/v1/scenario`,
//!   `/v1/critical`, `/v1/propose`;
//!   answering with the same JSON the command line writes.
//! - A map page at `/` ([`assets`]), with its scripts and the basemap built into the binary.
//!
//! The network and engine are loaded once and shared ([`State`]); each request builds its own
//! profile and planner (cheap) and searches on a blocking thread, under a time limit.

pub mod assets;
pub mod error;
pub mod native;
pub mod osrm;
pub mod params;
pub mod polyline;
pub mod snap;
pub mod whatif;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;

use crate::graph::engine::Engine;
use crate::network::Network;
pub use error::ApiError;

/// Limits on what one request may ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Most coordinates (waypoints) of a route request.
    pub route_coordinates: usize,
    /// Most coordinates of a table request (sources and destinations together).
    pub table_coordinates: usize,
    /// Most results of a nearest request (`number`).
    pub nearest_number: usize,
    /// Largest request body, bytes.
    pub body_bytes: usize,
    /// Longest a search may run before the request is answered with a timeout.
    pub query_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            route_coordinates: 100,
            table_coordinates: 1000,
            nearest_number: 100,
            body_bytes: 1 << 20,
            query_timeout: Duration::from_secs(30),
        }
    }
}

/// What every request shares: the network, its routing engine and the snapping index.
pub struct State {
    pub network: Network,
    pub engine: Engine,
    pub snap: snap::SnapIndex,
    pub limits: Limits,
}

impl State {
    /// Builds the engine and snapping index of `network`.
    pub fn new(network: Network, limits: Limits) -> crate::Result<State> {
        let engine = Engine::build(&network)?;
        let snap = snap::SnapIndex::new(&network);
        Ok(State {
            network,
            engine,
            snap,
            limits,
        })
    }
}

/// Shared state as handlers receive it.
pub type Shared = Arc<State>;

/// Runs `work` on a blocking thread under the query time limit; a panic in it becomes an
/// internal error, a timeout a `Timeout` error (the search runs on, its answer is dropped).
pub async fn blocking<T, F>(state: &Shared, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&State) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let s = Arc::clone(state);
    let limit = state.limits.query_timeout;
    let task = tokio::task::spawn_blocking(move || work(&s));
    match tokio::time::timeout(limit, task).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(_)) => Err(ApiError::internal("the search failed unexpectedly")),
        Err(_) => Err(ApiError::timeout(limit)),
    }
}

/// The whole HTTP application.
pub fn app(state: Shared) -> Router {
    guarded(routes(), state)
}

/// Every service and asset.
fn routes() -> Router<Shared> {
    Router::new()
        .route("/route/v1/{profile}/{coordinates}", get(osrm::route))
        .route("/table/v1/{profile}/{coordinates}", get(osrm::table))
        .route("/nearest/v1/{profile}/{coordinates}", get(osrm::nearest))
        .route("/v1/route", get(native::route_get).post(native::route_post))
        .route("/v1/places", get(native::places))
        .route(
            "/v1/matrix",
            get(native::matrix_get).post(native::matrix_post),
        )
        .route("/v1/pareto", get(native::pareto))
        .route("/v1/isochrone", get(native::isochrone))
        .route("/v1/scenario", axum::routing::post(whatif::scenario))
        .route("/v1/critical", get(whatif::critical))
        .route("/v1/propose", get(whatif::propose))
        .route("/v1/network", get(native::network))
        .route("/v1/health", get(native::health))
        .merge(assets::routes())
}

/// `routes` with the answer for unknown paths, the body limit and the last-resort catch of
/// panics (a panicking handler answers 500 `InternalError`; the server goes on).
fn guarded(routes: Router<Shared>, state: Shared) -> Router {
    let body_limit = state.limits.body_bytes;
    routes
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` completes; requests in flight are finished.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Shared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Binds `addr` and returns the listener with the address actually bound (port 0 picks one).
pub async fn bind(addr: SocketAddr) -> std::io::Result<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn http_get(addr: SocketAddr, path: &str) -> String {
        let mut s = std::net::TcpStream::connect(addr).expect("connects");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .expect("writes");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("reads");
        out
    }

    async fn boom() -> &'static str {
        panic!("handler panics")
    }

    #[test]
    fn a_panic_while_answering_is_a_500_and_the_server_goes_on() {
        let network = crate::network::load_embedded().expect("the embedded network loads");
        let state = Arc::new(State::new(network, Limits::default()).expect("engine builds"));
        let routes = routes().route("/boom", get(boom)).route(
            "/boom-blocking",
            get(
                |axum::extract::State(s): axum::extract::State<Shared>| async move {
                    blocking(&s, |_| -> Result<String, ApiError> {
                        panic!("search panics")
                    })
                    .await
                },
            ),
        );
        let app = guarded(routes, Arc::clone(&state));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let (listener, addr) = bind("127.0.0.1:0".parse().expect("address"))
                .await
                .expect("binds");
            tokio::spawn(async move { axum::serve(listener, app).await });
            let answers = tokio::task::spawn_blocking(move || {
                [
                    http_get(addr, "/boom"),
                    http_get(addr, "/boom-blocking"),
                    http_get(addr, "/v1/health"),
                ]
            })
            .await
            .expect("client thread");
            for a in &answers[..2] {
                assert!(a.starts_with("HTTP/1.1 500"), "{a}");
                assert!(a.contains("\"code\":\"InternalError\""), "{a}");
            }
            assert!(answers[2].starts_with("HTTP/1.1 200"), "{}", answers[2]);
        });
    }
}
