//! OSRM-compatible services: `route`, `table` and `nearest`, with OSRM's request and response
//! shapes (<https://project-osrm.org/docs/v5.24.0/api/>), so OSRM client libraries can use
//! steppe unchanged.
//!
//! Profiles map to modes: `driving` (also `car`, `truck`) = road, `rail` (also `train`) =
//! rail, `freight` = road and rail. Searches minimise time: `duration` is steppe's typical
//! door-to-door hours x 3600 (border and transfer waits included) and `distance` its km x 1000.
//! Coordinates snap to the nearest place a link of the profile's modes reaches; the snap
//! distance is the waypoint's `distance`. steppe's own figures (border crossings, gauge
//! changes, per-country breakdown, bad-day hours, USD) are in each route's `steppe` field,
//! which OSRM clients ignore.

mod route_object;

use route_object::{parse_shape, route_object, stay};

use axum::Json;
use axum::extract::{Path, RawQuery, State as AxState};
use petgraph::stable_graph::NodeIndex;
use serde_json::{Value, json};

use crate::analysis::alternatives::{AlternativeOptions, alternatives};
use crate::analysis::route::{Planner, Route, RouteOutcome};
use crate::cost::profile::{ModeSet, Objective, Profile};
use crate::graph::Weights;
use crate::network::Network;
use crate::output::geojson::round;
use crate::server::error::ApiError;
use crate::server::params::{Pairs, REQUEST_OPTIONS};
use crate::server::snap::{Snapped, parse_lon_lat};
use crate::server::{Shared, State, blocking};

/// OSRM options accepted by every service and ignored (steppe snaps to places, not to
/// road segments, so hints, bearings and radiuses have nothing to act on).
const IGNORED: [&str; 7] = [
    "bearings",
    "radiuses",
    "generate_hints",
    "hints",
    "approaches",
    "exclude",
    "snapping",
];

/// The modes an OSRM profile name stands for.
pub fn profile_modes(name: &str) -> Result<ModeSet, ApiError> {
    match name {
        "driving" | "car" | "truck" => Ok(ModeSet {
            road: true,
            rail: false,
        }),
        "rail" | "train" => Ok(ModeSet {
            road: false,
            rail: true,
        }),
        "freight" => Ok(ModeSet::ALL),
        other => Err(ApiError::value(
            "profile",
            format!(
                "unknown profile \"{other}\"; use driving (road), rail, or freight (road and rail)"
            ),
        )),
    }
}

/// Parses OSRM's `lon,lat;lon,lat...` (an optional `.json` suffix is allowed).
pub fn parse_coordinates(text: &str, most: usize) -> Result<Vec<(f64, f64)>, ApiError> {
    let text = text.strip_suffix(".json").unwrap_or(text);
    if text.starts_with("polyline(") {
        return Err(ApiError::value(
            "coordinates",
            "polyline-encoded coordinates are not supported; give lon,lat;lon,lat",
        ));
    }
    let parts: Vec<&str> = text.split(';').collect();
    if parts.len() > most {
        return Err(ApiError::too_big(
            "coordinates",
            format!(
                "{} coordinates given; this service takes at most {most}",
                parts.len()
            ),
        ));
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            parse_lon_lat(p).ok_or_else(|| {
                ApiError::value(
                    "coordinates",
                    format!(
                        "coordinate {i} (\"{p}\") is not lon,lat with longitude -180..180 and latitude -90..90"
                    ),
                )
            })
        })
        .collect()
}

/// The profile of an OSRM request: fastest route on the profile's modes, with steppe's own
/// options (month, commodity, avoid_country...) allowed as extra query parameters.
fn osrm_profile(state: &State, profile: &str, pairs: &Pairs) -> Result<Profile, ApiError> {
    if pairs.one("minimize").is_some() || pairs.one("modes").is_some() {
        return Err(ApiError::query(
            "OSRM services minimise time on the profile's modes; use /v1/route for minimize and modes",
        ));
    }
    let mut r = crate::server::params::request(pairs)?;
    r.objective = Objective::Time;
    r.modes = profile_modes(profile)?;
    r.profile(&state.network)
        .map_err(|e| ApiError::from_lib(e, ""))
}

/// Snaps every coordinate for `profile`.
fn snap_all(
    state: &State,
    profile: &Profile,
    coords: &[(f64, f64)],
) -> Result<Vec<Snapped>, ApiError> {
    coords
        .iter()
        .enumerate()
        .map(|(i, &(lon, lat))| {
            state
                .snap
                .nearest(
                    &state.network,
                    lon,
                    lat,
                    profile.modes,
                    &|s| profile.allows_status(s),
                    1,
                )
                .into_iter()
                .next()
                .ok_or_else(|| {
                    ApiError::no_segment(
                        "coordinates",
                        format!(
                            "no place for {} near coordinate {i}",
                            profile.modes.describe()
                        ),
                    )
                })
        })
        .collect()
}

/// OSRM's waypoint object for a snapped coordinate (`place` is steppe's id).
fn waypoint(network: &Network, s: &Snapped) -> Value {
    let p = network.place(s.place);
    json!({
        "hint": "",
        "distance": round(s.distance_m, 1),
        "name": p.name,
        "location": [round(p.position.x(), 6), round(p.position.y(), 6)],
        "place": p.id.0,
    })
}

