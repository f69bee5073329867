//! What-if scenarios: a JSON file of edits (close or open elements, set attributes, add links,
//! switch on projects, change parameters, scale or replace demand), checked against the
//! network all at once, applied to a copy of the model, and evaluated against the baseline.
//! Edits that only close or re-cost existing elements update the compiled weights of the
//! arcs they touch; only added features rebuild the search graph.

use std::path::{Path, PathBuf};

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::analysis::assign::{Assignment, OdRoute, assign_with};
use crate::analysis::demand::{Demand, read_demand};
use crate::analysis::many::MaskSet;
use crate::cost::profile::Profile;
use crate::error::{Error, Result};
use crate::graph::csr::ArcIx;
use crate::graph::engine::{Engine, Searcher};
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::Weights;
use crate::network::format::{ParsedLink, ParsedPlace, read_features};
use crate::network::model::{
    BorderProcessing, Layer, MonthSet, Network, RoadClass, Status, Transfer,
};
use crate::network::names::closest_ids;
use crate::network::validate::{Report, check_network};

/// One edit of a scenario file (`"op"` names the kind).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Close a place, link or crossing, wholly or in some months.
    Close {
        id: String,
        #[serde(default)]
        months: Option<Vec<u8>>,
    },
    /// Open a place, link or crossing: status existing, every month, not closed.
    Open { id: String },
    /// Set attributes of a link (speed_kmh, class, length_km, status, months_open, oneway),
    /// a crossing (road / rail processing, months_open, regime) or a terminal (transfer).
    Set {
        id: String,
        values: Map<String, Value>,
    },
    /// Add places and links, inline or from a GeoJSON file (path relative to the scenario).
    Add {
        #[serde(default)]
        features: Vec<Value>,
        #[serde(default)]
        file: Option<String>,
    },
    /// Use every link and place of a status (`under_construction` or `proposed`).
    Include { status: String },
    /// Change a parameter of params.json (`key` dotted, as for `--param`).
    Param { key: String, value: Value },
    /// Scale the demand, or replace it with a file (path relative to the scenario).
    Demand {
        #[serde(default)]
        scale: Option<f64>,
        #[serde(default)]
        file: Option<String>,
    },
}

/// A scenario file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Where the scenario's figures come from.
    #[serde(default)]
    pub source: String,
    pub edits: Vec<Edit>,
    /// The file it was read from (set by [`read_scenario`]).
    #[serde(skip)]
    pub path: PathBuf,
}

