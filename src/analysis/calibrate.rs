//! Calibration: observed facts (`calibration.csv`), each with a source and a tolerance, set
//! against what the model gives: mode shares by commodity, tonnes through crossings, door-to-
//! door days and route lengths of published trial runs and services.

use crate::analysis::assign::Assignment;
use crate::analysis::demand::Demand;
use crate::analysis::route::{Planner, RouteOutcome};
use crate::cost::profile::{ModeSet, Objective, Profile};
use crate::error::{Error, Result};
use crate::graph::search_graph::SearchGraph;
use crate::network::model::{Country, Mode, Network};

/// What a calibration row measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// Rail's share of the tonnes of a commodity (by the mode that carries them furthest);
    /// `*` for all commodities.
    RailShare { commodity: String },
    /// Tonnes per year through one or more crossings.
    CrossingTonnes { crossings: Vec<String> },
    /// Door-to-door days of the best route.
    TransitDays { from: String, to: String },
    /// Km of the best route.
    RouteKm { from: String, to: String },
}

/// One observed fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub id: String,
    pub measure: Measure,
    /// `key:value` filters: `commodity:`, `from:`/`to:` (country codes; `!` negates),
    /// `mode:` (road or rail), `modes:` (a route's allowed modes), `minimize:`, `service:`.
    pub filters: Vec<(String, String)>,
    pub observed: f64,
    /// Allowed deviation as a fraction of the observed value.
    pub tolerance: f64,
    pub unit: String,
    pub source: String,
    /// `None` when the model must meet the fact; otherwise why it is known not to (a gap
    /// reported by `calibrate`, not counted as a failure).
    pub known_gap: Option<String>,
    /// 1-based line in the file.
    pub line: usize,
}

/// A fact with the model's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub fact: Fact,
    /// `None` when the model has no answer (no route).
    pub model: Option<f64>,
}

impl Check {
    /// Model minus observed, as a fraction of observed.
    pub fn deviation(&self) -> Option<f64> {
        self.model
            .map(|m| (m - self.fact.observed) / self.fact.observed.abs().max(f64::MIN_POSITIVE))
    }
    pub fn within(&self) -> bool {
        self.deviation()
            .is_some_and(|d| d.abs() <= self.fact.tolerance + 1e-9)
    }
    /// Within tolerance, or a known gap (stated in the file with its reason).
    pub fn acceptable(&self) -> bool {
        self.within() || self.fact.known_gap.is_some()
    }
}

