//! Proposing new links: candidates (the network's own projects, a candidates file, and links
//! generated between nearby places whose best route is a long detour), their exact benefit
//! over the demand, and a greedy programme under a budget.
//!
//! The benefit of a single new link u-v is computed without new searches: with distances
//! d(o, x) from every origin and d(x, d) to every destination (one forward and one backward
//! search per origin and destination, under each O-D pair's rules), the new cost of a pair
//! is min(old, d(o,u) + w(u,v) + d(v,d), d(o,v) + w(v,u) + d(u,d)), where w is the link's
//! compiled weight including any new crossing, exactly as a rebuilt graph would weigh it.
//! Projects of several links (and `--verify`) are evaluated by a full re-route.

use std::collections::BTreeMap;

use geo::{Distance, Haversine, InterpolatePoint, Point};
use petgraph::stable_graph::NodeIndex;
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::analysis::assign::{OdRoute, routes_of};
use crate::analysis::demand::Demand;
use crate::analysis::many::MaskSet;
use crate::analysis::router::Router;
use crate::analysis::scenario::{Edit, Scenario, apply};
use crate::cost::profile::{ModeSet, Profile};
use crate::error::{Error, Result};
use crate::graph::csr::NodeIx;
use crate::graph::engine::{Engine, Searcher};
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::{CLOSED, Weights, link_cost};
use crate::network::model::{
    Country, Crossing, Layer, Link, LinkId, Mode, MonthSet, Network, Place, PlaceId, PlaceKind,
    Regime, RoadClass, Status,
};
use crate::search::cch::UNREACHABLE;
use crate::search::dijkstra::{Direction, SearchSpace};

/// "Unreachable" in distance arrays; sums of two stay far below `u64::MAX`.
const INF: u64 = u64::MAX / 4;

/// Options of a proposal run.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposeOptions {
    /// Longest straight line a generated candidate may span, km.
    pub max_km: f64,
    /// Generate a candidate only where the best route is at least this many times the
    /// straight line (or there is none).
    pub min_detour: f64,
    /// Modes of generated candidates.
    pub modes: ModeSet,
    /// Link length / straight line on open terrain and in mountains.
    pub circuity_flat: f64,
    pub circuity_mountain: f64,
    /// Discount rate and horizon for the benefit-cost ratio.
    pub discount_rate: f64,
    pub years: f64,
}

impl Default for ProposeOptions {
    fn default() -> Self {
        ProposeOptions {
            max_km: 400.0,
            min_detour: 1.5,
            modes: ModeSet::ALL,
            circuity_flat: 1.2,
            circuity_mountain: 1.5,
            discount_rate: 0.09,
            years: 30.0,
        }
    }
}

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

/// Where a candidate comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum CandidateSource {
    /// Links of the network with status proposed or under construction (one project).
    Network,
    /// A candidates file.
    File(String),
    /// Generated between two places.
    Generated,
}

/// A candidate new link or project.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub source: CandidateSource,
    pub mode: Mode,
    pub from: NodeIndex,
    pub to: NodeIndex,
    pub length_km: f64,
    pub mountains: Option<&'static str>,
    pub construction_usd: f64,
    /// The two countries when the candidate needs a new border crossing.
    pub new_crossing: Option<[Country; 2]>,
    /// Edits that add it to a network.
    pub edits: Vec<Edit>,
    /// Generated single links: evaluated by the fast formula.
    pub single: Option<SingleLink>,
}

/// A single generated link: its layer and the model links that build it.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleLink {
    pub layer: Layer,
    /// From `from` to the crossing (or `to`), and from the crossing to `to`.
    pub links: Vec<Link>,
    pub crossing: Option<Place>,
}

/// Distances of every O-D flow, node-major (`node * flows + flow`) so a candidate scans each
/// endpoint's row contiguously.
#[derive(Debug, Clone)]
pub struct OdDistances {
    pub flows: usize,
    pub fwd: Vec<u64>,
    pub bwd: Vec<u64>,
    /// Current best cost of each flow (objective units), `INF` when unreachable.
    pub old: Vec<u64>,
    /// Shipments per year of each flow (tonnes / cargo tonnes).
    pub shipments: Vec<f64>,
    /// Tonnes per year of each flow.
    pub tonnes: Vec<f64>,
}

