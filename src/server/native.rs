//! Native services (versioned JSON): the same answers as the command line's `--format json`
//! (`steppe.routes.v1`, `steppe.places.v1`, the matrix JSON), with every `route` option as a
//! query parameter or a POSTed JSON object.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use petgraph::stable_graph::NodeIndex;
use serde_json::{Value, json};

use crate::analysis::alternatives::{AlternativeOptions, alternatives};
use crate::analysis::route::{Planner, RouteOutcome};
use crate::cost::profile::Profile;
use crate::graph::Weights;
use crate::network::model::{Country, PlaceKind};
use crate::network::{Network, names};
use crate::output::route::{routes_answer, routes_features};
use crate::server::error::ApiError;
use crate::server::params::{Pairs, REQUEST_OPTIONS, request};
use crate::server::snap::{looks_like_coordinate, parse_lon_lat};
use crate::server::{Shared, State, blocking};

fn known(own: &[&'static str]) -> Vec<&'static str> {
    own.iter().chain(REQUEST_OPTIONS.iter()).copied().collect()
}

/// A place given by name, alias, id, or `lon,lat` (snapped to the nearest place the
/// profile's modes reach); the snap, when there was one, as a JSON note.
fn place(
    s: &State,
    profile: &Profile,
    parameter: &str,
    text: &str,
) -> Result<(NodeIndex, Option<Value>), ApiError> {
    if looks_like_coordinate(text) {
        let (lon, lat) = parse_lon_lat(text).ok_or_else(|| {
            ApiError::value(
                parameter,
                format!("\"{text}\" is not lon,lat with longitude -180..180 and latitude -90..90"),
            )
        })?;
        let hit = s
            .snap
            .nearest(
                &s.network,
                lon,
                lat,
                profile.modes,
                &|st| profile.allows_status(st),
                1,
            )
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::no_segment(parameter, "no place near the coordinate"))?;
        let p = s.network.place(hit.place);
        let note = json!({"parameter": parameter, "location": [lon, lat], "place": p.id.0,
                          "name": p.name, "distance": crate::output::geojson::round(hit.distance_m, 1)});
        Ok((hit.place, Some(note)))
    } else {
        names::resolve(&s.network, text)
            .map(|ix| (ix, None))
            .map_err(|e| ApiError::from_lib(e, parameter))
    }
}

const ROUTE_PARAMS: [&str; 5] = ["from", "to", "via", "alternatives", "format"];

/// `GET /v1/route?from=..&to=..&...`.
pub async fn route_get(
    AxState(state): AxState<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = Pairs::from_query(query.as_deref())?;
    blocking(&state, move |s| answer_route(s, &pairs).map(Json)).await
}

/// `POST /v1/route` with a JSON object of the same parameters.
pub async fn route_post(
    AxState(state): AxState<Shared>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = crate::server::error::body(body)?;
    let pairs = Pairs::from_json(&body)?;
    blocking(&state, move |s| answer_route(s, &pairs).map(Json)).await
}

fn required<'a>(pairs: &'a Pairs, name: &str) -> Result<&'a str, ApiError> {
    pairs
        .one(name)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| ApiError::value(name, format!("give {name}: a place name, id or lon,lat")))
}

