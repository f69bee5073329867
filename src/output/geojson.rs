//! GeoJSON output (RFC 7946) with simplestyle-spec properties, so geojson.io, QGIS, GDAL and
//! kepler.gl open it as it is and show modes in distinct colours.

use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};
use serde_json::json;

use crate::network::model::{Layer, Link, Network, Place, Status};
use crate::output::style::{layer_colour, place_marker, status_opacity};

/// Builds a feature from a geometry and properties.
pub fn feature(geometry: Geometry, properties: JsonObject) -> Feature {
    Feature {
        bbox: None,
        geometry: Some(geometry),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// A FeatureCollection from features.
pub fn collection(features: Vec<Feature>) -> FeatureCollection {
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    }
}

/// Serialises a collection, one feature per line (readable in diffs, valid JSON).
pub fn to_text(fc: &FeatureCollection) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let lines: Vec<String> = fc
        .features
        .iter()
        .map(|f| serde_json::to_string(f).unwrap_or_else(|_| "null".into()))
        .collect();
    out.push_str(&lines.join(",\n"));
    out.push_str("\n]}\n");
    out
}

/// Properties of a place with its marker style.
pub fn place_properties(place: &Place) -> JsonObject {
    let (colour, symbol, size) = place_marker(place.kind);
    let mut p = JsonObject::new();
    p.insert("id".into(), json!(place.id.0));
    p.insert("name".into(), json!(place.name));
    if !place.aliases.is_empty() {
        p.insert("aliases".into(), json!(place.aliases));
    }
    p.insert("country".into(), json!(place.country.as_str()));
    p.insert("kind".into(), json!(place.kind.as_str()));
    p.insert("status".into(), json!(place.status.as_str()));
    // The crossing and transfers in the network format, so an export loads back.
    if let Some(c) = &place.crossing {
        let mut modes = JsonObject::new();
        for m in c.modes() {
            if let Some(bp) = c.processing(m) {
                let mut o = JsonObject::new();
                for (k, v) in [
                    ("hours", bp.hours),
                    ("bad_day_hours", bp.bad_day_hours),
                    ("fee_usd", bp.fee_usd),
                ] {
                    if let Some(v) = v {
                        o.insert(k.into(), json!(v));
                    }
                }
                if let Some(s) = &bp.source {
                    o.insert("source".into(), json!(s));
                }
                modes.insert(m.as_str().into(), serde_json::Value::Object(o));
            }
        }
        let mut x = JsonObject::new();
        x.insert(
            "countries".into(),
            json!([c.countries[0].as_str(), c.countries[1].as_str()]),
        );
        x.insert(
            "regime".into(),
            json!(match c.regime {
                crate::network::model::Regime::International => "international",
                crate::network::model::Regime::Bilateral => "bilateral",
            }),
        );
        x.insert("modes".into(), serde_json::Value::Object(modes));
        if !c.months_open.is_all() {
            x.insert("months_open".into(), json!(c.months_open.months()));
        }
        if let Some(days) = &c.weekdays_open {
            x.insert("weekdays_open".into(), json!(days));
        }
        p.insert("crossing".into(), serde_json::Value::Object(x));
    }
    if !place.transfers.is_empty() {
        let t: Vec<serde_json::Value> = place
            .transfers
            .iter()
            .map(|t| {
                let mut o = JsonObject::new();
                o.insert(
                    "between".into(),
                    json!([t.between[0].to_string(), t.between[1].to_string()]),
                );
                for (k, v) in [
                    ("hours", t.hours),
                    ("bad_day_hours", t.bad_day_hours),
                    ("cost_usd_per_tonne", t.cost_usd_per_tonne),
                ] {
                    if let Some(v) = v {
                        o.insert(k.into(), json!(v));
                    }
                }
                if t.is_gauge_change() {
                    o.insert(
                        "methods".into(),
                        json!(
                            t.methods
                                .iter()
                                .map(|m| match m {
                                    crate::cost::params::GaugeMethod::Transload => "transload",
                                    crate::cost::params::GaugeMethod::BogieExchange =>
                                        "bogie_exchange",
                                })
                                .collect::<Vec<_>>()
                        ),
                    );
                }
                if let Some(s) = &t.source {
                    o.insert("source".into(), json!(s));
                }
                serde_json::Value::Object(o)
            })
            .collect();
        p.insert("transfers".into(), json!(t));
    }
    if !place.turn_restrictions.is_empty() {
        let t: Vec<serde_json::Value> = place
            .turn_restrictions
            .iter()
            .map(|t| json!({"from": t.from.0, "to": t.to.0, "restriction": t.restriction}))
            .collect();
        p.insert("turn_restrictions".into(), json!(t));
    }
    if let Some(n) = &place.notes {
        p.insert("notes".into(), json!(n));
    }
    p.insert("source".into(), json!(place.source));
    p.insert("marker-color".into(), json!(colour));
    p.insert("marker-symbol".into(), json!(symbol));
    p.insert("marker-size".into(), json!(size));
    p
}

/// Properties of a link with its line style.
pub fn link_properties(link: &Link, from: &Place, to: &Place) -> JsonObject {
    let layer = link.layer();
    let mut p = JsonObject::new();
    p.insert("id".into(), json!(link.id.0));
    p.insert("from".into(), json!(from.id.0));
    p.insert("to".into(), json!(to.id.0));
    p.insert("mode".into(), json!(link.mode.as_str()));
    match layer {
        Layer::Rail { gauge_mm } => {
            p.insert("gauge_mm".into(), json!(gauge_mm));
        }
        Layer::Road => {
            if let Some(c) = link.class {
                p.insert("class".into(), json!(c.as_str()));
            }
        }
    }
    if link.length_given {
        p.insert("length_km".into(), json!(link.length_km));
    }
    if let Some(s) = link.speed_kmh {
        p.insert("speed_kmh".into(), json!(s));
    }
    if link.oneway {
        p.insert("oneway".into(), json!(true));
    }
    p.insert("status".into(), json!(link.status.as_str()));
    if !link.months_open.is_all() {
        p.insert("months_open".into(), json!(link.months_open.months()));
    }
    if let Some(r) = &link.route_ref {
        p.insert("ref".into(), json!(r));
    }
    p.insert("source".into(), json!(link.source));
    insert_line_style(
        &mut p,
        layer,
        link.status,
        if layer == Layer::Road { 2.0 } else { 3.0 },
    );
    p
}

/// Adds `stroke`, `stroke-width`, `stroke-opacity` for a layer and status.
pub fn insert_line_style(p: &mut JsonObject, layer: Layer, status: Status, width: f64) {
    p.insert("stroke".into(), json!(layer_colour(layer)));
    p.insert("stroke-width".into(), json!(width));
    p.insert("stroke-opacity".into(), json!(status_opacity(status)));
}

/// The whole network as a styled FeatureCollection: links first (drawn under), then places.
pub fn network_collection(network: &Network) -> FeatureCollection {
    let mut features = Vec::new();
    for (_, a, b, link) in network.links() {
        let geometry = Geometry::new(geojson::GeometryValue::from(&link.geometry));
        features.push(feature(
            geometry,
            link_properties(link, network.place(a), network.place(b)),
        ));
    }
    for (_, place) in network.places() {
        let geometry = Geometry::new(geojson::GeometryValue::from(&place.position));
        features.push(feature(geometry, place_properties(place)));
    }
    collection(features)
}

/// Rounds to `d` decimals for output.
pub fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

/// A JSON number, or null when not finite.
pub fn number(x: f64) -> JsonValue {
    if x.is_finite() {
        json!(x)
    } else {
        JsonValue::Null
    }
}
