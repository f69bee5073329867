//! All-or-nothing assignment: every flow of the demand takes its best route; loads add up on
//! links, border crossings and transfer terminals. Searches run in parallel by origin; the
//! sums are made in demand order, so results do not depend on the number of threads.

use std::collections::BTreeMap;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use rayon::prelude::*;

use crate::analysis::demand::Demand;
use crate::analysis::many::{MaskSet, paths_from};
use crate::analysis::route::{Step, explain};
use crate::analysis::router::Router;
use crate::graph::engine::{Engine, Searcher};
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::Weights;
use crate::network::model::{Country, Layer, Mode, Network};
use crate::search::dijkstra::SearchSpace;

/// The best route of one flow, per shipment of `cargo.tonnes`.
#[derive(Debug, Clone, PartialEq)]
pub struct OdRoute {
    pub km: f64,
    pub hours: f64,
    pub usd: f64,
    pub generalized_usd: f64,
    /// Compiled weight (objective units).
    pub weight: u64,
    pub links: Vec<EdgeIndex>,
    /// Links with the direction travelled (true = from `from` to `to`).
    pub directed: Vec<(EdgeIndex, bool)>,
    pub crossings: Vec<NodeIndex>,
    pub transfers: Vec<NodeIndex>,
    pub transit: Vec<Country>,
    /// Km by road and by rail.
    pub road_km: f64,
    pub rail_km: f64,
}

impl OdRoute {
    /// The mode that carries the shipment furthest.
    pub fn main_mode(&self) -> Mode {
        if self.rail_km > self.road_km {
            Mode::Rail
        } else {
            Mode::Road
        }
    }
}

/// Tonnes (by main mode) and tonne-km (by mode) of one commodity or of all.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ModeSplit {
    pub road_tonnes: f64,
    pub rail_tonnes: f64,
    pub road_tonne_km: f64,
    pub rail_tonne_km: f64,
}

impl ModeSplit {
    /// Rail's share of tonnes (0 when nothing moved).
    pub fn rail_tonnes_share(&self) -> f64 {
        let t = self.road_tonnes + self.rail_tonnes;
        if t > 0.0 { self.rail_tonnes / t } else { 0.0 }
    }
    /// Rail's share of tonne-km.
    pub fn rail_tonne_km_share(&self) -> f64 {
        let t = self.road_tonne_km + self.rail_tonne_km;
        if t > 0.0 { self.rail_tonne_km / t } else { 0.0 }
    }
}

/// Loads and totals of an assignment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Assignment {
    /// Per flow (demand order): its route, or `None` when no route exists.
    pub routes: Vec<Option<OdRoute>>,
    /// Tonnes per year on each link, both directions together, and by direction.
    pub link_tonnes: BTreeMap<EdgeIndex, f64>,
    pub link_tonnes_forward: BTreeMap<EdgeIndex, f64>,
    pub link_tonnes_backward: BTreeMap<EdgeIndex, f64>,
    pub crossing_tonnes: BTreeMap<NodeIndex, f64>,
    pub transfer_tonnes: BTreeMap<NodeIndex, f64>,
    pub tonnes_by_transit: BTreeMap<Country, f64>,
    /// Mode split over all flows, and by commodity key.
    pub mode_split: ModeSplit,
    pub mode_split_by_commodity: BTreeMap<String, ModeSplit>,
    pub served_tonnes: f64,
    pub unserved_tonnes: f64,
    pub tonne_km: f64,
    pub tonne_hours: f64,
    /// Total USD per year (tariffs, transfers, fees), for shipments of `cargo.tonnes`.
    pub usd: f64,
    /// USD + value of time x hours, per year.
    pub generalized_usd: f64,
}

/// Assigns `demand` under `weights`.
pub fn assign<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    demand: &Demand,
) -> Assignment {
    let search = search.into();
    let masks = MaskSet::new(network, search.graph(), weights);
    assign_with(network, search, weights, &[], &masks, demand)
}