const ROUTE_OPTIONS: [&str; 8] = [
    "alternatives",
    "steps",
    "annotations",
    "geometries",
    "overview",
    "continue_straight",
    "skip_waypoints",
    "waypoints",
];

fn known(own: &[&'static str]) -> Vec<&'static str> {
    own.iter()
        .chain(IGNORED.iter())
        .chain(REQUEST_OPTIONS.iter())
        .copied()
        .collect()
}

/// `GET /route/v1/{profile}/{coordinates}`.
pub async fn route(
    AxState(state): AxState<Shared>,
    Path((profile, coordinates)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = Pairs::from_query(query.as_deref())?;
    blocking(&state, move |s| {
        answer_route(s, &profile, &coordinates, &pairs).map(Json)
    })
    .await
}

fn answer_route(
    s: &State,
    profile_name: &str,
    coordinates: &str,
    pairs: &Pairs,
) -> Result<Value, ApiError> {
    pairs.check_known(&known(&ROUTE_OPTIONS))?;
    let coords = parse_coordinates(coordinates, s.limits.route_coordinates)?;
    if coords.len() < 2 {
        return Err(ApiError::value(
            "coordinates",
            "a route needs at least two coordinates",
        ));
    }
    let profile = osrm_profile(s, profile_name, pairs)?;
    let shape = parse_shape(pairs)?;
    let count = match pairs.one("alternatives").unwrap_or("false") {
        "false" => 1,
        "true" => 3,
        n => match n.parse::<usize>() {
            Ok(k) if k <= 19 => k + 1,
            _ => {
                return Err(ApiError::value(
                    "alternatives",
                    format!("\"{n}\" is not true, false or a number of alternatives 0 to 19"),
                ));
            }
        },
    };
    let skip_waypoints = pairs.flag("skip_waypoints", false)?;
    let snapped = snap_all(s, &profile, &coords)?;
    let mut stops: Vec<NodeIndex> = Vec::new();
    let mut repeats: Vec<usize> = Vec::new();
    for w in &snapped {
        if stops.last() == Some(&w.place) {
            if let Some(r) = repeats.last_mut() {
                *r += 1;
            }
        } else {
            stops.push(w.place);
            repeats.push(0);
        }
    }
    let routes: Vec<Route> = if stops.len() == 1 {
        vec![stay(stops[0])]
    } else {
        let (from, to) = (stops[0], stops[stops.len() - 1]);
        let via = &stops[1..stops.len() - 1];
        let mut planner = Planner::on_engine(&s.network, &s.engine, &profile);
        if count > 1 {
            alternatives(&mut planner, from, to, via, AlternativeOptions::new(count))
                .map_err(|e| ApiError::from_lib(e, ""))?
                .map_err(|why| no_route_error(&why))?
        } else {
            match planner
                .route(from, to, via)
                .map_err(|e| ApiError::from_lib(e, ""))?
            {
                RouteOutcome::Found(r) => vec![r],
                RouteOutcome::NoRoute(why) => return Err(no_route_error(&why)),
            }
        }
    };
    let mut answer = json!({
        "code": "Ok",
        "routes": routes.iter().map(|r| route_object(&s.network, r, &stops, &repeats, shape)).collect::<Vec<_>>(),
    });
    if !skip_waypoints {
        answer["waypoints"] = snapped.iter().map(|w| waypoint(&s.network, w)).collect();
    }
    Ok(answer)
}

fn no_route_error(why: &crate::analysis::route::NoRoute) -> ApiError {
    let mut m = why.reason.clone();
    for h in &why.hints {
        m.push_str("; ");
        m.push_str(h);
    }
    ApiError::no_route(m)
}

/// Parses `sources` / `destinations`: `all` or indices separated by `;`.
fn indices(pairs: &Pairs, name: &str, n: usize) -> Result<Vec<usize>, ApiError> {
    match pairs.one(name) {
        None | Some("all") => Ok((0..n).collect()),
        Some(list) => list
            .split(';')
            .map(|t| match t.parse::<usize>() {
                Ok(i) if i < n => Ok(i),
                _ => Err(ApiError::value(
                    name,
                    format!(
                        "\"{t}\" is not an index of the {n} coordinates (0 to {})",
                        n - 1
                    ),
                )),
            })
            .collect(),
    }
}

const TABLE_OPTIONS: [&str; 5] = [
    "sources",
    "destinations",
    "annotations",
    "fallback_speed",
    "scale_factor",
];

/// `GET /table/v1/{profile}/{coordinates}`.
pub async fn table(
    AxState(state): AxState<Shared>,
    Path((profile, coordinates)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = Pairs::from_query(query.as_deref())?;
    blocking(&state, move |s| {
        answer_table(s, &profile, &coordinates, &pairs).map(Json)
    })
    .await
}

fn answer_table(
    s: &State,
    profile_name: &str,
    coordinates: &str,
    pairs: &Pairs,
) -> Result<Value, ApiError> {
    pairs.check_known(&known(&TABLE_OPTIONS))?;
    let coords = parse_coordinates(coordinates, s.limits.table_coordinates)?;
    let profile = osrm_profile(s, profile_name, pairs)?;
    let srcs = indices(pairs, "sources", coords.len())?;
    let dsts = indices(pairs, "destinations", coords.len())?;
    let (mut want_duration, mut want_distance) = (false, false);
    for a in pairs.one("annotations").unwrap_or("duration").split(',') {
        match a {
            "duration" => want_duration = true,
            "distance" => want_distance = true,
            other => {
                return Err(ApiError::value(
                    "annotations",
                    format!(
                        "unknown annotation \"{other}\"; use duration, distance or duration,distance"
                    ),
                ));
            }
        }
    }
    let scale = pairs.number("scale_factor", 0.0, 1.0e6)?.unwrap_or(1.0);
    let snapped = snap_all(s, &profile, &coords)?;
    let origins: Vec<NodeIndex> = srcs.iter().map(|&i| snapped[i].place).collect();
    let destinations: Vec<NodeIndex> = dsts.iter().map(|&i| snapped[i].place).collect();
    let weights = Weights::compile(&s.network, &s.engine.graph, &profile);
    let m = crate::analysis::matrix::matrix_for(
        &s.network,
        &s.engine,
        &weights,
        &origins,
        &destinations,
    )
    .map_err(|e| ApiError::from_lib(e, ""))?;
    let cell = |i: usize, j: usize, f: &dyn Fn(&crate::analysis::matrix::Cell) -> f64| {
        if origins[i] == destinations[j] {
            json!(0.0)
        } else {
            match m.get(i, j) {
                Some(c) => json!(round(f(c), 1)),
                None => Value::Null,
            }
        }
    };
    let grid = |f: &dyn Fn(&crate::analysis::matrix::Cell) -> f64| -> Value {
        (0..origins.len())
            .map(|i| {
                (0..destinations.len())
                    .map(|j| cell(i, j, f))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let mut answer = json!({
        "code": "Ok",
        "sources": srcs.iter().map(|&i| waypoint(&s.network, &snapped[i])).collect::<Vec<_>>(),
        "destinations": dsts.iter().map(|&j| waypoint(&s.network, &snapped[j])).collect::<Vec<_>>(),
    });
    if want_duration {
        answer["durations"] = grid(&|c| c.hours * 3600.0 * scale);
    }
    if want_distance {
        answer["distances"] = grid(&|c| c.km * 1000.0);
    }
    Ok(answer)
}

/// `GET /nearest/v1/{profile}/{coordinates}`.
pub async fn nearest(
    AxState(state): AxState<Shared>,
    Path((profile, coordinates)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = Pairs::from_query(query.as_deref())?;
    blocking(&state, move |s| {
        pairs.check_known(&known(&["number"]))?;
        let coords = parse_coordinates(&coordinates, 1)?;
        let &[(lon, lat)] = coords.as_slice() else {
            return Err(ApiError::value(
                "coordinates",
                "give exactly one coordinate",
            ));
        };
        let modes = profile_modes(&profile)?;
        let include_uc = pairs.flag("include_under_construction", false)?;
        let include_proposed = pairs.flag("include_proposed", false)?;
        let most = s.limits.nearest_number as f64;
        let number = pairs.number("number", 1.0, most)?.unwrap_or(1.0);
        if number.fract() != 0.0 {
            return Err(ApiError::value("number", "give a whole number"));
        }
        let hits = s.snap.nearest(
            &s.network,
            lon,
            lat,
            modes,
            &|st| match st {
                crate::network::model::Status::Existing => true,
                crate::network::model::Status::UnderConstruction => include_uc,
                crate::network::model::Status::Proposed => include_proposed,
            },
            number as usize,
        );
        if hits.is_empty() {
            return Err(ApiError::no_segment(
                "coordinates",
                "no place near the coordinate",
            ));
        }
        let waypoints: Vec<Value> = hits
            .iter()
            .map(|h| {
                let mut w = waypoint(&s.network, h);
                w["nodes"] = json!([0, 0]);
                w
            })
            .collect();
        Ok(Json(json!({"code": "Ok", "waypoints": waypoints})))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_parse_and_limit() {
        assert_eq!(
            parse_coordinates("106.9,47.9;76.9,43.2.json", 100).unwrap(),
            vec![(106.9, 47.9), (76.9, 43.2)]
        );
        assert_eq!(
            parse_coordinates("1,2;3,4;5,6", 2).unwrap_err().code,
            "TooBig"
        );
        assert_eq!(
            parse_coordinates("1,2;x", 10)
                .unwrap_err()
                .parameter
                .as_deref(),
            Some("coordinates")
        );
    }

    #[test]
    fn profiles_map_to_modes() {
        assert!(!profile_modes("driving").unwrap().rail);
        assert!(!profile_modes("rail").unwrap().road);
        assert_eq!(profile_modes("freight").unwrap(), ModeSet::ALL);
        assert_eq!(
            profile_modes("bike").unwrap_err().parameter.as_deref(),
            Some("profile")
        );
    }
}
