//! Candidate links: generated between nearby places whose best route is a long detour,
//! the network's own projects, a candidates file, and adding a candidate to a network.

use std::collections::BTreeMap;

use geo::{Distance, Haversine, InterpolatePoint, Point};
use petgraph::stable_graph::NodeIndex;
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::analysis::many::MaskSet;
use crate::analysis::router::Router;
use crate::analysis::scenario::{Edit, Scenario, apply};
use crate::cost::profile::Profile;
use crate::error::{Error, Result};
use crate::graph::engine::Searcher;
use crate::graph::weights::Weights;
use crate::network::model::{
    Crossing, Layer, Link, LinkId, Mode, MonthSet, Network, Place, PlaceId, PlaceKind, Regime,
    RoadClass, Status,
};
use crate::search::dijkstra::SearchSpace;

use super::*;

/// Mountain areas (lon/lat boxes) where candidate links get the mountain circuity and cost.
pub const MOUNTAINS: &[(&str, [f64; 4])] = &[
    ("Altai", [82.5, 45.5, 93.0, 51.8]),
    ("Khangai", [96.0, 46.0, 103.0, 49.5]),
    ("Sayan and Tannu-Ola", [89.0, 50.0, 100.0, 53.0]),
    ("Tian Shan", [75.0, 41.0, 90.0, 44.5]),
];

/// Whether a straight line between two points crosses a mountain box (sampled at 9 points).
pub fn crosses_mountains(a: Point<f64>, b: Point<f64>) -> Option<&'static str> {
    for k in 0..=8 {
        let p = Haversine.point_at_ratio_between(a, b, f64::from(k) / 8.0);
        for (name, [x0, y0, x1, y1]) in MOUNTAINS {
            if (*x0..=*x1).contains(&p.x()) && (*y0..=*y1).contains(&p.y()) {
                return Some(name);
            }
        }
    }
    None
}

/// A place and the places near it whose best route is a detour, with that route's km.
pub(crate) type NearPairs = (NodeIndex, Vec<(NodeIndex, f64)>);

/// A network (and profile) with the candidate added.
pub fn add_candidate(
    network: &Network,
    profile: &Profile,
    c: &Candidate,
) -> Result<(Network, Profile)> {
    let s = Scenario {
        name: c.id.clone(),
        description: String::new(),
        source: String::new(),
        edits: c.edits.clone(),
        path: std::path::PathBuf::from(format!("candidate {}", c.id)),
    };
    let applied = apply(network, profile, &s)?;
    Ok((applied.network, applied.profile))
}

pub(crate) fn layer_label(l: Layer) -> String {
    match l {
        Layer::Road => "road".into(),
        Layer::Rail { gauge_mm } => format!("rail {gauge_mm} mm"),
    }
}