/// One search of a distance table: (direction, place, mask) and its distances by node.
type Swept = ((Direction, NodeIndex, usize), Vec<u64>);

/// A place and the places near it whose best route is a detour, with that route's km.
type NearPairs = (NodeIndex, Vec<(NodeIndex, f64)>);

/// Forward distances from each origin and backward distances to each destination, under
/// each flow's O-D rules. Parallel over distinct (place, rules) searches.
pub fn od_distances<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    demand: &Demand,
) -> Result<OdDistances> {
    let search = search.into();
    let graph = search.graph();
    let masks = MaskSet::new(network, graph, weights);
    let f = demand.flows.len();
    let n = graph.node_count();
    let mask_of: Vec<usize> = demand
        .flows
        .iter()
        .map(|fl| {
            masks.index_of(
                network.place(fl.origin).country,
                network.place(fl.destination).country,
            )
        })
        .collect();
    let mut jobs: Vec<(Direction, NodeIndex, usize)> = Vec::new();
    for (i, fl) in demand.flows.iter().enumerate() {
        jobs.push((Direction::Forward, fl.origin, mask_of[i]));
        jobs.push((Direction::Backward, fl.destination, mask_of[i]));
    }
    jobs.sort_by_key(|(d, p, m)| (*d == Direction::Backward, *p, *m));
    jobs.dedup();
    let hub_of = |dir: Direction, place: NodeIndex| match dir {
        Direction::Forward => graph.source_of(place),
        Direction::Backward => graph.sink_of(place),
    };
    let results: Vec<Swept> = match search {
        // One sweep down the hierarchy per job (PHAST), one metric per rule set.
        Searcher::Engine(engine) => {
            let mut wanted: Vec<usize> = jobs.iter().map(|j| j.2).collect();
            wanted.sort_unstable();
            wanted.dedup();
            let mut metrics = BTreeMap::new();
            for m in wanted {
                metrics.insert(m, engine.customize(&weights.weight, Some(masks.mask(m)))?);
            }
            let swept: Vec<Result<Swept>> = jobs
                .par_iter()
                .map_init(
                    || engine.phast(),
                    |phast, &(dir, place, m)| {
                        let (Some(hub), Some(metric)) = (hub_of(dir, place), metrics.get(&m))
                        else {
                            return Ok(((dir, place, m), vec![INF; n]));
                        };
                        let all = match dir {
                            Direction::Forward => engine.one_to_all(phast, metric, hub.0)?,
                            Direction::Backward => engine.all_to_one(phast, metric, hub.0)?,
                        };
                        // As Dijkstra's masks: a blocked node is neither entered nor
                        // left (a candidate link must not start or end at it either).
                        let mask = masks.mask(m);
                        let d = all
                            .iter()
                            .enumerate()
                            .map(|(v, &x)| {
                                let blocked = v as u32 != hub.0 && mask.is_blocked(v as u32);
                                if x == UNREACHABLE || blocked { INF } else { x }
                            })
                            .collect();
                        Ok(((dir, place, m), d))
                    },
                )
                .collect();
            swept.into_iter().collect::<Result<Vec<_>>>()?
        }
        Searcher::Dijkstra(_) => jobs
            .par_iter()
            .map_init(
                || SearchSpace::new(n),
                |space, &(dir, place, m)| {
                    space.start(dir, hub_of(dir, place).map(|x| (x.0, 0)));
                    space.run_all(&graph.csr, &weights.weight, masks.mask(m));
                    let d: Vec<u64> = (0..n as u32)
                        .map(|v| space.distance(v).unwrap_or(INF))
                        .collect();
                    ((dir, place, m), d)
                },
            )
            .collect(),
    };
    let table: BTreeMap<_, _> = results
        .into_iter()
        .map(|(k, v)| ((k.0 == Direction::Backward, k.1, k.2), v))
        .collect();
    let mut fwd = vec![INF; n * f];
    let mut bwd = vec![INF; n * f];
    let mut old = vec![INF; f];
    let per_shipment = weights.profile.params.cargo.tonnes.max(f64::MIN_POSITIVE);
    let shipments = demand
        .flows
        .iter()
        .map(|fl| fl.tonnes_per_year / per_shipment)
        .collect();
    for (i, fl) in demand.flows.iter().enumerate() {
        let (Some(df), Some(db)) = (
            table.get(&(false, fl.origin, mask_of[i])),
            table.get(&(true, fl.destination, mask_of[i])),
        ) else {
            continue;
        };
        for v in 0..n {
            fwd[v * f + i] = df[v];
            bwd[v * f + i] = db[v];
        }
        old[i] = graph.sink_of(fl.destination).map_or(INF, |x| df[x.index()]);
    }
    let tonnes = demand.flows.iter().map(|fl| fl.tonnes_per_year).collect();
    Ok(OdDistances {
        flows: f,
        tonnes,
        fwd,
        bwd,
        old,
        shipments,
    })
}