/// Reads and parses a scenario file (not yet checked against a network).
pub fn read_scenario(path: &Path) -> Result<Scenario> {
    let text = crate::inputs::read_text(path)?;
    let mut s: Scenario = serde_json::from_str(&text).map_err(|e| Error::Input {
        path: path.to_path_buf(),
        message: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    s.path = path.to_path_buf();
    Ok(s)
}

/// A network with a scenario applied, and what the edits touched.
#[derive(Debug, Clone)]
pub struct Applied {
    pub network: Network,
    pub profile: Profile,
    pub touched_links: Vec<EdgeIndex>,
    pub touched_places: Vec<NodeIndex>,
    /// Places or links were added (or a transfer): the search graph must be rebuilt.
    pub topology_changed: bool,
    /// Parameters or statuses changed: every weight must be recompiled.
    pub profile_changed: bool,
    pub demand_scale: f64,
    pub demand_file: Option<PathBuf>,
    pub added_links: Vec<EdgeIndex>,
}

enum Target {
    Place(NodeIndex),
    Link(EdgeIndex),
}

fn months_of(list: &[u8]) -> std::result::Result<MonthSet, String> {
    if list.is_empty() || list.iter().any(|m| !(1..=12).contains(m)) {
        return Err(format!(
            "months must be a non-empty list of 1 to 12, got {list:?}"
        ));
    }
    Ok(MonthSet::from_months(list))
}

fn without(set: MonthSet, closed: MonthSet) -> MonthSet {
    MonthSet::from_months(
        &set.months()
            .into_iter()
            .filter(|m| !closed.contains(*m))
            .collect::<Vec<_>>(),
    )
}

/// Applies `scenario` to a copy of `network` under `profile`. Every problem (unknown ids with
/// suggestions, bad values, invalid added features) is collected and reported at once;
/// nothing is applied if any is found.
pub fn apply(network: &Network, profile: &Profile, scenario: &Scenario) -> Result<Applied> {
    let mut net = network.clone();
    let mut profile = profile.clone();
    let mut problems: Vec<String> = Vec::new();
    let mut touched_links = Vec::new();
    let mut touched_places = Vec::new();
    let mut topology_changed = false;
    let mut profile_changed = false;
    let mut demand_scale = 1.0;
    let mut demand_file = None;
    let mut added_links = Vec::new();
    let mut overrides: Vec<String> = Vec::new();
    let base = scenario
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let all_ids = || -> Vec<String> {
        network
            .places()
            .map(|(_, p)| p.id.0.clone())
            .chain(network.links().map(|(_, _, _, l)| l.id.0.clone()))
            .collect()
    };
    let find = |net: &Network, id: &str| -> Option<Target> {
        net.place_by_id(id)
            .map(Target::Place)
            .or_else(|| net.link_by_id(id).map(Target::Link))
    };
    let unknown = |i: usize, id: &str| -> String {
        let ids = all_ids();
        let hint = closest_ids(id, ids.iter().map(String::as_str));
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", hint.join(" or "))
        };
        format!("edit {i}: no place or link has id \"{id}\"{hint}")
    };

    for (i, edit) in scenario.edits.iter().enumerate() {
        match edit {
            Edit::Close { id, months } => {
                let closed_months = match months.as_deref().map(months_of) {
                    Some(Err(e)) => {
                        problems.push(format!("edit {i} (close {id}): {e}"));
                        continue;
                    }
                    Some(Ok(m)) => Some(m),
                    None => None,
                };
                match find(&net, id) {
                    Some(Target::Link(e)) => {
                        let l = &mut net.graph[e];
                        match closed_months {
                            Some(m) => l.months_open = without(l.months_open, m),
                            None => l.closed = true,
                        }
                        touched_links.push(e);
                    }
                    Some(Target::Place(p)) => {
                        let place = &mut net.graph[p];
                        match (closed_months, place.crossing.as_mut()) {
                            (Some(m), Some(c)) => c.months_open = without(c.months_open, m),
                            (Some(_), None) => problems.push(format!(
                                "edit {i}: \"{id}\" is not a border crossing; only crossings and links close by month"
                            )),
                            (None, _) => place.closed = true,
                        }
                        touched_places.push(p);
                    }
                    None => problems.push(unknown(i, id)),
                }
            }
            Edit::Open { id } => match find(&net, id) {
                Some(Target::Link(e)) => {
                    let l = &mut net.graph[e];
                    l.closed = false;
                    l.status = Status::Existing;
                    l.months_open = MonthSet::ALL;
                    touched_links.push(e);
                    // A link's end places open with it (e.g. a proposed crossing).
                    if let Some((a, b)) = net.graph.edge_endpoints(e) {
                        for p in [a, b] {
                            if net.graph[p].status != Status::Existing {
                                net.graph[p].status = Status::Existing;
                                touched_places.push(p);
                            }
                        }
                    }
                }
                Some(Target::Place(p)) => {
                    let place = &mut net.graph[p];
                    place.closed = false;
                    place.status = Status::Existing;
                    if let Some(c) = place.crossing.as_mut() {
                        c.months_open = MonthSet::ALL;
                    }
                    touched_places.push(p);
                }
                None => problems.push(unknown(i, id)),
            },
            Edit::Set { id, values } => match find(&net, id) {
                Some(Target::Link(e)) => {
                    for (k, v) in values {
                        if let Err(msg) = set_link(&mut net.graph[e], k, v) {
                            problems.push(format!("edit {i} (set {id}.{k}): {msg}"));
                        }
                    }
                    touched_links.push(e);
                }
                Some(Target::Place(p)) => {
                    for (k, v) in values {
                        match set_place(&mut net, p, k, v) {
                            Ok(adds_arcs) => topology_changed |= adds_arcs,
                            Err(msg) => problems.push(format!("edit {i} (set {id}.{k}): {msg}")),
                        }
                    }
                    touched_places.push(p);
                }
                None => problems.push(unknown(i, id)),
            },
            Edit::Add { features, file } => {
                let mut list = features.clone();
                let origin = match file {
                    Some(f) => {
                        let path = base.join(f);
                        match crate::inputs::read_text(&path)
                            .map_err(|e| e.to_string())
                            .and_then(|t| {
                                serde_json::from_str::<Value>(&t)
                                    .map_err(|e| format!("line {}: {e}", e.line()))
                            }) {
                            Ok(v) => match v.get("features").and_then(Value::as_array) {
                                Some(features)
                                    if v.get("type").and_then(Value::as_str)
                                        == Some("FeatureCollection") =>
                                {
                                    list.extend(features.iter().cloned())
                                }
                                _ => problems.push(format!(
                                    "edit {i}: {} is not a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\" with a \"features\" list); nothing to add",
                                    path.display()
                                )),
                            },
                            Err(e) => problems
                                .push(format!("edit {i}: cannot read {}: {e}", path.display())),
                        }
                        path.display().to_string()
                    }
                    None => format!("{} (edit {i})", scenario.path.display()),
                };
                match add_features(&mut net, &list, &origin) {
                    Ok(links) => {
                        added_links.extend(links);
                        topology_changed = true;
                    }
                    Err(mut p) => problems.append(&mut p),
                }
            }
            Edit::Include { status } => match Status::parse(status) {
                Some(Status::UnderConstruction) => {
                    profile.include_under_construction = true;
                    profile_changed = true;
                }
                Some(Status::Proposed) => {
                    profile.include_proposed = true;
                    profile_changed = true;
                }
                _ => problems.push(format!(
                    "edit {i}: include takes under_construction or proposed, not \"{status}\""
                )),
            },
            Edit::Param { key, value } => {
                let item = format!("{key}={value}");
                match profile.params.with_overrides(std::slice::from_ref(&item)) {
                    Ok(_) => {
                        overrides.push(item);
                        profile_changed = true;
                    }
                    Err(e) => problems.push(format!("edit {i}: {e}")),
                }
            }
            Edit::Demand { scale, file } => {
                if let Some(s) = scale {
                    if !s.is_finite() || *s < 0.0 {
                        problems.push(format!(
                            "edit {i}: demand scale must be a number >= 0, got {s}"
                        ));
                    } else {
                        demand_scale *= s;
                    }
                }
                if let Some(f) = file {
                    demand_file = Some(base.join(f));
                }
                if scale.is_none() && file.is_none() {
                    problems.push(format!("edit {i}: demand needs `scale` or `file`"));
                }
            }
        }
    }
    if !overrides.is_empty() {
        match profile.params.with_overrides(&overrides) {
            Ok(p) => profile.params = p,
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input {
            path: scenario.path.clone(),
            message: format!(
                "scenario \"{}\" has {} problem(s); nothing was run:\n  {}",
                scenario.name,
                problems.len(),
                problems.join("\n  ")
            ),
        });
    }
    touched_links.sort();
    touched_links.dedup();
    touched_places.sort();
    touched_places.dedup();
    Ok(Applied {
        network: net,
        profile,
        touched_links,
        touched_places,
        topology_changed,
        profile_changed,
        demand_scale,
        demand_file,
        added_links,
    })
}

fn number(v: &Value) -> std::result::Result<f64, String> {
    v.as_f64()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| format!("must be a number >= 0, got {v}"))
}