/// The answer of `/v1/route`: `steppe.routes.v1` JSON (as `steppe route --format json`),
/// or a GeoJSON FeatureCollection with `format=geojson`.
pub fn answer_route(s: &State, pairs: &Pairs) -> Result<Value, ApiError> {
    pairs.check_known(&known(&ROUTE_PARAMS))?;
    let geojson = match pairs.one("format").unwrap_or("json") {
        "json" => false,
        "geojson" => true,
        other => {
            return Err(ApiError::value(
                "format",
                format!("\"{other}\" is not json or geojson"),
            ));
        }
    };
    let count = match pairs.number("alternatives", 1.0, 20.0)? {
        Some(k) if k.fract() != 0.0 => {
            return Err(ApiError::value(
                "alternatives",
                "give a whole number, 1 to 20",
            ));
        }
        Some(k) => k as usize,
        None => 1,
    };
    let profile = request(pairs)?
        .profile(&s.network)
        .map_err(|e| ApiError::from_lib(e, "avoid"))?;
    let mut snaps = Vec::new();
    let (from, n) = place(s, &profile, "from", required(pairs, "from")?)?;
    snaps.extend(n);
    let (to, n) = place(s, &profile, "to", required(pairs, "to")?)?;
    snaps.extend(n);
    let mut via = Vec::new();
    for v in pairs.all("via") {
        let (ix, n) = place(s, &profile, "via", v)?;
        via.push(ix);
        snaps.extend(n);
    }
    if via.len() + 2 > s.limits.route_coordinates {
        return Err(ApiError::too_big(
            "via",
            format!("at most {} via places", s.limits.route_coordinates - 2),
        ));
    }
    let mut planner = Planner::on_engine(&s.network, &s.engine, &profile);
    let outcome = if count > 1 {
        alternatives(&mut planner, from, to, &via, AlternativeOptions::new(count))
            .map_err(|e| ApiError::from_lib(e, ""))?
    } else {
        match planner
            .route(from, to, &via)
            .map_err(|e| ApiError::from_lib(e, ""))?
        {
            RouteOutcome::Found(r) => Ok(vec![r]),
            RouteOutcome::NoRoute(why) => Err(why),
        }
    };
    let mut answer = match (&outcome, geojson) {
        (Ok(routes), false) => {
            routes_answer(&s.network, from, to, &profile.describe(), routes, None)
        }
        (Err(why), false) => {
            routes_answer(&s.network, from, to, &profile.describe(), &[], Some(why))
        }
        (Ok(routes), true) => serde_json::to_value(crate::output::geojson::collection(
            routes_features(&s.network, routes),
        ))
        .map_err(|e| ApiError::internal(e.to_string()))?,
        (Err(why), true) => {
            let mut m = why.reason.clone();
            for h in &why.hints {
                m.push_str("; ");
                m.push_str(h);
            }
            return Err(ApiError::no_route(m));
        }
    };
    if !snaps.is_empty()
        && let Some(o) = answer.as_object_mut()
    {
        o.insert("snapped".into(), json!(snaps));
    }
    Ok(answer)
}

fn parse_country(name: &str, v: &str) -> Result<Country, ApiError> {
    Country::parse(v).ok_or_else(|| {
        ApiError::value(
            name,
            format!("\"{v}\" is not a two-letter country code (e.g. MN, KZ)"),
        )
    })
}

fn parse_kind(name: &str, v: &str) -> Result<PlaceKind, ApiError> {
    PlaceKind::parse(v).ok_or_else(|| {
        let known: Vec<&str> = PlaceKind::ALL.iter().map(PlaceKind::as_str).collect();
        ApiError::value(
            name,
            format!("unknown kind \"{v}\"; use one of {}", known.join(", ")),
        )
    })
}

/// `GET /v1/places?country=&kind=&q=`: the places as `steppe places --format json`
/// (`steppe.places.v1`); `q` keeps those whose name, id or alias contains it (case and
/// diacritics ignored).
pub async fn places(
    AxState(state): AxState<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = Pairs::from_query(query.as_deref())?;
    pairs.check_known(&["country", "kind", "q"])?;
    let country = pairs
        .one("country")
        .map(|c| parse_country("country", c))
        .transpose()?;
    let kind = pairs
        .one("kind")
        .map(|k| parse_kind("kind", k))
        .transpose()?;
    let q = pairs.one("q").map(names::fold).unwrap_or_default();
    Ok(Json(places_json(&state.network, country, kind, &q)))
}

/// The places JSON (the same as the command line's).
pub fn places_json(
    network: &Network,
    country: Option<Country>,
    kind: Option<PlaceKind>,
    q: &str,
) -> Value {
    let mut places: Vec<_> = network
        .places()
        .filter(|(_, p)| country.is_none_or(|c| p.in_country(c)))
        .filter(|(_, p)| kind.is_none_or(|k| p.kind == k))
        .filter(|(_, p)| {
            q.is_empty()
                || names::fold(&p.name).contains(q)
                || names::fold(&p.id.0).contains(q)
                || p.aliases.iter().any(|a| names::fold(a).contains(q))
        })
        .map(|(_, p)| p)
        .collect();
    places.sort_by(|a, b| (a.country, &a.name).cmp(&(b.country, &b.name)));
    let list: Vec<_> = places
        .iter()
        .map(|p| {
            json!({"id": p.id.0, "name": p.name, "aliases": p.aliases, "country": p.country.as_str(),
                   "kind": p.kind.as_str(), "status": p.status.as_str(),
                   "lon": p.position.x(), "lat": p.position.y()})
        })
        .collect();
    json!({"schema": "steppe.places.v1", "places": list})
}