/// Best routes of every flow (demand order), each under its commodity's costs. `closed` are
/// arcs removed for this run (an element taken out by criticality): closed for every
/// commodity. `weights` is the request's profile; other commodities' weights are compiled
/// from it with only the commodity (and O-D) changed.
pub fn routes_of<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    closed: &[crate::graph::csr::ArcIx],
    masks: &MaskSet,
    demand: &Demand,
) -> Vec<Option<OdRoute>> {
    let search = search.into();
    let graph = search.graph();
    let with_closed = |w: &[u32]| -> Vec<u32> {
        let mut w = w.to_vec();
        for a in closed {
            if let Some(x) = w.get_mut(a.index()) {
                *x = crate::graph::weights::CLOSED;
            }
        }
        w
    };
    let mut routes = vec![None; demand.flows.len()];
    for (profile, flows) in demand.cost_groups(network, &weights.profile) {
        let own;
        let group_weights = if profile == weights.profile {
            weights
        } else {
            own = Weights::compile(network, graph, &profile);
            &own
        };
        if let Searcher::Engine(engine) = search
            && routes_on_engine(
                network,
                engine,
                group_weights,
                closed,
                masks,
                demand,
                &flows,
                &mut routes,
            )
            .is_ok()
        {
            continue;
        }
        if profile == weights.profile {
            let w = with_closed(&weights.weight);
            routes_for(
                network,
                graph,
                weights,
                &w,
                masks,
                demand,
                &flows,
                &mut routes,
            );
            continue;
        }
        let own = Weights::compile(network, graph, &profile);
        let w = with_closed(&own.weight);
        routes_for(network, graph, &own, &w, masks, demand, &flows, &mut routes);
    }
    routes
}

/// Best routes of the flows `which` (all of one commodity) into `routes`, on the engine:
/// metrics customized with `closed` taken out, then one hierarchy query per flow. An error
/// here (a metric that does not fit the engine, which the construction rules out) leaves the
/// caller to search by Dijkstra instead.
#[allow(clippy::too_many_arguments)]
fn routes_on_engine(
    network: &Network,
    engine: &Engine,
    weights: &Weights,
    closed: &[crate::graph::csr::ArcIx],
    masks: &MaskSet,
    demand: &Demand,
    which: &[usize],
    routes: &mut [Option<OdRoute>],
) -> crate::error::Result<()> {
    let mut router = Router::new(network, engine, weights, masks, closed);
    router.prepare(
        which
            .iter()
            .map(|&i| (demand.flows[i].origin, demand.flows[i].destination)),
    )?;
    let found: Vec<crate::error::Result<(usize, Option<OdRoute>)>> = which
        .par_iter()
        .map_init(
            || router.query(),
            |q, &i| {
                let f = &demand.flows[i];
                let route = router.path(q, f.origin, f.destination)?.map(|p| {
                    od_route(
                        network,
                        &engine.graph,
                        p.weights,
                        f.origin,
                        f.destination,
                        p.weight,
                        &p.arcs,
                    )
                });
                Ok((i, route))
            },
        )
        .collect();
    for r in found {
        let (i, route) = r?;
        routes[i] = route;
    }
    Ok(())
}

/// A flow's route from its path: the explained route boiled down to what assignment adds up.
fn od_route(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    origin: NodeIndex,
    destination: NodeIndex,
    weight: u64,
    arcs: &[crate::graph::csr::ArcIx],
) -> OdRoute {
    let r = explain(network, graph, weights, origin, destination, &[], arcs);
    let mut directed = Vec::new();
    let mut transfers = Vec::new();
    let (mut road_km, mut rail_km) = (0.0, 0.0);
    for s in &r.steps {
        match s {
            Step::Link {
                link,
                from,
                layer,
                km,
                ..
            } => {
                match layer {
                    Layer::Road => road_km += km,
                    Layer::Rail { .. } => rail_km += km,
                }
                let forward = network
                    .graph
                    .edge_endpoints(*link)
                    .is_some_and(|(a, _)| a == *from);
                directed.push((*link, forward));
            }
            Step::Transfer { place, .. } => transfers.push(*place),
            Step::Border { .. } | Step::Terminal { .. } | Step::Rest { .. } => {}
        }
    }
    OdRoute {
        km: r.totals.km,
        hours: r.totals.hours,
        usd: r.totals.usd,
        generalized_usd: r.totals.generalized_usd,
        weight,
        links: r.links(),
        directed,
        crossings: r.crossings(),
        transfers,
        transit: r.transit_countries.clone(),
        road_km,
        rail_km,
    }
}