/// Benefit of a link joining nodes `a` and `b` (weights `w_ab`, `w_ba`): per flow, the saving
/// in objective units (0 where there is none), and the flows newly connected.
#[inline]
pub fn link_savings(d: &OdDistances, a: NodeIx, b: NodeIx, w_ab: u64, w_ba: u64, out: &mut [u64]) {
    let f = d.flows;
    let (fa, fb) = (&d.fwd[a.index() * f..][..f], &d.fwd[b.index() * f..][..f]);
    let (ba, bb) = (&d.bwd[a.index() * f..][..f], &d.bwd[b.index() * f..][..f]);
    for i in 0..f {
        let via_ab = fa[i] + w_ab + bb[i];
        let via_ba = fb[i] + w_ba + ba[i];
        let new = via_ab.min(via_ba);
        out[i] = d.old[i].saturating_sub(new);
    }
}

/// Evaluation of one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub candidate: usize,
    /// Generalized cost saved per year over the demand, USD.
    pub benefit_usd_per_year: f64,
    /// Tonnes per year that had no route and now have one.
    pub newly_served_tonnes: f64,
    /// Per flow: saving per year (USD), largest first; flows that gain nothing left out.
    pub gains: Vec<(usize, f64)>,
    pub benefit_cost_ratio: f64,
    pub payback_years: f64,
}

/// Present value factor of a constant annual amount.
pub fn annuity_factor(rate: f64, years: f64) -> f64 {
    if rate <= 0.0 {
        years
    } else {
        (1.0 - (1.0 + rate).powf(-years)) / rate
    }
}

fn finish(
    candidate: usize,
    c: &Candidate,
    per_flow_usd: Vec<(usize, f64)>,
    newly: f64,
    options: &ProposeOptions,
) -> Evaluation {
    let benefit: f64 = per_flow_usd.iter().map(|(_, s)| s).sum();
    let mut gains: Vec<(usize, f64)> = per_flow_usd.into_iter().filter(|(_, s)| *s > 0.0).collect();
    gains.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let pv = benefit * annuity_factor(options.discount_rate, options.years);
    Evaluation {
        candidate,
        benefit_usd_per_year: benefit,
        newly_served_tonnes: newly,
        gains,
        benefit_cost_ratio: if c.construction_usd > 0.0 {
            pv / c.construction_usd
        } else {
            f64::INFINITY
        },
        payback_years: if benefit > 0.0 {
            c.construction_usd / benefit
        } else {
            f64::INFINITY
        },
    }
}