const MATRIX_PARAMS: [&str; 6] = [
    "from",
    "to",
    "from_country",
    "from_kind",
    "to_country",
    "to_kind",
];

/// `GET /v1/matrix?from=A,B&to=C,D&...` (or `from_country`/`from_kind`, as the command line).
pub async fn matrix_get(
    AxState(state): AxState<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = Pairs::from_query(query.as_deref())?;
    blocking(&state, move |s| answer_matrix(s, &pairs).map(Json)).await
}

/// `POST /v1/matrix` with a JSON object of the same parameters (`from`, `to` as lists).
pub async fn matrix_post(
    AxState(state): AxState<Shared>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = crate::server::error::body(body)?;
    let pairs = Pairs::from_json(&body)?;
    blocking(&state, move |s| answer_matrix(s, &pairs).map(Json)).await
}

fn select(s: &State, pairs: &Pairs, role: &str) -> Result<Vec<NodeIndex>, ApiError> {
    let list = pairs.list(role);
    if !list.is_empty() {
        return list
            .iter()
            .map(|n| names::resolve(&s.network, n).map_err(|e| ApiError::from_lib(e, role)))
            .collect();
    }
    let cname = format!("{role}_country");
    let kname = format!("{role}_kind");
    let country = pairs
        .one(&cname)
        .map(|c| parse_country(&cname, c))
        .transpose()?;
    let kind = parse_kind(&kname, pairs.one(&kname).unwrap_or("city"))?;
    let out: Vec<NodeIndex> = s
        .network
        .places()
        .filter(|(_, p)| p.kind == kind && country.is_none_or(|c| p.country == c))
        .map(|(ix, _)| ix)
        .collect();
    if out.is_empty() {
        return Err(ApiError::value(
            role,
            format!("no {role} places match the selection"),
        ));
    }
    Ok(out)
}

/// The answer of `/v1/matrix`: the command line's matrix JSON.
pub fn answer_matrix(s: &State, pairs: &Pairs) -> Result<Value, ApiError> {
    pairs.check_known(&known(&MATRIX_PARAMS))?;
    let origins = select(s, pairs, "from")?;
    let destinations = select(s, pairs, "to")?;
    if origins.len() + destinations.len() > s.limits.table_coordinates {
        return Err(ApiError::too_big(
            "from",
            format!(
                "{} places asked for; at most {} origins and destinations together",
                origins.len() + destinations.len(),
                s.limits.table_coordinates
            ),
        ));
    }
    let profile = request(pairs)?
        .profile(&s.network)
        .map_err(|e| ApiError::from_lib(e, "avoid"))?;
    let weights = Weights::compile(&s.network, &s.engine.graph, &profile);
    let m = crate::analysis::matrix::matrix_for(
        &s.network,
        &s.engine,
        &weights,
        &origins,
        &destinations,
    )
    .map_err(|e| ApiError::from_lib(e, ""))?;
    Ok(crate::output::many::matrix_json(&s.network, &m))
}

/// `GET /v1/network`: the network as GeoJSON (as `steppe network export`), for the map.
pub async fn network(AxState(state): AxState<Shared>) -> Result<Json<Value>, ApiError> {
    blocking(&state, |s| {
        serde_json::to_value(crate::output::geojson::network_collection(&s.network))
            .map(Json)
            .map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
}

/// `GET /v1/health`: the network served and its size.
pub async fn health(AxState(state): AxState<Shared>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "network": state.network.origin,
        "places": state.network.graph.node_count(),
        "links": state.network.graph.edge_count(),
    }))
}

