//! The network file format: reading `network.geojson` features into model types, one
//! feature at a time, recording every problem with its line and feature.
//! `networks/README.md` documents the format for people.

mod lines;
mod link;
mod place;
mod props;

pub use lines::*;
pub use link::*;
pub use place::*;
pub(crate) use props::*;

use serde_json::Value;

use crate::network::model::{Link, Place};
use crate::network::validate::{Report, Severity};

/// A place read from the file, with where it was.
#[derive(Debug, Clone)]
pub struct ParsedPlace {
    pub index: usize,
    pub line: Option<usize>,
    pub place: Place,
}

/// A link read from the file, with its end ids not yet resolved.
#[derive(Debug, Clone)]
pub struct ParsedLink {
    pub index: usize,
    pub line: Option<usize>,
    pub from: String,
    pub to: String,
    pub link: Link,
}

/// Properties every place may carry; others are reported as warnings (likely typos).
pub(crate) const PLACE_KEYS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "country",
    "kind",
    "status",
    "transfers",
    "turn_restrictions",
    "crossing",
    "source",
    "notes",
    "marker-color",
    "marker-size",
    "marker-symbol",
    "title",
    "description",
];

/// Properties every link may carry.
pub(crate) const LINK_KEYS: &[&str] = &[
    "id",
    "from",
    "to",
    "mode",
    "gauge_mm",
    "class",
    "length_km",
    "speed_kmh",
    "oneway",
    "status",
    "months_open",
    "ref",
    "name",
    "source",
    "geometry_source",
    "notes",
    "tracks",
    "electrified",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "title",
    "description",
];

/// Physical ranges of the numbers a network file holds: anything outside is an error
/// naming the property, so no cost can overflow downstream.
pub mod limits {
    /// Longest link, km (a link is a stretch between two places, not a continent).
    pub const MAX_LINK_KM: f64 = 20_000.0;
    /// Speeds a link may state, km/h.
    pub const MIN_SPEED_KMH: f64 = 1.0;
    pub const MAX_SPEED_KMH: f64 = 300.0;
    /// Longest processing at a crossing or transfer, hours (a year).
    pub const MAX_HOURS: f64 = 8_760.0;
    /// Largest fee at a crossing, USD per truck or wagon.
    pub const MAX_FEE_USD: f64 = 1.0e6;
    /// Largest transfer charge, USD per tonne.
    pub const MAX_USD_PER_TONNE: f64 = 1.0e4;
}

pub(crate) const CROSSING_KEYS: &[&str] = &[
    "countries",
    "regime",
    "modes",
    "months_open",
    "weekdays_open",
    "notes",
    "source",
];

pub(crate) const PROCESSING_KEYS: &[&str] =
    &["hours", "bad_day_hours", "fee_usd", "source", "notes"];

pub(crate) const TRANSFER_KEYS: &[&str] = &[
    "between",
    "hours",
    "bad_day_hours",
    "cost_usd_per_tonne",
    "methods",
    "source",
    "notes",
];

/// Reads every feature of a network file's text: places and links, with every problem
/// (malformed JSON, not a FeatureCollection, bad features) recorded with its line. Features
/// are parsed one by one from their own slice of the text, in parallel, so a large file
/// loads in linear time without a whole-document tree.
pub fn read_features(text: &str, report: &mut Report) -> (Vec<ParsedPlace>, Vec<ParsedLink>) {
    use rayon::prelude::*;
    #[derive(serde::Deserialize)]
    struct Collection<'a> {
        #[serde(rename = "type")]
        kind: Option<String>,
        #[serde(borrow, default)]
        features: Option<Vec<&'a serde_json::value::RawValue>>,
    }
    let mut places = Vec::new();
    let mut links = Vec::new();
    let collection: Collection<'_> = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) if e.is_data() => {
            report.push(
                Severity::Error,
                Some(1),
                None,
                "the file must be a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")",
            );
            return (places, links);
        }
        Err(e) => {
            report.push(
                Severity::Error,
                Some(e.line()),
                None,
                format!(
                    "malformed JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
            );
            return (places, links);
        }
    };
    if collection.kind.as_deref() != Some("FeatureCollection") {
        report.push(
            Severity::Error,
            Some(1),
            None,
            "the file must be a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")",
        );
        return (places, links);
    }
    let Some(features) = collection.features else {
        report.push(
            Severity::Error,
            Some(1),
            None,
            "the FeatureCollection has no `features` list",
        );
        return (places, links);
    };
    let lines = LineIndex::new(text);
    let base = text.as_ptr() as usize;
    let parsed: Vec<(
        Option<ParsedPlace>,
        Option<ParsedLink>,
        Vec<crate::network::validate::Problem>,
    )> = features
        .par_iter()
        .enumerate()
        .map(|(index, raw)| {
            let offset = (raw.get().as_ptr() as usize).saturating_sub(base);
            let line = Some(lines.line_of(offset));
            let mut local = Report::new(report.file.clone());
            let (p, l) = read_feature(index, line, raw.get(), &mut local);
            (p, l, local.problems)
        })
        .collect();
    for (p, l, mut problems) in parsed {
        places.extend(p);
        links.extend(l);
        report.problems.append(&mut problems);
    }
    (places, links)
}

/// One feature from its text.
pub(crate) fn read_feature(
    index: usize,
    line: Option<usize>,
    text: &str,
    report: &mut Report,
) -> (Option<ParsedPlace>, Option<ParsedLink>) {
    let feature = match serde_json::from_str::<geojson::Feature>(text) {
        Ok(f) => f,
        Err(e) => {
            let id = serde_json::from_str::<Value>(text).ok().and_then(|v| {
                v.pointer("/properties/id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            report.push(
                Severity::Error,
                line,
                Some((index, id)),
                format!("not a GeoJSON Feature: {e}"),
            );
            return (None, None);
        }
    };
    let id = feature
        .properties
        .as_ref()
        .and_then(|p| p.get("id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let feat = Some((index, id));
    let Some(props) = feature.properties.as_ref() else {
        report.push(Severity::Error, line, feat, "feature has no properties");
        return (None, None);
    };
    match feature.geometry.as_ref().map(|g| &g.value) {
        Some(geojson::GeometryValue::Point { coordinates }) => (
            parse_place(index, line, props, coordinates.as_slice(), report),
            None,
        ),
        Some(geojson::GeometryValue::LineString { coordinates }) => {
            let cs: Vec<&[f64]> = coordinates.iter().map(|c| c.as_slice()).collect();
            (None, parse_link(index, line, props, &cs, report))
        }
        Some(other) => {
            report.push(
                Severity::Error,
                line,
                feat,
                format!(
                    "geometry type {} is not used: places are Points, links are LineStrings",
                    other.type_name()
                ),
            );
            (None, None)
        }
        None => {
            report.push(Severity::Error, line, feat, "feature has no geometry");
            (None, None)
        }
    }
}
