//! Searches from one origin to many destinations, the building block of matrices,
//! assignment, scenarios and criticality. Destinations whose goods face the same O-D rules
//! (same node mask) share one search; masks are computed once per network and request and
//! shared read-only between threads.

use std::collections::BTreeMap;

use petgraph::stable_graph::NodeIndex;

use crate::graph::csr::ArcIx;
use crate::graph::restrictions::od_mask;
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::Weights;
use crate::network::model::{Country, Network};
use crate::search::dijkstra::{Direction, SearchSpace};
use crate::search::mask::NodeMask;

/// The node masks of every (origin country, destination country) pair, deduplicated.
#[derive(Debug, Clone)]
pub struct MaskSet {
    masks: Vec<NodeMask>,
    index: BTreeMap<(Country, Country), usize>,
}

impl MaskSet {
    /// Masks for every pair of countries present in the network.
    pub fn new(network: &Network, graph: &SearchGraph, weights: &Weights) -> MaskSet {
        let mut countries: Vec<Country> = network.places().map(|(_, p)| p.country).collect();
        countries.sort();
        countries.dedup();
        let mut masks: Vec<NodeMask> = Vec::new();
        let mut index = BTreeMap::new();
        for &a in &countries {
            for &b in &countries {
                let m = od_mask(network, graph, &weights.profile, a, b);
                let i = match masks.iter().position(|x| *x == m) {
                    Some(i) => i,
                    None => {
                        masks.push(m);
                        masks.len() - 1
                    }
                };
                index.insert((a, b), i);
            }
        }
        MaskSet { masks, index }
    }

    /// The mask index for goods from `a` to `b`.
    pub fn index_of(&self, a: Country, b: Country) -> usize {
        self.index.get(&(a, b)).copied().unwrap_or(0)
    }

    pub fn mask(&self, i: usize) -> &NodeMask {
        &self.masks[i]
    }
}

/// The best path to one destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Sum of compiled weights (objective units).
    pub weight: u64,
    pub arcs: Vec<ArcIx>,
}

/// Best paths from `origin` to each of `destinations` (same order); `None` where unreachable
/// or where the destination is the origin. Uses and reuses `space`.
pub fn paths_from(
    network: &Network,
    graph: &SearchGraph,
    weight: &[u32],
    masks: &MaskSet,
    space: &mut SearchSpace,
    origin: NodeIndex,
    destinations: &[NodeIndex],
) -> Vec<Option<Found>> {
    let co = network.place(origin).country;
    let mut out = vec![None; destinations.len()];
    // Group destinations by mask.
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, d) in destinations.iter().enumerate() {
        if *d != origin {
            groups
                .entry(masks.index_of(co, network.place(*d).country))
                .or_default()
                .push(i);
        }
    }
    let sources: Vec<(u32, u64)> = graph
        .source_of(origin)
        .map(|n| (n.0, 0))
        .into_iter()
        .collect();
    for (mask_ix, members) in groups {
        let mask = masks.mask(mask_ix);
        let targets: Vec<u32> = members
            .iter()
            .filter_map(|&i| graph.sink_of(destinations[i]).map(|n| n.0))
            .collect();
        space.start(Direction::Forward, sources.iter().copied());
        space.run_to_all_of(&graph.csr, weight, mask, &targets);
        for &i in &members {
            let best = graph
                .sink_of(destinations[i])
                .and_then(|n| space.distance(n.0).map(|d| (d, n.0)));
            if let Some((d, node)) = best {
                out[i] = Some(Found {
                    weight: d,
                    arcs: space
                        .path_arcs(&graph.csr, node)
                        .into_iter()
                        .map(ArcIx)
                        .collect(),
                });
            }
        }
    }
    out
}