/// Builds a generated single-link candidate between two places.
pub fn make_single(
    network: &Network,
    params: &crate::cost::params::Params,
    from: NodeIndex,
    to: NodeIndex,
    layer: Layer,
    options: &ProposeOptions,
) -> Option<Candidate> {
    let (pa, pb) = (network.place(from), network.place(to));
    let chord = Haversine.distance(pa.position, pb.position) / 1000.0;
    let mountains = crosses_mountains(pa.position, pb.position);
    let circuity = if mountains.is_some() {
        options.circuity_mountain
    } else {
        options.circuity_flat
    };
    let length = (chord * circuity * 10.0).round() / 10.0;
    let costs = params.construction_usd_per_km.as_ref()?;
    let per_km = match (layer.mode(), mountains.is_some()) {
        (Mode::Road, false) => costs.road_flat,
        (Mode::Road, true) => costs.road_mountain,
        (Mode::Rail, false) => costs.rail_flat,
        (Mode::Rail, true) => costs.rail_mountain,
    };
    let mode = layer.mode();
    let tag = match layer {
        Layer::Road => "road".to_string(),
        Layer::Rail { gauge_mm } => format!("rail{gauge_mm}"),
    };
    let id = format!("new_{tag}_{}_{}", pa.id, pb.id);
    let model_link = |lid: &str, km: f64, a: Point<f64>, b: Point<f64>| Link {
        id: LinkId(lid.to_string()),
        mode,
        gauge_mm: match layer {
            Layer::Rail { gauge_mm } => Some(gauge_mm),
            Layer::Road => None,
        },
        class: (mode == Mode::Road).then_some(RoadClass::Paved),
        length_km: km,
        length_given: true,
        speed_kmh: None,
        oneway: false,
        status: Status::Existing,
        months_open: MonthSet::ALL,
        route_ref: None,
        geometry: geo::LineString::from(vec![a.0, b.0]),
        source: "generated candidate".into(),
        closed: false,
    };
    let feature_of = |l: &Link, from: &str, to: &str| -> Value {
        let coords: Vec<[f64; 2]> = l
            .geometry
            .0
            .iter()
            .map(|c| [(c.x * 1e4).round() / 1e4, (c.y * 1e4).round() / 1e4])
            .collect();
        let mut p = json!({"id": l.id.0, "from": from, "to": to, "mode": mode.as_str(), "length_km": l.length_km, "status": "existing",
                           "source": format!("generated candidate: straight line x {circuity} circuity")});
        match layer {
            Layer::Road => p["class"] = json!("paved"),
            Layer::Rail { gauge_mm } => p["gauge_mm"] = json!(gauge_mm),
        }
        json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": p})
    };
    let (single, features, new_crossing) = if pa.country == pb.country {
        let l = model_link(&id, length, pa.position, pb.position);
        let f = feature_of(&l, &pa.id.0, &pb.id.0);
        (
            SingleLink {
                layer,
                links: vec![l],
                crossing: None,
            },
            vec![f],
            None,
        )
    } else {
        let mid = Haversine.point_at_ratio_between(pa.position, pb.position, 0.5);
        let mid = Point::new((mid.x() * 1e4).round() / 1e4, (mid.y() * 1e4).round() / 1e4);
        let xid = format!("{id}_crossing");
        let modes_json = json!({mode.as_str(): {}});
        let crossing = Place {
            id: PlaceId(xid.clone()),
            name: format!("new crossing {} - {}", pa.name, pb.name),
            aliases: vec![],
            country: pa.country,
            kind: PlaceKind::BorderCrossing,
            status: Status::Existing,
            position: mid,
            transfers: vec![],
            turn_restrictions: vec![],
            crossing: Some(Crossing {
                countries: [pa.country, pb.country],
                regime: Regime::International,
                road: (mode == Mode::Road).then_some(crate::network::model::BorderProcessing {
                    hours: None,
                    bad_day_hours: None,
                    fee_usd: None,
                    source: None,
                }),
                rail: (mode == Mode::Rail).then_some(crate::network::model::BorderProcessing {
                    hours: None,
                    bad_day_hours: None,
                    fee_usd: None,
                    source: None,
                }),
                months_open: MonthSet::ALL,
                weekdays_open: None,
            }),
            source: "generated candidate".into(),
            notes: None,
            closed: false,
        };
        let l1 = model_link(
            &format!("{id}_a"),
            (length / 2.0 * 10.0).round() / 10.0,
            pa.position,
            mid,
        );
        let l2 = model_link(
            &format!("{id}_b"),
            (length / 2.0 * 10.0).round() / 10.0,
            mid,
            pb.position,
        );
        let fx = json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [mid.x(), mid.y()]},
                        "properties": {"id": xid, "name": crossing.name, "country": pa.country.as_str(), "kind": "border_crossing",
                                       "crossing": {"countries": [pa.country.as_str(), pb.country.as_str()], "modes": modes_json},
                                       "source": "generated candidate: processing from params.json border_default"}});
        let f1 = feature_of(&l1, &pa.id.0, &xid);
        let f2 = feature_of(&l2, &xid, &pb.id.0);
        (
            SingleLink {
                layer,
                links: vec![l1, l2],
                crossing: Some(crossing),
            },
            vec![fx, f1, f2],
            Some([pa.country, pb.country]),
        )
    };
    Some(Candidate {
        id,
        name: format!("{} {} - {}", layer_label(layer), pa.name, pb.name),
        source: CandidateSource::Generated,
        mode,
        from,
        to,
        length_km: length,
        mountains,
        construction_usd: length * per_km,
        new_crossing,
        edits: vec![Edit::Add {
            features,
            file: None,
        }],
        single: Some(single),
    })
}

