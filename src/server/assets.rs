//! The map page and what it loads, all built into the binary (no CDN, no tile server): the
//! page and its script (`web/`), Leaflet 1.9.4 from the npm registry (`web/vendor/`, with its
//! licence), and the Natural Earth country and lake polygons as the basemap.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::server::Shared;

const INDEX_HTML: &str = include_str!("../../web/index.html");
const APP_JS: &str = include_str!("../../web/app.js");
const LEAFLET_JS: &str = include_str!("../../web/vendor/leaflet-1.9.4/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../web/vendor/leaflet-1.9.4/leaflet.css");
const LEAFLET_LICENSE: &str = include_str!("../../web/vendor/leaflet-1.9.4/LICENSE");
const COUNTRIES: &str = include_str!("../../networks/naturalearth/countries.geojson");
const LAKES: &str = include_str!("../../networks/naturalearth/lakes.geojson");

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse + Clone {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

/// Routes of the page and its assets.
pub fn routes() -> Router<Shared> {
    let html = asset("text/html; charset=utf-8", INDEX_HTML);
    let app = asset("text/javascript; charset=utf-8", APP_JS);
    let ljs = asset("text/javascript; charset=utf-8", LEAFLET_JS);
    let lcss = asset("text/css; charset=utf-8", LEAFLET_CSS);
    let lic = asset("text/plain; charset=utf-8", LEAFLET_LICENSE);
    let countries = asset("application/geo+json", COUNTRIES);
    let lakes = asset("application/geo+json", LAKES);
    Router::new()
        .route("/", get(move || async move { html }))
        .route("/app.js", get(move || async move { app }))
        .route("/vendor/leaflet.js", get(move || async move { ljs }))
        .route("/vendor/leaflet.css", get(move || async move { lcss }))
        .route(
            "/vendor/LICENSE-leaflet.txt",
            get(move || async move { lic }),
        )
        .route(
            "/v1/basemap/countries",
            get(move || async move { countries }),
        )
        .route("/v1/basemap/lakes", get(move || async move { lakes }))
}
