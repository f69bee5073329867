//! OSRM's route objects built from steppe's routes: legs split at the waypoints, geometry as
//! polyline, polyline6 or GeoJSON, steps (one per link, border, transfer, terminal, rest) and
//! per-segment annotations.

use geo::{Distance, Haversine, Point, Simplify};
use petgraph::stable_graph::NodeIndex;
use serde_json::{Value, json};

use crate::analysis::route::{Route, Step};
use crate::network::Network;
use crate::network::model::Layer;
use crate::output::geojson::round;
use crate::output::route::route_json;
use crate::server::error::ApiError;
use crate::server::params::Pairs;
use crate::server::polyline;

/// Route output options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Shape {
    overview: Overview,
    geometries: Geometries,
    steps: bool,
    annotations: Annotations,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Overview {
    Full,
    Simplified,
    False,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Geometries {
    Polyline,
    Polyline6,
    GeoJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Annotations {
    duration: bool,
    distance: bool,
    speed: bool,
    weight: bool,
}

pub(super) fn parse_shape(pairs: &Pairs) -> Result<Shape, ApiError> {
    let overview = match pairs.one("overview").unwrap_or("simplified") {
        "full" => Overview::Full,
        "simplified" => Overview::Simplified,
        "false" => Overview::False,
        v => {
            return Err(ApiError::value(
                "overview",
                format!("\"{v}\" is not full, simplified or false"),
            ));
        }
    };
    let geometries = match pairs.one("geometries").unwrap_or("polyline") {
        "polyline" => Geometries::Polyline,
        "polyline6" => Geometries::Polyline6,
        "geojson" => Geometries::GeoJson,
        v => {
            return Err(ApiError::value(
                "geometries",
                format!("\"{v}\" is not polyline, polyline6 or geojson"),
            ));
        }
    };
    let mut annotations = Annotations::default();
    match pairs.one("annotations").unwrap_or("false") {
        "false" => {}
        "true" => {
            annotations = Annotations {
                duration: true,
                distance: true,
                speed: true,
                weight: true,
            }
        }
        list => {
            for a in list.split(',') {
                match a {
                    "duration" => annotations.duration = true,
                    "distance" => annotations.distance = true,
                    "speed" => annotations.speed = true,
                    "weight" => annotations.weight = true,
                    "nodes" | "datasources" => {}
                    other => {
                        return Err(ApiError::value(
                            "annotations",
                            format!(
                                "unknown annotation \"{other}\"; use true, false or a list of duration, distance, speed, weight"
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(Shape {
        overview,
        geometries,
        steps: pairs.flag("steps", false)?,
        annotations,
    })
}

fn geometry(points: &[(f64, f64)], g: Geometries) -> Value {
    match g {
        Geometries::Polyline => json!(polyline::encode(points, 5)),
        Geometries::Polyline6 => json!(polyline::encode(points, 6)),
        Geometries::GeoJson => json!({
            "type": "LineString",
            "coordinates": points.iter().map(|&(x, y)| [round(x, 6), round(y, 6)]).collect::<Vec<_>>(),
        }),
    }
}

/// A link step's line in travel order.
fn link_line(network: &Network, step: &Step) -> Vec<(f64, f64)> {
    let Step::Link { link, from, .. } = step else {
        return Vec::new();
    };
    let l = network.link(*link);
    let (lf, _) = network
        .graph
        .edge_endpoints(*link)
        .unwrap_or((*from, *from));
    let mut pts: Vec<(f64, f64)> = l.geometry.0.iter().map(|c| (c.x, c.y)).collect();
    if lf != *from {
        pts.reverse();
    }
    pts
}

/// Appends `line` to `out`, dropping the joint point they share.
fn extend_line(out: &mut Vec<(f64, f64)>, line: &[(f64, f64)]) {
    let skip = usize::from(!out.is_empty() && out.last() == line.first());
    out.extend_from_slice(&line[skip.min(line.len())..]);
}

fn step_hours(step: &Step) -> f64 {
    match step {
        Step::Link { hours, .. }
        | Step::Border { hours, .. }
        | Step::Terminal { hours, .. }
        | Step::Rest { hours, .. }
        | Step::Transfer { hours, .. } => *hours,
    }
}

fn step_km(step: &Step) -> f64 {
    match step {
        Step::Link { km, .. } => *km,
        _ => 0.0,
    }
}

/// Splits a route's steps at its via places: one slice of step indices per leg.
fn split_legs(route: &Route, stops: &[NodeIndex]) -> Vec<Vec<usize>> {
    let legs = stops.len().saturating_sub(1).max(1);
    let mut out = vec![Vec::new(); legs];
    let mut k = 0;
    for (i, s) in route.steps.iter().enumerate() {
        out[k].push(i);
        if let Step::Link { to, .. } = s
            && k + 1 < legs
            && *to == stops[k + 1]
        {
            k += 1;
        }
    }
    out
}

/// One OSRM leg from the steps `ix` of `route`.
fn leg_json(network: &Network, route: &Route, ix: &[usize], shape: Shape) -> Value {
    let (mut km, mut hours) = (0.0, 0.0);
    let mut by_ref: Vec<(String, f64)> = Vec::new();
    let mut steps = Vec::new();
    let (mut a_dist, mut a_dur, mut a_speed) = (Vec::new(), Vec::new(), Vec::new());
    let g = shape.geometries;
    for &i in ix {
        let s = &route.steps[i];
        km += step_km(s);
        hours += step_hours(s);
        if let Step::Link {
            link,
            km: lkm,
            hours: lh,
            layer,
            ..
        } = s
        {
            let l = network.link(*link);
            let name = l.route_ref.clone().unwrap_or_default();
            match by_ref.iter_mut().find(|(n, _)| *n == name) {
                Some(e) => e.1 += lkm,
                None => by_ref.push((name.clone(), *lkm)),
            }
            let line = link_line(network, s);
            if shape.annotations != Annotations::default() {
                let seg: Vec<f64> = line
                    .windows(2)
                    .map(|w| Haversine.distance(Point::from(w[0]), Point::from(w[1])))
                    .collect();
                let total: f64 = seg.iter().sum();
                for d in &seg {
                    let f = if total > 0.0 {
                        d / total
                    } else {
                        1.0 / seg.len() as f64
                    };
                    let m = lkm * 1000.0 * f;
                    let sec = lh * 3600.0 * f;
                    a_dist.push(round(m, 1));
                    a_dur.push(round(sec, 1));
                    a_speed.push(if sec > 0.0 { round(m / sec, 1) } else { 0.0 });
                }
            }
            if shape.steps {
                let start = line.first().copied().unwrap_or_default();
                steps.push(json!({
                    "distance": round(lkm * 1000.0, 1),
                    "duration": round(lh * 3600.0, 1),
                    "weight": round(lh * 3600.0, 1),
                    "name": name,
                    "ref": l.route_ref,
                    "mode": match layer { Layer::Road => "driving", Layer::Rail { .. } => "train" },
                    "driving_side": "right",
                    "geometry": geometry(&line, g),
                    "maneuver": {"location": [start.0, start.1], "bearing_before": 0, "bearing_after": 0,
                                  "type": if steps.is_empty() { "depart" } else { "continue" }},
                    "intersections": [{"location": [start.0, start.1], "bearings": [0], "entry": [true], "out": 0}],
                    "steppe": {"type": "link", "link": l.id.0, "layer": layer.to_string()},
                }));
            }
        } else if shape.steps {
            let (place, kind) = match s {
                Step::Border { place, .. } => (*place, "border"),
                Step::Terminal {
                    place,
                    loading: true,
                    ..
                } => (*place, "loading"),
                Step::Terminal { place, .. } => (*place, "unloading"),
                Step::Rest { place, .. } => (*place, "rest"),
                Step::Transfer {
                    place,
                    from_layer: Layer::Rail { .. },
                    to_layer: Layer::Rail { .. },
                    ..
                } => (*place, "gauge_change"),
                Step::Transfer { place, .. } => (*place, "transfer"),
                Step::Link { from, .. } => (*from, "link"),
            };
            let p = network.place(place);
            let at = (p.position.x(), p.position.y());
            steps.push(json!({
                "distance": 0.0,
                "duration": round(step_hours(s) * 3600.0, 1),
                "weight": round(step_hours(s) * 3600.0, 1),
                "name": p.name,
                "mode": "driving",
                "driving_side": "right",
                "geometry": geometry(&[at, at], g),
                "maneuver": {"location": [at.0, at.1], "bearing_before": 0, "bearing_after": 0,
                              "type": if steps.is_empty() { "depart" } else { "notification" }},
                "intersections": [{"location": [at.0, at.1], "bearings": [0], "entry": [true], "out": 0}],
                "steppe": {"type": kind, "place": p.id.0},
            }));
        }
    }
    if shape.steps {
        let end = ix
            .iter()
            .rev()
            .find_map(|&i| match &route.steps[i] {
                Step::Link { to, .. } => Some(*to),
                _ => None,
            })
            .unwrap_or(route.to);
        let p = network.place(end);
        let at = (p.position.x(), p.position.y());
        steps.push(json!({
            "distance": 0.0, "duration": 0.0, "weight": 0.0, "name": p.name, "mode": "driving",
            "driving_side": "right", "geometry": geometry(&[at, at], g),
            "maneuver": {"location": [at.0, at.1], "bearing_before": 0, "bearing_after": 0, "type": "arrive"},
            "intersections": [{"location": [at.0, at.1], "bearings": [0], "entry": [true], "in": 0}],
        }));
    }
    by_ref.sort_by(|a, b| b.1.total_cmp(&a.1));
    let summary = by_ref
        .iter()
        .filter(|(n, _)| !n.is_empty())
        .take(2)
        .map(|(n, _)| n.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let mut leg = json!({
        "distance": round(km * 1000.0, 1),
        "duration": round(hours * 3600.0, 1),
        "weight": round(hours * 3600.0, 1),
        "summary": summary,
        "steps": steps,
    });
    if shape.annotations != Annotations::default() {
        let mut a = serde_json::Map::new();
        if shape.annotations.distance {
            a.insert("distance".into(), json!(a_dist));
        }
        if shape.annotations.duration {
            a.insert("duration".into(), json!(a_dur));
        }
        if shape.annotations.weight {
            a.insert("weight".into(), json!(a_dur));
        }
        if shape.annotations.speed {
            a.insert("speed".into(), json!(a_speed));
        }
        leg["annotation"] = Value::Object(a);
    }
    leg
}

/// One OSRM route object; `stops` are the distinct consecutive places searched through,
/// `repeat[k]` how many zero legs follow stop `k` (coordinates snapped to the same place).
pub(super) fn route_object(
    network: &Network,
    route: &Route,
    stops: &[NodeIndex],
    repeats: &[usize],
    shape: Shape,
) -> Value {
    let mut legs = Vec::new();
    let zero = |legs: &mut Vec<Value>, n: usize| {
        for _ in 0..n {
            legs.push(json!({"distance": 0.0, "duration": 0.0, "weight": 0.0, "summary": "", "steps": []}));
        }
    };
    if stops.len() < 2 {
        zero(&mut legs, repeats.first().copied().unwrap_or(0));
    } else {
        for (k, ix) in split_legs(route, stops).iter().enumerate() {
            zero(&mut legs, repeats[k]);
            legs.push(leg_json(network, route, ix, shape));
        }
        zero(&mut legs, repeats[stops.len() - 1]);
    }
    let mut line: Vec<(f64, f64)> = Vec::new();
    for s in &route.steps {
        extend_line(&mut line, &link_line(network, s));
    }
    if line.is_empty() {
        let p = network.place(route.from).position;
        line = vec![(p.x(), p.y()), (p.x(), p.y())];
    }
    let mut steppe = route_json(network, route);
    if let Some(o) = steppe.as_object_mut() {
        o.remove("steps");
    }
    let mut r = json!({
        "distance": round(route.totals.km * 1000.0, 1),
        "duration": round(route.totals.hours * 3600.0, 1),
        "weight": round(route.totals.hours * 3600.0, 1),
        "weight_name": "duration",
        "legs": legs,
        "steppe": steppe,
    });
    match shape.overview {
        Overview::False => {}
        Overview::Full => r["geometry"] = geometry(&line, shape.geometries),
        Overview::Simplified => {
            let ls = geo::LineString::from(line.clone());
            let simple: Vec<(f64, f64)> = ls.simplify(0.01).0.iter().map(|c| (c.x, c.y)).collect();
            r["geometry"] = geometry(&simple, shape.geometries);
        }
    }
    r
}

/// A route of no length at one place (every coordinate snapped to it).
pub(super) fn stay(place: NodeIndex) -> Route {
    Route {
        from: place,
        to: place,
        via: Vec::new(),
        steps: Vec::new(),
        arcs: Vec::new(),
        totals: Default::default(),
        weight: 0,
        by_country: Default::default(),
        borders: Default::default(),
        transit_countries: Vec::new(),
        notes: Vec::new(),
    }
}