/// Generated candidates: pairs of eligible places within `max_km` with no direct link whose
/// best route (by distance) is at least `min_detour` times the straight line, or missing.
pub fn generate<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    profile: &Profile,
    options: &ProposeOptions,
) -> Result<Vec<Candidate>> {
    let search = search.into();
    let graph = search.graph();
    let eligible: Vec<NodeIndex> = network
        .places()
        .filter(|(_, p)| {
            p.status == Status::Existing
                && !matches!(p.kind, PlaceKind::BorderCrossing | PlaceKind::BorderPost)
        })
        .map(|(ix, _)| ix)
        .collect();
    let mut by_distance = profile.clone();
    by_distance.objective = crate::cost::profile::Objective::Distance;
    let wd = Weights::compile(network, graph, &by_distance);
    let masks = MaskSet::new(network, graph, &wd);
    let direct: std::collections::BTreeSet<(NodeIndex, NodeIndex)> = network
        .links()
        .flat_map(|(_, a, b, _)| [(a, b), (b, a)])
        .collect();
    let layers_at = |p: NodeIndex| -> Vec<Layer> {
        graph
            .nodes_of(p)
            .iter()
            .map(|n| graph.node(*n).layer)
            .collect()
    };
    let near_of = |a: NodeIndex| -> Vec<NodeIndex> {
        let pa = network.place(a);
        eligible
            .iter()
            .copied()
            .filter(|&b| b > a && !direct.contains(&(a, b)))
            .filter(|&b| {
                Haversine.distance(pa.position, network.place(b).position) / 1000.0
                    <= options.max_km
            })
            .collect()
    };
    let keep = |a: NodeIndex, b: NodeIndex, weight: Option<u64>| -> Option<(NodeIndex, f64)> {
        let chord =
            Haversine.distance(network.place(a).position, network.place(b).position) / 1000.0;
        let km = weight.map(|w| wd.natural(w)).unwrap_or(f64::INFINITY);
        (chord > 1.0 && km / chord >= options.min_detour).then_some((b, km))
    };
    let pairs: Vec<NearPairs> = match search {
        Searcher::Engine(engine) => {
            let near: Vec<(NodeIndex, Vec<NodeIndex>)> =
                eligible.iter().map(|&a| (a, near_of(a))).collect();
            let mut router = Router::new(network, engine, &wd, &masks, &[]);
            router.prepare(
                near.iter()
                    .flat_map(|(a, bs)| bs.iter().map(move |b| (*a, *b))),
            )?;
            let found: Vec<Result<NearPairs>> = near
                .par_iter()
                .map_init(
                    || router.query(),
                    |q, (a, bs)| {
                        let mut out = Vec::new();
                        for &b in bs {
                            let w = router.path(q, *a, b)?.map(|p| p.weight);
                            out.extend(keep(*a, b, w));
                        }
                        Ok((*a, out))
                    },
                )
                .collect();
            found.into_iter().collect::<Result<Vec<_>>>()?
        }
        Searcher::Dijkstra(_) => eligible
            .par_iter()
            .map_init(
                || SearchSpace::new(graph.node_count()),
                |space, &a| {
                    let near = near_of(a);
                    let found = crate::analysis::many::paths_from(
                        network, graph, &wd.weight, &masks, space, a, &near,
                    );
                    let out = near
                        .into_iter()
                        .zip(found)
                        .filter_map(|(b, f)| keep(a, b, f.map(|f| f.weight)))
                        .collect();
                    (a, out)
                },
            )
            .collect(),
    };
    let mut out = Vec::new();
    for (a, list) in pairs {
        for (b, _) in list {
            let (la, lb) = (layers_at(a), layers_at(b));
            if options.modes.road && la.contains(&Layer::Road) && lb.contains(&Layer::Road) {
                out.extend(make_single(
                    network,
                    &profile.params,
                    a,
                    b,
                    Layer::Road,
                    options,
                ));
            }
            if options.modes.rail {
                for l in la
                    .iter()
                    .filter(|l| l.mode() == Mode::Rail && lb.contains(l))
                {
                    out.extend(make_single(network, &profile.params, a, b, *l, options));
                }
            }
        }
    }
    // Drop straight lines that could not be built as drawn: across a large lake or through
    // a third country (the geography checks of `network validate`).
    if let Ok(geo) = crate::network::geography::Geography::embedded() {
        out.retain(|c| {
            let (a, b) = (network.place(c.from), network.place(c.to));
            let line = geo::LineString::from(vec![a.position.0, b.position.0]);
            let allowed: Vec<_> = a.countries().into_iter().chain(b.countries()).collect();
            crate::network::geography::line_acceptable(&geo, &line, &allowed)
        });
    }
    Ok(out)
}