const PARETO_PARAMS: [&str; 2] = ["from", "to"];

/// `GET /v1/pareto?from=..&to=..`: every route no other beats on both time and cost, as
/// `steppe pareto --format json` (`steppe.routes.v1`).
pub async fn pareto(
    AxState(state): AxState<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = Pairs::from_query(query.as_deref())?;
    blocking(&state, move |s| {
        pairs.check_known(&known(&PARETO_PARAMS))?;
        let profile = request(&pairs)?
            .profile(&s.network)
            .map_err(|e| ApiError::from_lib(e, "avoid"))?;
        let (from, _) = place(s, &profile, "from", required(&pairs, "from")?)?;
        let (to, _) = place(s, &profile, "to", required(&pairs, "to")?)?;
        let mut planner = Planner::new(&s.network, &s.engine.graph, &profile);
        let answer = match crate::analysis::pareto::pareto_routes(&mut planner, from, to)
            .map_err(|e| ApiError::from_lib(e, ""))?
        {
            Ok(routes) => routes_answer(&s.network, from, to, &profile.describe(), &routes, None),
            Err(why) => routes_answer(&s.network, from, to, &profile.describe(), &[], Some(&why)),
        };
        Ok(Json(answer))
    })
    .await
}

const ISOCHRONE_PARAMS: [&str; 4] = ["from", "hours", "usd", "goods_to"];

/// Most bands of an isochrone (as the command line).
const MAX_BANDS: usize = 12;

/// `GET /v1/isochrone?from=..&hours=24,48,72` (or `usd=`): what is reachable within each
/// budget, as `steppe isochrone --format geojson`.
pub async fn isochrone(
    AxState(state): AxState<Shared>,
    RawQuery(query): RawQuery,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let pairs = Pairs::from_query(query.as_deref())?;
    let text = blocking(&state, move |s| {
        use crate::analysis::isochrone::BudgetKind;
        pairs.check_known(&known(&ISOCHRONE_PARAMS))?;
        let budgets = |name: &str, most: f64| -> Result<Vec<f64>, ApiError> {
            pairs
                .list(name)
                .iter()
                .map(|b| match b.parse::<f64>() {
                    Ok(x) if x.is_finite() && x > 0.0 && x <= most => Ok(x),
                    _ => Err(ApiError::value(
                        name,
                        format!("\"{b}\" is not a budget above 0 and at most {most}"),
                    )),
                })
                .collect()
        };
        let (kind, list) = match (budgets("hours", 8760.0)?, budgets("usd", 1e12)?) {
            (h, u) if !h.is_empty() && !u.is_empty() => {
                return Err(ApiError::value("usd", "give hours or usd, not both"));
            }
            (_, u) if !u.is_empty() => (BudgetKind::Usd, u),
            (h, _) if !h.is_empty() => (BudgetKind::Hours, h),
            _ => (BudgetKind::Hours, vec![24.0, 48.0, 72.0]),
        };
        if list.len() > MAX_BANDS {
            return Err(ApiError::too_big(
                if kind == BudgetKind::Usd {
                    "usd"
                } else {
                    "hours"
                },
                format!("at most {MAX_BANDS} budgets (bands) per isochrone"),
            ));
        }
        let mut profile = request(&pairs)?
            .profile(&s.network)
            .map_err(|e| ApiError::from_lib(e, "avoid"))?;
        profile.objective = match kind {
            BudgetKind::Hours => crate::cost::profile::Objective::Time,
            BudgetKind::Usd => crate::cost::profile::Objective::Cost,
        };
        let goods_to = pairs
            .one("goods_to")
            .map(|c| parse_country("goods_to", c))
            .transpose()?;
        let (from, _) = place(s, &profile, "from", required(&pairs, "from")?)?;
        let weights = Weights::compile(&s.network, &s.engine.graph, &profile);
        let iso = crate::analysis::isochrone::isochrone(
            &s.network, &s.engine, &weights, from, kind, &list, goods_to,
        )
        .map_err(|e| ApiError::from_lib(e, ""))?;
        Ok(crate::output::many::isochrone_geojson(&s.network, &iso))
    })
    .await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/geo+json")],
        text,
    )
        .into_response())
}
