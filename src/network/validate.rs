//! Validation: every problem in a network at once, each naming its file, line and feature.
//! Per-feature checks live in `format`; the checks here need the whole network.

use std::collections::{HashMap, HashSet};
use std::fmt;

use geo::{Distance, Haversine, Point};

use crate::network::format::{ParsedLink, ParsedPlace};
use crate::network::model::{Layer, Mode, PlaceKind};

/// How bad a problem is. Errors stop the network from loading; warnings are reported.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong with a network, with where it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub severity: Severity,
    /// The file it is in (e.g. `networks/mn-kz/network.geojson`).
    pub file: String,
    /// 1-based line where the feature (or the syntax error) starts, when known.
    pub line: Option<usize>,
    /// 0-based feature index and its id, when the problem belongs to a feature.
    pub feature: Option<(usize, Option<String>)>,
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        match &self.feature {
            Some((i, Some(id))) => write!(f, ": feature {i} (id \"{id}\")")?,
            Some((i, None)) => write!(f, ": feature {i}")?,
            None => {}
        }
        write!(f, ": {}", self.message)
    }
}

/// Collects problems for one file.
#[derive(Debug)]
pub struct Report {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl Report {
    pub fn new(file: impl Into<String>) -> Report {
        Report {
            file: file.into(),
            problems: Vec::new(),
        }
    }
    pub fn push(
        &mut self,
        severity: Severity,
        line: Option<usize>,
        feature: Option<(usize, Option<String>)>,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            severity,
            file: self.file.clone(),
            line,
            feature,
            message: message.into(),
        });
    }
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// How far a link's geometry may end from its place before it is an error, km.
pub const MAX_END_GAP_KM: f64 = 5.0;