/// The compiled weights (a->b, b->a) and endpoint nodes of a single link in `graph`.
pub fn single_arcs(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    c: &Candidate,
    s: &SingleLink,
) -> Option<(NodeIx, NodeIx, u64, u64)> {
    let node = |p: NodeIndex| {
        graph
            .nodes_of(p)
            .iter()
            .copied()
            .find(|n| graph.node(*n).layer == s.layer)
    };
    let (a, b) = (node(c.from)?, node(c.to)?);
    let head_of = |i: usize, forward: bool| -> &Place {
        match (&s.crossing, forward, i) {
            (Some(x), true, 0) | (Some(x), false, 1) => x,
            (_, true, _) => network.place(c.to),
            (_, false, _) => network.place(c.from),
        }
    };
    // A piece lies in the country of the end it touches (the other end is the crossing).
    let country_of = |i: usize| match (&s.crossing, i) {
        (Some(_), 1) => network.place(c.to).country,
        _ => network.place(c.from).country,
    };
    let (profile, rates) = (&weights.profile, &weights.rates);
    let mut w_ab = 0u64;
    let mut w_ba = 0u64;
    for (i, l) in s.links.iter().enumerate() {
        let (wf, _, _) = weights.numbers(&link_cost(
            profile,
            rates,
            l,
            country_of(i),
            head_of(i, true),
        ));
        let (wb, _, _) = weights.numbers(&link_cost(
            profile,
            rates,
            l,
            country_of(i),
            head_of(i, false),
        ));
        if wf == CLOSED || wb == CLOSED {
            return None;
        }
        w_ab += u64::from(wf);
        w_ba += u64::from(wb);
    }
    Some((a, b, w_ab, w_ba))
}

/// Fast evaluation of single-link candidates (parallel over candidates).
pub fn evaluate_fast(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    dist: &OdDistances,
    candidates: &[Candidate],
    which: &[usize],
    options: &ProposeOptions,
) -> Vec<Evaluation> {
    which
        .par_iter()
        .map_init(
            || vec![0u64; dist.flows],
            |savings, &ci| {
                let c = &candidates[ci];
                let s = c.single.as_ref();
                let arcs = s.and_then(|s| single_arcs(network, graph, weights, c, s));
                let mut per_flow = Vec::new();
                let mut newly = 0.0;
                if let Some((a, b, w_ab, w_ba)) = arcs {
                    link_savings(dist, a, b, w_ab, w_ba, savings);
                    for (i, s) in savings.iter().enumerate() {
                        if *s == 0 {
                            continue;
                        }
                        if dist.old[i] >= INF {
                            newly += dist.tonnes[i];
                        } else {
                            per_flow.push((i, weights.natural(*s) * dist.shipments[i]));
                        }
                    }
                }
                finish(ci, c, per_flow, newly, options)
            },
        )
        .collect()
}

/// Routes of the demand on `network` (rebuilt graph and weights).
fn routes_on(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
) -> (Vec<Option<OdRoute>>, Weights) {
    // The candidate added links: the graph is compiled and contracted again.
    match Engine::build(network) {
        Ok(engine) => {
            let w = Weights::compile(network, &engine.graph, profile);
            let masks = MaskSet::new(network, &engine.graph, &w);
            (routes_of(network, &engine, &w, &[], &masks, demand), w)
        }
        Err(_) => {
            let g = SearchGraph::build(network);
            let w = Weights::compile(network, &g, profile);
            let masks = MaskSet::new(network, &g, &w);
            (routes_of(network, &g, &w, &[], &masks, demand), w)
        }
    }
}

/// Exact evaluation by adding the candidate and re-routing every flow. Returns the
/// evaluation and the routes after.
pub fn evaluate_by_rerouting(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
    before: &[Option<OdRoute>],
    candidates: &[Candidate],
    ci: usize,
    options: &ProposeOptions,
) -> Result<(Evaluation, Vec<Option<OdRoute>>)> {
    let c = &candidates[ci];
    let applied = add_candidate(network, profile, c)?;
    let (after, w) = routes_on(&applied.0, &applied.1, demand);
    let mut per_flow = Vec::new();
    let mut newly = 0.0;
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        match (b, a) {
            (Some(b), Some(a)) if a.weight < b.weight => {
                let ships = demand.flows[i].tonnes_per_year
                    / profile.params.cargo.tonnes.max(f64::MIN_POSITIVE);
                per_flow.push((i, w.natural(b.weight - a.weight) * ships));
            }
            (None, Some(_)) => newly += demand.flows[i].tonnes_per_year,
            _ => {}
        }
    }
    Ok((finish(ci, c, per_flow, newly, options), after))
}

