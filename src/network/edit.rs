//! Applying a scenario's edits to a copy of a network by stable ids: every edit checked
//! against the network at once (each problem naming its edit), then the changed model, with
//! what it touched, so a caller (CLI, server, proposals) can re-customize or recompile only
//! what it must.

use std::path::{Path, PathBuf};

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use serde_json::Value;

use crate::cost::profile::Profile;
use crate::error::{Error, Result};
use crate::inputs::scenario::{Edit, Scenario};
use crate::network::format::{ParsedLink, ParsedPlace, read_features};
use crate::network::model::{
    BorderProcessing, Layer, MonthSet, Network, RoadClass, Status, Transfer,
};
use crate::network::names::closest_ids;
use crate::network::validate::{Report, check_network};

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

pub(crate) enum Target {
    Place(NodeIndex),
    Link(EdgeIndex),
}

pub(crate) fn months_of(list: &[u8]) -> std::result::Result<MonthSet, String> {
    if list.is_empty() || list.iter().any(|m| !(1..=12).contains(m)) {
        return Err(format!(
            "months must be a non-empty list of 1 to 12, got {list:?}"
        ));
    }
    Ok(MonthSet::from_months(list))
}

pub(crate) fn without(set: MonthSet, closed: MonthSet) -> MonthSet {
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

pub(crate) fn number(v: &Value) -> std::result::Result<f64, String> {
    v.as_f64()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| format!("must be a number >= 0, got {v}"))
}

pub(crate) fn month_list(v: &Value) -> std::result::Result<MonthSet, String> {
    let list: Vec<u8> = v
        .as_array()
        .ok_or_else(|| format!("must be a list of months, got {v}"))?
        .iter()
        .map(|m| m.as_u64().and_then(|m| u8::try_from(m).ok()).unwrap_or(0))
        .collect();
    months_of(&list)
}

pub(crate) fn set_link(
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
pub(crate) fn set_place(
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
pub(crate) fn add_features(
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