/// Checks that need all features: unique ids, link ends, geometry ends, crossings against
/// the countries they join, layers meeting without a transfer, places no link reaches.
pub fn check_network(places: &[ParsedPlace], links: &[ParsedLink], report: &mut Report) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for p in places {
        if let Some(first) = seen.insert(p.place.id.0.as_str(), p.index) {
            report.push(
                Severity::Error,
                p.line,
                Some((p.index, Some(p.place.id.0.clone()))),
                format!("duplicate id: feature {first} has the same id"),
            );
        }
    }
    let by_id: HashMap<&str, &ParsedPlace> =
        places.iter().map(|p| (p.place.id.0.as_str(), p)).collect();
    for l in links {
        if let Some(first) = seen.insert(l.link.id.0.as_str(), l.index) {
            report.push(
                Severity::Error,
                l.line,
                Some((l.index, Some(l.link.id.0.clone()))),
                format!("duplicate id: feature {first} has the same id"),
            );
        }
    }

    let mut reached: HashSet<&str> = HashSet::new();
    let mut layers_at: HashMap<&str, HashSet<Layer>> = HashMap::new();
    for l in links {
        let feat = Some((l.index, Some(l.link.id.0.clone())));
        let ends = [("from", &l.from), ("to", &l.to)];
        let mut resolved = Vec::new();
        for (which, id) in ends {
            match by_id.get(id.as_str()) {
                Some(p) => resolved.push(*p),
                None => {
                    let hint = crate::network::names::closest_ids(
                        id,
                        places.iter().map(|p| p.place.id.0.as_str()),
                    );
                    let hint = if hint.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", hint.join(" or "))
                    };
                    report.push(
                        Severity::Error,
                        l.line,
                        feat.clone(),
                        format!("`{which}` names no place: \"{id}\"{hint}"),
                    );
                }
            }
        }
        let [a, b] = match resolved.as_slice() {
            [a, b] => [*a, *b],
            _ => continue,
        };
        if a.place.id == b.place.id {
            report.push(
                Severity::Error,
                l.line,
                feat.clone(),
                "link joins a place to itself",
            );
        }
        reached.insert(a.place.id.0.as_str());
        reached.insert(b.place.id.0.as_str());
        for p in [a, b] {
            layers_at
                .entry(p.place.id.0.as_str())
                .or_default()
                .insert(l.link.layer());
        }
        // Geometry ends must sit on the places.
        let coords = &l.link.geometry.0;
        if let (Some(first), Some(last)) = (coords.first(), coords.last()) {
            for (which, c, p) in [("first", first, a), ("last", last, b)] {
                let gap = Haversine.distance(Point::from(*c), p.place.position) / 1000.0;
                if gap > MAX_END_GAP_KM {
                    report.push(
                        Severity::Error,
                        l.line,
                        feat.clone(),
                        format!(
                            "geometry's {which} point is {gap:.1} km from place \"{}\" (at most {MAX_END_GAP_KM} km allowed); is the line reversed or the place moved?",
                            p.place.id
                        ),
                    );
                }
            }
        }
        // A stated length shorter than the straight line between the places cannot be right.
        let chord_km = Haversine.distance(a.place.position, b.place.position) / 1000.0;
        if l.link.length_given
            && l.link.length_km < chord_km * 0.98
            && chord_km - l.link.length_km > 0.5
        {
            report.push(
                Severity::Warning,
                l.line,
                feat.clone(),
                format!(
                    "length_km {} is shorter than the straight line between its places ({chord_km:.1} km)",
                    l.link.length_km
                ),
            );
        }
        // Changing country needs a border crossing.
        let (ca, cb) = (a.place.countries(), b.place.countries());
        if !ca.iter().any(|c| cb.contains(c)) {
            report.push(
                Severity::Error,
                l.line,
                feat.clone(),
                format!(
                    "link goes from {} ({}) to {} ({}) without a border crossing; route it through a place of kind border_crossing",
                    a.place.id, ca.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("/"),
                    b.place.id, cb.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("/")
                ),
            );
        }
        // A crossing must serve the link's mode.
        for p in [a, b] {
            if let Some(c) = &p.place.crossing
                && c.processing(l.link.mode).is_none()
            {
                report.push(
                        Severity::Error,
                        l.line,
                        feat.clone(),
                        format!(
                            "{} link ends at crossing \"{}\", which does not serve {} (add crossing.modes.{})",
                            l.link.mode, p.place.id, l.link.mode, l.link.mode
                        ),
                    );
            }
        }
    }

    let links_by_id: HashMap<&str, &ParsedLink> =
        links.iter().map(|l| (l.link.id.0.as_str(), l)).collect();
    for p in places {
        let feat = Some((p.index, Some(p.place.id.0.clone())));
        // Turn restrictions join two road links touching the place, the first able to
        // arrive there and the second to leave.
        for (i, t) in p.place.turn_restrictions.iter().enumerate() {
            let here = p.place.id.0.as_str();
            let problem = [(&t.from, true), (&t.to, false)]
                .into_iter()
                .find_map(|(id, arriving)| {
                    let which = if arriving { "from" } else { "to" };
                    let Some(l) = links_by_id.get(id.0.as_str()) else {
                        return Some(format!("turn_restrictions[{i}].{which}: no link \"{id}\""));
                    };
                    if l.link.mode != Mode::Road {
                        return Some(format!(
                            "turn_restrictions[{i}].{which}: \"{id}\" is a {} link; turn restrictions are between roads",
                            l.link.mode
                        ));
                    }
                    let usable = if arriving {
                        l.to == here || (!l.link.oneway && l.from == here)
                    } else {
                        l.from == here || (!l.link.oneway && l.to == here)
                    };
                    (!usable).then(|| {
                        format!(
                            "turn_restrictions[{i}].{which}: link \"{id}\" does not {} this place",
                            if arriving { "arrive at" } else { "leave" }
                        )
                    })
                });
            if let Some(message) = problem {
                report.push(Severity::Error, p.line, feat.clone(), message);
            }
        }
        // Transfers must join layers present at the place.
        if let Some(layers) = layers_at.get(p.place.id.0.as_str()) {
            for t in &p.place.transfers {
                for layer in t.between {
                    if !layers.contains(&layer) {
                        report.push(
                            Severity::Warning,
                            p.line,
                            feat.clone(),
                            format!(
                                "transfer names {layer}, but no {layer} link reaches this place"
                            ),
                        );
                    }
                }
            }
            let gauges: Vec<Layer> = {
                let mut g: Vec<Layer> = layers
                    .iter()
                    .copied()
                    .filter(|l| l.mode() == Mode::Rail)
                    .collect();
                g.sort();
                g
            };
            if gauges.len() > 1 && !p.place.transfers.iter().any(|t| t.is_gauge_change()) {
                report.push(
                    Severity::Warning,
                    p.line,
                    feat.clone(),
                    format!(
                        "rail of different gauges meets here ({}) but the place has no gauge-change transfer: trains cannot continue",
                        gauges.iter().map(|g| g.to_string()).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
        if !reached.contains(p.place.id.0.as_str()) {
            report.push(
                Severity::Warning,
                p.line,
                feat.clone(),
                "no link reaches this place",
            );
        }
        if p.place.kind == PlaceKind::BorderCrossing && p.place.crossing.is_none() {
            report.push(
                Severity::Error,
                p.line,
                feat,
                "kind is border_crossing but the `crossing` property is missing",
            );
        } else if p.place.crossing.is_some() && p.place.kind != PlaceKind::BorderCrossing {
            report.push(
                Severity::Error,
                p.line,
                feat,
                "has a `crossing` property but its kind is not border_crossing",
            );
        }
    }
}
