//! The imported network as a `network.geojson` FeatureCollection, one feature per line so
//! problems can name a line.

use serde_json::{Map, Value, json};

use crate::cost::params::{BorderCost, Params};
use crate::import::osm::build::{Built, NewLink, NewPlace};
use crate::network::model::Country;

/// Rounds a coordinate to 7 decimals (about 1 cm), as OSM stores them.
fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

/// The processing a crossing between `a` and `b` takes by default: the customs union's
/// when both belong to one, else `border_default`.
fn default_processing(
    params: &Params,
    a: Country,
    b: Country,
    rail: bool,
) -> (&BorderCost, String) {
    let union = params.customs_unions.iter().find(|u| {
        [a, b]
            .iter()
            .all(|c| u.members.iter().any(|m| m.eq_ignore_ascii_case(c.as_str())))
    });
    match union {
        Some(u) => (
            if rail { &u.rail } else { &u.road },
            format!(
                "params.json customs_unions {} (OpenStreetMap gives no processing figures)",
                u.name
            ),
        ),
        None => (
            if rail {
                &params.border_default.rail
            } else {
                &params.border_default.road
            },
            "params.json border_default (OpenStreetMap gives no processing figures)".into(),
        ),
    }
}

fn place_feature(p: &NewPlace, params: &Params, source: &str) -> Value {
    let mut props = Map::new();
    props.insert("id".into(), json!(p.id));
    props.insert("name".into(), json!(p.name));
    props.insert("country".into(), json!(p.country.as_str()));
    props.insert("kind".into(), json!(p.kind.as_str()));
    if !p.transfers.is_empty() {
        let t: Vec<Value> = p
            .transfers
            .iter()
            .map(|[a, b]| json!({"between": [a.to_string(), b.to_string()]}))
            .collect();
        props.insert("transfers".into(), Value::Array(t));
    }
    if !p.turn_restrictions.is_empty() {
        let t: Vec<Value> = p
            .turn_restrictions
            .iter()
            .map(|(from, to, r)| json!({"from": from, "to": to, "restriction": r}))
            .collect();
        props.insert("turn_restrictions".into(), Value::Array(t));
    }
    if let Some(x) = &p.crossing {
        let mut modes = Map::new();
        for (mode, on, rail) in [("road", x.road, false), ("rail", x.rail, true)] {
            if on {
                let (cost, src) = default_processing(params, x.countries[0], x.countries[1], rail);
                modes.insert(
                    mode.into(),
                    json!({"hours": cost.hours, "bad_day_hours": cost.bad_day_hours,
                           "fee_usd": cost.fee_usd, "source": src}),
                );
            }
        }
        props.insert(
            "crossing".into(),
            json!({"countries": [x.countries[0].as_str(), x.countries[1].as_str()],
                   "modes": modes,
                   "source": "where the way passes between the boundary polygons"}),
        );
    }
    props.insert("source".into(), json!(source));
    json!({"type": "Feature", "properties": props,
           "geometry": {"type": "Point", "coordinates": [round7(p.pos[0]), round7(p.pos[1])]}})
}

fn link_feature(l: &NewLink, source: &str) -> Value {
    let mut props = Map::new();
    props.insert("id".into(), json!(l.id));
    props.insert("from".into(), json!(l.from));
    props.insert("to".into(), json!(l.to));
    props.insert("mode".into(), json!(l.mode.as_str()));
    if let Some(g) = l.gauge_mm {
        props.insert("gauge_mm".into(), json!(g));
    }
    if let Some(c) = l.class {
        props.insert("class".into(), json!(c.as_str()));
    }
    props.insert(
        "length_km".into(),
        json!((l.length_km * 1e6).round().max(1.0) / 1e6),
    );
    if let Some(s) = l.speed_kmh {
        props.insert("speed_kmh".into(), json!((s * 100.0).round() / 100.0));
    }
    if l.oneway {
        props.insert("oneway".into(), json!(true));
    }
    if let Some(r) = &l.route_ref {
        props.insert("ref".into(), json!(r));
    }
    if let Some(n) = &l.name {
        props.insert("name".into(), json!(n));
    }
    props.insert("source".into(), json!(source));
    let coords: Vec<Value> = l
        .coords
        .iter()
        .map(|p| json!([round7(p[0]), round7(p[1])]))
        .collect();
    json!({"type": "Feature", "properties": props,
           "geometry": {"type": "LineString", "coordinates": coords}})
}

/// The GeoJSON text of an imported network: places first, then links.
pub fn geojson(built: &Built, params: &Params, source: &str) -> String {
    let mut s = String::from("{\"type\": \"FeatureCollection\", \"features\": [\n");
    let mut first = true;
    let features = built
        .places
        .iter()
        .map(|p| place_feature(p, params, source))
        .chain(built.links.iter().map(|l| link_feature(l, source)));
    for f in features {
        if !first {
            s.push_str(",\n");
        }
        first = false;
        s.push_str(&f.to_string());
    }
    s.push_str("\n]}\n");
    s
}