fn month_list(v: &Value) -> std::result::Result<MonthSet, String> {
    let list: Vec<u8> = v
        .as_array()
        .ok_or_else(|| format!("must be a list of months, got {v}"))?
        .iter()
        .map(|m| m.as_u64().and_then(|m| u8::try_from(m).ok()).unwrap_or(0))
        .collect();
    months_of(&list)
}

fn set_link(
    l: &mut crate::network::model::Link,
    key: &str,
    v: &Value,
) -> std::result::Result<(), String> {
    match key {
        "speed_kmh" => {
            let x = number(v)?;
            if x <= 0.0 {
                return Err("must be greater than 0".into());
            }
            l.speed_kmh = Some(x);
        }
        "length_km" => {
            let x = number(v)?;
            if x <= 0.0 {
                return Err("must be greater than 0".into());
            }
            l.length_km = x;
            l.length_given = true;
        }
        "class" => {
            let c = v
                .as_str()
                .and_then(RoadClass::parse)
                .ok_or_else(|| format!("unknown road class {v}"))?;
            if l.class.is_none() {
                return Err("only road links have a class".into());
            }
            l.class = Some(c);
        }
        "status" => {
            l.status = v
                .as_str()
                .and_then(Status::parse)
                .ok_or_else(|| format!("unknown status {v}"))?
        }
        "months_open" => l.months_open = month_list(v)?,
        "oneway" => {
            l.oneway = v
                .as_bool()
                .ok_or_else(|| format!("must be true or false, got {v}"))?
        }
        other => {
            return Err(format!(
                "links have no settable attribute `{other}` (speed_kmh, length_km, class, status, months_open, oneway)"
            ));
        }
    }
    Ok(())
}