/// A candidate re-routed in full: its exact evaluation, tonne-hours saved, and the flow that
/// gains most with its routes before and after (the after route on `network`).
#[derive(Debug, Clone)]
pub struct CandidateDetail {
    pub evaluation: Evaluation,
    pub tonne_hours_saved: f64,
    /// The flow that gains most, with its route before and after.
    pub biggest: Option<(usize, OdRoute, OdRoute)>,
    /// The network with the candidate added.
    pub network: Network,
}

/// Re-routes the demand with candidate `ci` added and explains what it changes.
pub fn detail(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
    before: &[Option<OdRoute>],
    candidates: &[Candidate],
    ci: usize,
    options: &ProposeOptions,
) -> Result<CandidateDetail> {
    let (evaluation, after) =
        evaluate_by_rerouting(network, profile, demand, before, candidates, ci, options)?;
    let (with, _) = add_candidate(network, profile, &candidates[ci])?;
    let mut tonne_hours_saved = 0.0;
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        if let (Some(b), Some(a)) = (b, a) {
            tonne_hours_saved += demand.flows[i].tonnes_per_year * (b.hours - a.hours);
        }
    }
    let biggest = evaluation
        .gains
        .first()
        .and_then(|(f, _)| Some((*f, before[*f].clone()?, after[*f].clone()?)));
    Ok(CandidateDetail {
        evaluation,
        tonne_hours_saved,
        biggest,
        network: with,
    })
}

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

fn layer_label(l: Layer) -> String {
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

/// One pick of the greedy programme.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub evaluation: Evaluation,
    pub cumulative_cost_usd: f64,
    pub cumulative_benefit_usd_per_year: f64,
}

/// Evaluates every candidate on `network` (fast for single links, re-routing for projects).
pub fn evaluate_all(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
    candidates: &[Candidate],
    which: &[usize],
    options: &ProposeOptions,
) -> Result<Vec<Evaluation>> {
    let engine = Engine::build(network)?;
    let graph = &engine.graph;
    let weights = Weights::compile(network, graph, profile);
    let singles: Vec<usize> = which
        .iter()
        .copied()
        .filter(|&i| candidates[i].single.is_some())
        .collect();
    // Fast evaluation per commodity (each under its own costs), summed per candidate.
    let mut merged: BTreeMap<usize, (Vec<(usize, f64)>, f64)> = BTreeMap::new();
    for (pc, flows) in demand.cost_groups(network, profile) {
        let wc = Weights::compile(network, graph, &pc);
        let sub = Demand {
            flows: flows.iter().map(|&i| demand.flows[i].clone()).collect(),
            origin: demand.origin.clone(),
        };
        let dist = od_distances(network, &engine, &wc, &sub)?;
        for e in evaluate_fast(network, graph, &wc, &dist, candidates, &singles, options) {
            let entry = merged.entry(e.candidate).or_default();
            entry
                .0
                .extend(e.gains.iter().map(|(k, usd)| (flows[*k], *usd)));
            entry.1 += e.newly_served_tonnes;
        }
    }
    let mut evals: Vec<Evaluation> = merged
        .into_iter()
        .map(|(ci, (gains, newly))| finish(ci, &candidates[ci], gains, newly, options))
        .collect();
    let projects: Vec<usize> = which
        .iter()
        .copied()
        .filter(|&i| candidates[i].single.is_none())
        .collect();
    if !projects.is_empty() {
        let masks = MaskSet::new(network, graph, &weights);
        let before = routes_of(network, &engine, &weights, &[], &masks, demand);
        let more: Vec<Result<Evaluation>> = projects
            .par_iter()
            .map(|&i| {
                evaluate_by_rerouting(network, profile, demand, &before, candidates, i, options)
                    .map(|(e, _)| e)
            })
            .collect();
        for e in more {
            evals.push(e?);
        }
    }
    evals.sort_by(|a, b| {
        b.benefit_usd_per_year
            .total_cmp(&a.benefit_usd_per_year)
            .then(a.candidate.cmp(&b.candidate))
    });
    Ok(evals)
}