/// Best routes of the flows `which` (all of one commodity) into `routes`.
#[allow(clippy::too_many_arguments)]
fn routes_for(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    weight: &[u32],
    masks: &MaskSet,
    demand: &Demand,
    which: &[usize],
    routes: &mut [Option<OdRoute>],
) {
    let mut by_origin: BTreeMap<NodeIndex, Vec<usize>> = BTreeMap::new();
    for &i in which {
        by_origin.entry(demand.flows[i].origin).or_default().push(i);
    }
    let groups: Vec<(NodeIndex, Vec<usize>)> = by_origin.into_iter().collect();
    let per_group: Vec<Vec<(usize, Option<OdRoute>)>> = groups
        .par_iter()
        .map_init(
            || SearchSpace::new(graph.node_count()),
            |space, (origin, flows)| {
                let dests: Vec<NodeIndex> =
                    flows.iter().map(|&i| demand.flows[i].destination).collect();
                let found = paths_from(network, graph, weight, masks, space, *origin, &dests);
                flows
                    .iter()
                    .zip(found)
                    .map(|(&i, f)| {
                        let route = f.map(|f| {
                            od_route(
                                network,
                                graph,
                                weights,
                                *origin,
                                demand.flows[i].destination,
                                f.weight,
                                &f.arcs,
                            )
                        });
                        (i, route)
                    })
                    .collect()
            },
        )
        .collect();
    for (i, r) in per_group.into_iter().flatten() {
        routes[i] = r;
    }
}

/// Assignment with precomputed masks and a given search weight.
pub fn assign_with<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    closed: &[crate::graph::csr::ArcIx],
    masks: &MaskSet,
    demand: &Demand,
) -> Assignment {
    let routes = routes_of(network, search, weights, closed, masks, demand);
    totals(weights, demand, routes)
}

/// Adds up the loads and totals of routes (in demand order).
pub fn totals(weights: &Weights, demand: &Demand, routes: Vec<Option<OdRoute>>) -> Assignment {
    let per_shipment = weights.profile.params.cargo.tonnes;
    let mut a = Assignment::default();
    for (flow, route) in demand.flows.iter().zip(&routes) {
        let t = flow.tonnes_per_year;
        let Some(r) = route else {
            a.unserved_tonnes += t;
            continue;
        };
        a.served_tonnes += t;
        a.tonne_km += t * r.km;
        a.tonne_hours += t * r.hours;
        let shipments = if per_shipment > 0.0 {
            t / per_shipment
        } else {
            0.0
        };
        a.usd += shipments * r.usd;
        a.generalized_usd += shipments * r.generalized_usd;
        for (l, forward) in &r.directed {
            *a.link_tonnes.entry(*l).or_default() += t;
            let side = if *forward {
                &mut a.link_tonnes_forward
            } else {
                &mut a.link_tonnes_backward
            };
            *side.entry(*l).or_default() += t;
        }
        for c in &r.crossings {
            *a.crossing_tonnes.entry(*c).or_default() += t;
        }
        for p in &r.transfers {
            *a.transfer_tonnes.entry(*p).or_default() += t;
        }
        for c in &r.transit {
            *a.tonnes_by_transit.entry(*c).or_default() += t;
        }
        for split in [
            &mut a.mode_split,
            a.mode_split_by_commodity
                .entry(flow.commodity.clone())
                .or_default(),
        ] {
            match r.main_mode() {
                Mode::Road => split.road_tonnes += t,
                Mode::Rail => split.rail_tonnes += t,
            }
            split.road_tonne_km += t * r.road_km;
            split.rail_tonne_km += t * r.rail_km;
        }
    }
    a.routes = routes;
    a
}