/// Sets a place attribute. Returns true when it adds arcs (a new transfer).
fn set_place(
    net: &mut Network,
    p: NodeIndex,
    key: &str,
    v: &Value,
) -> std::result::Result<bool, String> {
    // Layers present at the place, for new transfers.
    let layers: Vec<Layer> = net
        .graph
        .edges_directed(p, petgraph::Direction::Outgoing)
        .chain(net.graph.edges_directed(p, petgraph::Direction::Incoming))
        .map(|e| e.weight().layer())
        .collect();
    let place = &mut net.graph[p];
    match key {
        "status" => {
            place.status = v
                .as_str()
                .and_then(Status::parse)
                .ok_or_else(|| format!("unknown status {v}"))?
        }
        "road" | "rail" => {
            let c = place
                .crossing
                .as_mut()
                .ok_or("only border crossings have road/rail processing")?;
            let obj = v
                .as_object()
                .ok_or_else(|| format!("must be an object, got {v}"))?;
            let slot = if key == "road" {
                &mut c.road
            } else {
                &mut c.rail
            };
            let current = slot.clone().unwrap_or(BorderProcessing {
                hours: None,
                bad_day_hours: None,
                fee_usd: None,
                source: None,
            });
            let mut next = current;
            for (k, x) in obj {
                let val = Some(number(x)?);
                match k.as_str() {
                    "hours" => next.hours = val,
                    "bad_day_hours" => next.bad_day_hours = val,
                    "fee_usd" => next.fee_usd = val,
                    other => {
                        return Err(format!(
                            "unknown field `{other}` (hours, bad_day_hours, fee_usd)"
                        ));
                    }
                }
            }
            *slot = Some(next);
        }
        "months_open" => {
            let c = place
                .crossing
                .as_mut()
                .ok_or("only border crossings have opening months")?;
            c.months_open = month_list(v)?;
        }
        "regime" => {
            let c = place
                .crossing
                .as_mut()
                .ok_or("only border crossings have a regime")?;
            c.regime = match v.as_str() {
                Some("international") => crate::network::model::Regime::International,
                Some("bilateral") => crate::network::model::Regime::Bilateral,
                _ => return Err(format!("must be international or bilateral, got {v}")),
            };
        }
        "transfer" => {
            let obj = v
                .as_object()
                .ok_or_else(|| format!("must be an object, got {v}"))?;
            let between: Vec<Option<Layer>> = obj
                .get("between")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|x| x.as_str().and_then(Layer::parse))
                        .collect()
                })
                .unwrap_or_default();
            let pair = match between.as_slice() {
                [Some(a), Some(b)] if a != b => [*a, *b],
                _ => {
                    return Err(
                        "transfer.between must name two layers, e.g. [\"road\", \"rail_1520\"]"
                            .into(),
                    );
                }
            };
            if !pair.iter().all(|l| layers.contains(l)) {
                return Err(format!(
                    "the place has no {} and {} links to transfer between",
                    pair[0], pair[1]
                ));
            }
            let get = |k: &str| obj.get(k).map(number).transpose();
            let t = Transfer {
                between: pair,
                methods: vec![crate::cost::params::GaugeMethod::Transload],
                hours: get("hours")?,
                bad_day_hours: get("bad_day_hours")?,
                cost_usd_per_tonne: get("cost_usd_per_tonne")?,
                source: obj
                    .get("source")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            };
            let same = |x: &Transfer| (x.between == pair) || (x.between == [pair[1], pair[0]]);
            if let Some(existing) = place.transfers.iter_mut().find(|x| same(x)) {
                *existing = t;
            } else {
                place.transfers.push(t);
                return Ok(true);
            }
        }
        other => {
            return Err(format!(
                "places have no settable attribute `{other}` (status, road, rail, months_open, regime, transfer)"
            ));
        }
    }
    Ok(false)
}