/// Greedy programme: repeatedly add the remaining candidate with the best benefit-cost ratio
/// that fits the budget, then re-evaluate the rest on the improved network.
/// A programme's limits: money to spend, and the lowest benefit-cost ratio worth a pick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub usd: f64,
    pub min_bcr: f64,
}

/// Only candidates with a benefit-cost ratio of at least `budget.min_bcr` are picked.
pub fn greedy_programme(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
    candidates: &[Candidate],
    budget: Budget,
    options: &ProposeOptions,
    mut on_step: impl FnMut(usize),
) -> Result<Vec<Pick>> {
    let mut working = (network.clone(), profile.clone());
    let mut remaining: Vec<usize> = (0..candidates.len()).collect();
    let mut spent = 0.0;
    let mut gained = 0.0;
    let mut picks = Vec::new();
    loop {
        on_step(picks.len());
        let affordable: Vec<usize> = remaining
            .iter()
            .copied()
            .filter(|&i| candidates[i].construction_usd <= budget.usd - spent)
            .collect();
        if affordable.is_empty() {
            break;
        }
        let evals = evaluate_all(
            &working.0,
            &working.1,
            demand,
            candidates,
            &affordable,
            options,
        )?;
        let best = evals
            .into_iter()
            .filter(|e| e.benefit_usd_per_year > 0.0 && e.benefit_cost_ratio >= budget.min_bcr)
            .max_by(|a, b| {
                a.benefit_cost_ratio
                    .total_cmp(&b.benefit_cost_ratio)
                    .then(b.candidate.cmp(&a.candidate))
            });
        let Some(best) = best else { break };
        let c = &candidates[best.candidate];
        working = add_candidate(&working.0, &working.1, c)?;
        spent += c.construction_usd;
        gained += best.benefit_usd_per_year;
        remaining.retain(|&i| i != best.candidate && !same_link(&candidates[i], c));
        picks.push(Pick {
            evaluation: best,
            cumulative_cost_usd: spent,
            cumulative_benefit_usd_per_year: gained,
        });
    }
    Ok(picks)
}

/// Two candidates join the same two places (e.g. road and rail, or a duplicate).
fn same_link(a: &Candidate, b: &Candidate) -> bool {
    a.mode == b.mode && ((a.from == b.from && a.to == b.to) || (a.from == b.to && a.to == b.from))
}

/// How much longer a flow's best route is than the straight line.
#[derive(Debug, Clone, PartialEq)]
pub struct Detour {
    pub flow: usize,
    pub route_km: f64,
    pub straight_km: f64,
    /// Route km / straight km.
    pub ratio: f64,
    /// Tonnes per year x (route km - straight km): where shorter routes are most missing.
    pub excess_tonne_km: f64,
}

/// Detours of every routed flow, largest excess tonne-km first.
pub fn detours<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    demand: &Demand,
) -> Vec<Detour> {
    let search = search.into();
    let masks = MaskSet::new(network, search.graph(), weights);
    let routes = routes_of(network, search, weights, &[], &masks, demand);
    let mut out: Vec<Detour> = demand
        .flows
        .iter()
        .enumerate()
        .zip(routes)
        .filter_map(|((i, f), r)| {
            let r = r?;
            let straight = Haversine.distance(
                network.place(f.origin).position,
                network.place(f.destination).position,
            ) / 1000.0;
            Some(Detour {
                flow: i,
                route_km: r.km,
                straight_km: straight,
                ratio: if straight > 0.0 { r.km / straight } else { 1.0 },
                excess_tonne_km: f.tonnes_per_year * (r.km - straight),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.excess_tonne_km
            .total_cmp(&a.excess_tonne_km)
            .then(a.flow.cmp(&b.flow))
    });
    out
}