/// Reads calibration CSV text. Every bad row is reported with its line.
pub fn parse_facts(text: &str, origin: &str) -> Result<Vec<Fact>> {
    let bad = |message: String| Error::Input {
        path: origin.into(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| bad(format!("cannot read the header line: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let need = [
        "id",
        "kind",
        "subject",
        "filter",
        "observed",
        "tolerance",
        "unit",
        "source",
    ];
    let missing: Vec<&str> = need.iter().copied().filter(|c| col(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(bad(format!(
            "line 1: missing column(s) {}; the header must include {}",
            missing.join(", "),
            need.join(",")
        )));
    }
    let ix = |name: &str| col(name).unwrap_or(0);
    let mut facts = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |name: &str| record.get(ix(name)).unwrap_or("").to_string();
        let number = |name: &str, problems: &mut Vec<String>| match field(name).parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                problems.push(format!(
                    "line {line}: {name} must be a number >= 0, got \"{}\"",
                    field(name)
                ));
                None
            }
        };
        let subject = field("subject");
        let pair = || {
            subject
                .split_once('>')
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        };
        let measure = match field("kind").as_str() {
            "mode_share" => Some(Measure::RailShare {
                commodity: subject.clone(),
            }),
            "crossing_tonnes" => Some(Measure::CrossingTonnes {
                crossings: subject.split('+').map(|s| s.trim().to_string()).collect(),
            }),
            "transit_days" => pair().map(|(from, to)| Measure::TransitDays { from, to }),
            "route_km" => pair().map(|(from, to)| Measure::RouteKm { from, to }),
            other => {
                problems.push(format!(
                    "line {line}: unknown kind \"{other}\"; use mode_share, crossing_tonnes, transit_days or route_km"
                ));
                continue;
            }
        };
        let Some(measure) = measure else {
            problems.push(format!(
                "line {line}: subject must be ORIGIN>DESTINATION, got \"{subject}\""
            ));
            continue;
        };
        let mut filters = Vec::new();
        for part in field("filter").split_whitespace() {
            match part.split_once(':') {
                Some((k, v)) => filters.push((k.to_string(), v.to_string())),
                None => problems.push(format!("line {line}: filter \"{part}\" must be key:value")),
            }
        }
        let (Some(observed), Some(tolerance)) = (
            number("observed", &mut problems),
            number("tolerance", &mut problems),
        ) else {
            continue;
        };
        let expect = col("expect")
            .and_then(|i| record.get(i))
            .unwrap_or("within");
        let known_gap = match expect.split_once(':') {
            Some(("known_gap", why)) => Some(why.trim().to_string()),
            None if expect.is_empty() || expect == "within" => None,
            _ => {
                problems.push(format!(
                    "line {line}: expect must be `within` or `known_gap: REASON`, got \"{expect}\""
                ));
                continue;
            }
        };
        facts.push(Fact {
            id: field("id"),
            known_gap,
            measure,
            filters,
            observed,
            tolerance,
            unit: field("unit"),
            source: field("source"),
            line,
        });
    }
    if !problems.is_empty() {
        return Err(bad(format!(
            "{} bad row(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        )));
    }
    Ok(facts)
}

fn filter<'a>(f: &'a Fact, key: &str) -> Option<&'a str> {
    f.filters
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Whether country `c` matches a filter value such as `MN`, `RU+CN` or `!MN`.
fn country_matches(value: Option<&str>, c: Country) -> bool {
    match value {
        None => true,
        Some(v) => match v.strip_prefix('!') {
            Some(not) => !not.split('+').any(|x| x.eq_ignore_ascii_case(c.as_str())),
            None => v.split('+').any(|x| x.eq_ignore_ascii_case(c.as_str())),
        },
    }
}

/// Sets every fact against the model: the assignment of `demand` (done by the caller, per
/// commodity) and single routes under `base` (the request's profile).
pub fn check(
    network: &Network,
    graph: &SearchGraph,
    base: &Profile,
    demand: &Demand,
    assignment: &Assignment,
    facts: &[Fact],
) -> Result<Vec<Check>> {
    let mut out = Vec::new();
    for fact in facts {
        let commodity = match &fact.measure {
            Measure::RailShare { commodity } if commodity != "*" => Some(commodity.as_str()),
            _ => filter(fact, "commodity"),
        };
        let flows = demand
            .flows
            .iter()
            .zip(&assignment.routes)
            .filter(|(fl, _)| {
                commodity.is_none_or(|c| c == fl.commodity)
                    && country_matches(filter(fact, "from"), network.place(fl.origin).country)
                    && country_matches(filter(fact, "to"), network.place(fl.destination).country)
            });
        let mode_ok = |m: Mode| filter(fact, "mode").is_none_or(|x| x == m.as_str());
        let model = match &fact.measure {
            Measure::RailShare { .. } => {
                let (mut rail, mut all) = (0.0, 0.0);
                for (fl, r) in flows {
                    if let Some(r) = r {
                        all += fl.tonnes_per_year;
                        if r.main_mode() == Mode::Rail {
                            rail += fl.tonnes_per_year;
                        }
                    }
                }
                (all > 0.0).then(|| rail / all)
            }
            Measure::CrossingTonnes { crossings } => {
                let mut ids = Vec::new();
                for c in crossings {
                    ids.push(network.place_by_id(c).ok_or_else(|| {
                        Error::Request(format!(
                            "calibration line {}: no crossing has id \"{c}\"",
                            fact.line
                        ))
                    })?);
                }
                let mut t = 0.0;
                for (fl, r) in flows {
                    let Some(r) = r else { continue };
                    if !mode_ok(r.main_mode()) {
                        continue;
                    }
                    if r.crossings.iter().any(|c| ids.contains(c)) {
                        t += fl.tonnes_per_year;
                    }
                }
                Some(t)
            }
            Measure::TransitDays { from, to } | Measure::RouteKm { from, to } => {
                let resolve = |id: &str| {
                    network.place_by_id(id).ok_or_else(|| {
                        Error::Request(format!(
                            "calibration line {}: no place has id \"{id}\"",
                            fact.line
                        ))
                    })
                };
                let (a, b) = (resolve(from)?, resolve(to)?);
                let mut p = base.clone();
                if let Some(c) = filter(fact, "commodity") {
                    p.set_commodity(c)?;
                }
                if let Some(m) = filter(fact, "modes") {
                    p.modes = ModeSet {
                        road: m.contains("road"),
                        rail: m.contains("rail"),
                    };
                }
                if let Some(o) = filter(fact, "minimize") {
                    p.objective = Objective::parse(o).unwrap_or(p.objective);
                }
                if let Some(s) = filter(fact, "service") {
                    p.rail_service = crate::cost::params::RailService::parse(s);
                }
                let mut via = Vec::new();
                for id in filter(fact, "via")
                    .map(|v| v.split(','))
                    .into_iter()
                    .flatten()
                {
                    via.push(resolve(id)?);
                }
                let mut planner = Planner::new(network, graph, &p);
                match planner.route(a, b, &via)? {
                    RouteOutcome::Found(r) => Some(match fact.measure {
                        Measure::TransitDays { .. } => r.totals.hours / 24.0,
                        _ => r.totals.km,
                    }),
                    RouteOutcome::NoRoute(_) => None,
                }
            }
        };
        out.push(Check {
            fact: fact.clone(),
            model,
        });
    }
    Ok(out)
}