/// Validates and adds GeoJSON features (places and links) to the network.
fn add_features(
    net: &mut Network,
    features: &[Value],
    origin: &str,
) -> std::result::Result<Vec<EdgeIndex>, Vec<String>> {
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    let text = serde_json::to_string_pretty(&fc).unwrap_or_default();
    let mut report = Report::new(origin);
    let (new_places, new_links) = read_features(&text, &mut report);
    // Check the new features together with the existing ones.
    let mut places: Vec<ParsedPlace> = net
        .places()
        .map(|(_, p)| ParsedPlace {
            index: usize::MAX,
            line: None,
            place: p.clone(),
        })
        .collect();
    let existing_links: Vec<ParsedLink> = net
        .links()
        .map(|(_, a, b, l)| ParsedLink {
            index: usize::MAX,
            line: None,
            from: net.place(a).id.0.clone(),
            to: net.place(b).id.0.clone(),
            link: l.clone(),
        })
        .collect();
    places.extend(new_places.iter().cloned());
    let mut links = existing_links;
    links.extend(new_links.iter().cloned());
    check_network(&places, &links, &mut report);
    let errors: Vec<String> = report
        .problems
        .iter()
        .filter(|p| p.is_error() && p.feature.as_ref().is_none_or(|(i, _)| *i != usize::MAX))
        .map(|p| p.to_string())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    for p in new_places {
        let id = p.place.id.0.clone();
        let ix = net.graph.add_node(p.place);
        net.by_id.insert(id, ix);
    }
    let mut added = Vec::new();
    for l in new_links {
        if let (Some(a), Some(b)) = (net.place_by_id(&l.from), net.place_by_id(&l.to)) {
            let id = l.link.id.0.clone();
            let e = net.graph.add_edge(a, b, l.link);
            net.link_by_id.insert(id, e);
            added.push(e);
        }
    }
    Ok(added)
}

/// The compiled graph and weights of an applied scenario, built incrementally where possible.
pub fn compile_applied(
    applied: &Applied,
    base_graph: &SearchGraph,
    base_weights: &Weights,
) -> (Option<SearchGraph>, Weights) {
    if applied.topology_changed {
        let g = SearchGraph::build(&applied.network);
        let w = Weights::compile(&applied.network, &g, &applied.profile);
        return (Some(g), w);
    }
    if applied.profile_changed {
        return (
            None,
            Weights::compile(&applied.network, base_graph, &applied.profile),
        );
    }
    let mut w = base_weights.clone();
    let mut arcs: Vec<ArcIx> = Vec::new();
    for l in &applied.touched_links {
        arcs.extend(base_graph.arcs_of(*l).into_iter().flatten());
    }
    for p in &applied.touched_places {
        arcs.extend(base_graph.arcs_at(*p));
    }
    arcs.sort();
    arcs.dedup();
    w.refresh(&applied.network, base_graph, &arcs);
    (None, w)
}