/// The network's own projects: connected groups of links with status proposed or under
/// construction, each opened as a whole.
pub fn network_projects(network: &Network, options: &ProposeOptions) -> Vec<Candidate> {
    let pending: Vec<_> = network
        .links()
        .filter(|(_, _, _, l)| l.status != Status::Existing)
        .collect();
    let mut uf = petgraph::unionfind::UnionFind::<usize>::new(pending.len());
    for i in 0..pending.len() {
        for j in i + 1..pending.len() {
            let (_, a1, b1, _) = pending[i];
            let (_, a2, b2, _) = pending[j];
            if a1 == a2 || a1 == b2 || b1 == a2 || b1 == b2 {
                uf.union(i, j);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..pending.len() {
        groups.entry(uf.find(i)).or_default().push(i);
    }
    let costs = network.params.construction_usd_per_km.clone();
    groups
        .into_values()
        .map(|members| {
            let links: Vec<_> = members.iter().map(|&i| pending[i]).collect();
            let km: f64 = links.iter().map(|(_, _, _, l)| l.length_km).sum();
            let mode = links[0].3.mode;
            let mountains = links.iter().find_map(|(_, a, b, _)| {
                crosses_mountains(network.place(*a).position, network.place(*b).position)
            });
            let per_km = costs
                .as_ref()
                .map_or(0.0, |c| match (mode, mountains.is_some()) {
                    (Mode::Road, false) => c.road_flat,
                    (Mode::Road, true) => c.road_mountain,
                    (Mode::Rail, false) => c.rail_flat,
                    (Mode::Rail, true) => c.rail_mountain,
                });
            let ids: Vec<String> = links.iter().map(|(_, _, _, l)| l.id.0.clone()).collect();
            let (_, from, _, _) = links[0];
            let (_, _, to, _) = links[links.len() - 1];
            let _ = options;
            Candidate {
                id: ids.join("+"),
                name: format!(
                    "project {} ({})",
                    ids.join(" + "),
                    links[0].3.status.as_str()
                ),
                source: CandidateSource::Network,
                mode,
                from,
                to,
                length_km: km,
                mountains,
                construction_usd: km * per_km,
                new_crossing: None,
                edits: ids.iter().map(|id| Edit::Open { id: id.clone() }).collect(),
                single: None,
            }
        })
        .collect()
}

/// Candidates from a GeoJSON file in the network format: every group of links joined through
/// shared places (with any new places of the file, such as crossings) is one candidate; its
/// cost is the sum of the links' `construction_cost_usd`.
pub fn file_candidates(network: &Network, path: &std::path::Path) -> Result<Vec<Candidate>> {
    let bad = |message: String| Error::Input {
        path: path.to_path_buf(),
        message,
    };
    let text = crate::inputs::read_text(path)?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| bad(format!("line {}, column {}: {e}", e.line(), e.column())))?;
    let features = v
        .get("features")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| bad("not a GeoJSON FeatureCollection".into()))?;
    // QGIS writes MultiLineString by default: one part, or parts that join end to start, are
    // a link; anything else is named, never skipped.
    let mut problems = Vec::new();
    let mut features_ok = Vec::with_capacity(features.len());
    for (i, f) in features.into_iter().enumerate() {
        let kind = f
            .pointer("/geometry/type")
            .and_then(Value::as_str)
            .unwrap_or("none")
            .to_string();
        match kind.as_str() {
            "Point" | "LineString" => features_ok.push(f),
            "MultiLineString" => {
                let parts = f
                    .pointer("/geometry/coordinates")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let mut coords: Vec<Value> = Vec::new();
                let mut joined = !parts.is_empty();
                for part in &parts {
                    let pts = part.as_array().cloned().unwrap_or_default();
                    if let (Some(last), Some(first)) = (coords.last(), pts.first()) {
                        if last != first {
                            joined = false;
                        }
                        coords.extend(pts.into_iter().skip(1));
                    } else {
                        coords.extend(pts);
                    }
                }
                if joined {
                    let mut g = f.clone();
                    g["geometry"] = json!({"type": "LineString", "coordinates": coords});
                    features_ok.push(g);
                } else {
                    problems.push(format!(
                        "feature {i}: a MultiLineString whose {} parts do not join end to start; draw the link as one line",
                        parts.len()
                    ));
                }
            }
            other => problems.push(format!(
                "feature {i}: geometry {other} is not a candidate; use LineString links (and Point places)"
            )),
        }
    }
    let features = features_ok;
    let is = |f: &Value, t: &str| f.pointer("/geometry/type") == Some(&json!(t));
    let id_of = |f: &Value, k: &str| {
        f.pointer(&format!("/properties/{k}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let places: Vec<&Value> = features.iter().filter(|f| is(f, "Point")).collect();
    let links: Vec<&Value> = features.iter().filter(|f| is(f, "LineString")).collect();
    let mut uf = petgraph::unionfind::UnionFind::<usize>::new(links.len());
    for i in 0..links.len() {
        for j in i + 1..links.len() {
            let ends = |k: usize| [id_of(links[k], "from"), id_of(links[k], "to")];
            let (x, y) = (ends(i), ends(j));
            if x.iter().any(|e| y.contains(e)) {
                uf.union(i, j);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..links.len() {
        groups.entry(uf.find(i)).or_default().push(i);
    }
    let mut out = Vec::new();
    for members in groups.into_values() {
        let mut cost = 0.0;
        let mut km = 0.0;
        let mut feats: Vec<Value> = Vec::new();
        let mut ends: Vec<NodeIndex> = Vec::new();
        let mut ids = Vec::new();
        for &k in &members {
            let f = links[k];
            let id = id_of(f, "id");
            match f
                .pointer("/properties/construction_cost_usd")
                .and_then(Value::as_f64)
            {
                Some(c) if c.is_finite() && c >= 0.0 => cost += c,
                _ => problems.push(format!(
                    "link \"{id}\": `construction_cost_usd` must be a number >= 0"
                )),
            }
            km += f
                .pointer("/properties/length_km")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let mut clean = f.clone();
            if let Some(p) = clean.get_mut("properties").and_then(Value::as_object_mut) {
                p.remove("construction_cost_usd");
            }
            feats.push(clean);
            for e in ["from", "to"] {
                let pid = id_of(f, e);
                if let Some(ix) = network.place_by_id(&pid) {
                    ends.push(ix);
                } else if let Some(p) = places.iter().find(|p| id_of(p, "id") == pid)
                    && !feats.contains(p)
                {
                    feats.insert(0, (*p).clone());
                }
            }
            ids.push(id);
        }
        let (Some(&from), Some(&to)) = (ends.first(), ends.last()) else {
            problems.push(format!(
                "links {}: none ends at a place of the network",
                ids.join(", ")
            ));
            continue;
        };
        let mode = links[members[0]]
            .pointer("/properties/mode")
            .and_then(Value::as_str)
            .and_then(Mode::parse)
            .unwrap_or(Mode::Road);
        let name = links[members[0]]
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .map(str::to_string);
        out.push(Candidate {
            id: ids.join("+"),
            name: name.unwrap_or_else(|| {
                format!(
                    "{} {} - {}",
                    mode.as_str(),
                    network.place(from).name,
                    network.place(to).name
                )
            }),
            source: CandidateSource::File(path.display().to_string()),
            mode,
            from,
            to,
            length_km: km,
            mountains: None,
            construction_usd: cost,
            new_crossing: None,
            edits: vec![Edit::Add {
                features: feats,
                file: None,
            }],
            single: None,
        });
    }
    if !problems.is_empty() {
        return Err(bad(problems.join("\n  ")));
    }
    Ok(out)
}
