//! Criticality: remove each link, border crossing or transfer terminal in turn and measure the
//! extra generalized cost of the demand and the tonnes left with no route. Only flows whose
//! baseline route uses the element can change, so only those are searched again; elements
//! are evaluated in parallel.

use std::collections::BTreeMap;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use rayon::prelude::*;

use crate::analysis::assign::{OdRoute, routes_of};
use crate::analysis::demand::Demand;
use crate::analysis::many::MaskSet;
use crate::graph::csr::ArcIx;
use crate::graph::engine::Searcher;
use crate::graph::search_graph::{ArcKind, SearchGraph};
use crate::graph::weights::Weights;
use crate::network::model::Network;

/// What can be removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    Link(EdgeIndex),
    Crossing(NodeIndex),
    Terminal(NodeIndex),
}

/// The kinds of element a sweep covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds {
    pub links: bool,
    pub crossings: bool,
    pub terminals: bool,
}

impl Kinds {
    pub const ALL: Kinds = Kinds {
        links: true,
        crossings: true,
        terminals: true,
    };
}

/// What removing one element costs.
#[derive(Debug, Clone, PartialEq)]
pub struct Impact {
    pub element: Element,
    /// Flows whose baseline route used the element.
    pub flows_affected: usize,
    pub tonnes_affected: f64,
    /// Extra generalized cost per year of the flows that still have a route, USD.
    pub extra_generalized_usd: f64,
    /// Extra tonne-hours per year of those flows.
    pub extra_tonne_hours: f64,
    /// Tonnes per year left with no route at all.
    pub unserved_tonnes: f64,
}

/// The arcs an element's removal closes.
pub fn arcs_of(graph: &SearchGraph, element: Element) -> Vec<ArcIx> {
    match element {
        Element::Link(e) => graph.arcs_of(e),
        Element::Crossing(p) => graph.arcs_at(p),
        Element::Terminal(p) => graph
            .arcs_at(p)
            .into_iter()
            .filter(|a| matches!(graph.arcs[a.index()], ArcKind::Transfer { .. }))
            .collect(),
    }
}

/// Elements each baseline route uses.
fn elements_of(network: &Network, r: &OdRoute) -> Vec<Element> {
    let mut out: Vec<Element> = r.links.iter().map(|l| Element::Link(*l)).collect();
    out.extend(r.crossings.iter().map(|c| Element::Crossing(*c)));
    out.extend(
        r.transfers
            .iter()
            .filter(|p| network.place(**p).crossing.is_none())
            .map(|p| Element::Terminal(*p)),
    );
    out.sort();
    out.dedup();
    out
}

/// Ranks every element used by the demand, worst first (most tonnes cut off, then most extra
/// cost). Also returns the baseline routes.
pub fn criticality<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    demand: &Demand,
    kinds: Kinds,
) -> (Vec<Impact>, Vec<Option<OdRoute>>) {
    let search = search.into();
    let graph = search.graph();
    let masks = MaskSet::new(network, graph, weights);
    let baseline = routes_of(network, search, weights, &[], &masks, demand);
    let mut users: BTreeMap<Element, Vec<usize>> = BTreeMap::new();
    for (i, r) in baseline.iter().enumerate() {
        if let Some(r) = r {
            for e in elements_of(network, r) {
                let wanted = match e {
                    Element::Link(_) => kinds.links,
                    Element::Crossing(_) => kinds.crossings,
                    Element::Terminal(_) => kinds.terminals,
                };
                if wanted {
                    users.entry(e).or_default().push(i);
                }
            }
        }
    }
    let per_shipment = weights.profile.params.cargo.tonnes.max(f64::MIN_POSITIVE);
    let elements: Vec<(Element, Vec<usize>)> = users.into_iter().collect();
    let mut impacts: Vec<Impact> = elements
        .par_iter()
        .map(|(element, flows)| {
            let closed = arcs_of(graph, *element);
            let sub = Demand {
                flows: flows.iter().map(|&i| demand.flows[i].clone()).collect(),
                origin: demand.origin.clone(),
            };
            let rerouted = routes_of(network, search, weights, &closed, &masks, &sub);
            let mut impact = Impact {
                element: *element,
                flows_affected: flows.len(),
                tonnes_affected: 0.0,
                extra_generalized_usd: 0.0,
                extra_tonne_hours: 0.0,
                unserved_tonnes: 0.0,
            };
            for (&i, after) in flows.iter().zip(&rerouted) {
                let t = demand.flows[i].tonnes_per_year;
                impact.tonnes_affected += t;
                let Some(before) = &baseline[i] else { continue };
                match after {
                    Some(a) => {
                        impact.extra_generalized_usd +=
                            t / per_shipment * (a.generalized_usd - before.generalized_usd);
                        impact.extra_tonne_hours += t * (a.hours - before.hours);
                    }
                    None => impact.unserved_tonnes += t,
                }
            }
            impact
        })
        .collect();
    impacts.sort_by(|a, b| {
        b.unserved_tonnes
            .total_cmp(&a.unserved_tonnes)
            .then(b.extra_generalized_usd.total_cmp(&a.extra_generalized_usd))
            .then(a.element.cmp(&b.element))
    });
    (impacts, baseline)
}