/// One O-D pair whose route changed.
#[derive(Debug, Clone, PartialEq)]
pub struct OdChange {
    pub flow: usize,
    pub before: Option<OdRoute>,
    pub after: Option<OdRoute>,
    /// Change of generalized cost per year (USD); infinite when the route is lost or found.
    pub delta_generalized_usd: f64,
}

/// A scenario evaluated against the baseline.
#[derive(Debug, Clone)]
pub struct ScenarioRun {
    pub name: String,
    pub description: String,
    pub applied: Applied,
    pub demand: Demand,
    pub baseline: Assignment,
    pub after: Assignment,
    /// Pairs whose route, time or cost changed, largest change first.
    pub changes: Vec<OdChange>,
}

/// Evaluates `scenario` against the baseline (`network`, `graph`, `weights`, `demand`).
pub fn run_scenario<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    baseline: &Assignment,
    demand: &Demand,
    scenario: &Scenario,
) -> Result<ScenarioRun> {
    let search = search.into();
    let applied = apply(network, &weights.profile, scenario)?;
    let (own_graph, w) = compile_applied(&applied, search.graph(), weights);
    let before_demand = demand;
    let mut demand = match &applied.demand_file {
        Some(path) => read_demand(&applied.network, path)?,
        None => demand.clone(),
    };
    if applied.demand_scale != 1.0 {
        demand = demand.scaled(applied.demand_scale);
    }
    // Re-costed or closed elements only re-customize the engine's metrics; added links
    // change the graph, which is compiled (and, on the engine, contracted) again.
    let after = match (own_graph, search) {
        (Some(g), Searcher::Engine(_)) => {
            let engine = Engine::from_graph(&applied.network, g)?;
            let masks = MaskSet::new(&applied.network, &engine.graph, &w);
            assign_with(&applied.network, &engine, &w, &[], &masks, &demand)
        }
        (Some(g), Searcher::Dijkstra(_)) => {
            let masks = MaskSet::new(&applied.network, &g, &w);
            assign_with(&applied.network, &g, &w, &[], &masks, &demand)
        }
        (None, search) => {
            let masks = MaskSet::new(&applied.network, search.graph(), &w);
            assign_with(&applied.network, search, &w, &[], &masks, &demand)
        }
    };
    let same_demand = applied.demand_file.is_none();
    let ship_before = weights.profile.params.cargo.tonnes.max(f64::MIN_POSITIVE);
    let ship_after = w.profile.params.cargo.tonnes.max(f64::MIN_POSITIVE);
    let mut changes = Vec::new();
    if same_demand {
        for (i, (b, a)) in baseline.routes.iter().zip(&after.routes).enumerate() {
            let (t0, t1) = (
                before_demand.flows[i].tonnes_per_year,
                demand.flows[i].tonnes_per_year,
            );
            let changed = match (b, a) {
                (Some(x), Some(y)) => {
                    x.links != y.links
                        || (x.hours - y.hours).abs() > 1e-6
                        || (x.usd - y.usd).abs() > 1e-6
                }
                (None, None) => false,
                _ => true,
            };
            if changed {
                let delta = match (b, a) {
                    (Some(x), Some(y)) => {
                        t1 / ship_after * y.generalized_usd - t0 / ship_before * x.generalized_usd
                    }
                    (Some(_), None) => f64::INFINITY,
                    (None, Some(_)) => f64::NEG_INFINITY,
                    (None, None) => 0.0,
                };
                changes.push(OdChange {
                    flow: i,
                    before: b.clone(),
                    after: a.clone(),
                    delta_generalized_usd: delta,
                });
            }
        }
        changes.sort_by(|x, y| {
            y.delta_generalized_usd
                .abs()
                .total_cmp(&x.delta_generalized_usd.abs())
                .then(x.flow.cmp(&y.flow))
        });
    }
    Ok(ScenarioRun {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        applied,
        demand,
        baseline: baseline.clone(),
        after,
        changes,
    })
}
