//! Alternative routes that are really different, by the penalty method: after each route is
//! found, the links it used cost more, and the search runs again. A candidate is kept only
//! if the links it shares with every route already kept make up at most `max_shared` of the
//! shorter route's length. Kept routes are ranked by their true (unpenalised) cost.

use std::collections::HashSet;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::analysis::route::{NoRoute, Planner, Route, RouteOutcome};
use crate::error::Result;
use crate::graph::search_graph::{ArcKind, SearchGraph};
use crate::graph::weights::CLOSED;

/// How alternatives are searched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlternativeOptions {
    /// Most routes returned.
    pub count: usize,
    /// Largest share of the shorter route's km two kept routes may have in common.
    pub max_shared: f64,
    /// Factor applied to a link's weight each time a found route uses it.
    pub penalty: f64,
    /// Searches tried before giving up on finding more.
    pub max_searches: usize,
}

impl AlternativeOptions {
    pub fn new(count: usize) -> AlternativeOptions {
        AlternativeOptions {
            count,
            max_shared: 0.5,
            penalty: 1.6,
            max_searches: 12 * count.max(1),
        }
    }
}

/// Shared km of two routes as a share of the shorter route's km.
pub fn shared_share(a: &Route, b: &Route, km_of: impl Fn(EdgeIndex) -> f64) -> f64 {
    let la: HashSet<EdgeIndex> = a.links().into_iter().collect();
    let shared: f64 = b
        .links()
        .into_iter()
        .filter(|l| la.contains(l))
        .map(&km_of)
        .sum();
    let shorter = a.totals.km.min(b.totals.km);
    if shorter > 0.0 { shared / shorter } else { 1.0 }
}

/// Most alternatives one request may ask for: the penalty method runs up to 12 searches per
/// route asked for.
pub const MAX_ALTERNATIVES: usize = 20;

/// Up to `options.count` really different routes, best first; or why there is none.
pub fn alternatives(
    planner: &mut Planner<'_>,
    from: NodeIndex,
    to: NodeIndex,
    via: &[NodeIndex],
    options: AlternativeOptions,
) -> Result<std::result::Result<Vec<Route>, NoRoute>> {
    if options.count == 0 || options.count > MAX_ALTERNATIVES {
        return Err(crate::error::Error::Request(format!(
            "alternatives: ask for 1 to {MAX_ALTERNATIVES} routes (got {})",
            options.count
        )));
    }
    let first = match planner.route(from, to, via)? {
        RouteOutcome::Found(r) => r,
        RouteOutcome::NoRoute(why) => return Ok(Err(why)),
    };
    let network = planner.network;
    let graph = planner.graph;
    let km_of = |l: EdgeIndex| network.link(l).length_km;
    let mut weight = planner.weights.weight.clone();
    let mut last = first.clone();
    let mut kept = vec![first];
    for _ in 0..options.max_searches {
        if kept.len() >= options.count || !penalise(graph, &mut weight, &last, options.penalty) {
            break;
        }
        let Some((_, arcs)) = planner.best_arcs(from, to, via, Some(&weight))? else {
            break;
        };
        let candidate = planner.explain(from, to, via, &arcs);
        if kept
            .iter()
            .all(|r| shared_share(r, &candidate, km_of) <= options.max_shared)
        {
            kept.push(candidate.clone());
        }
        last = candidate;
    }
    kept.sort_by_key(|r| r.weight);
    Ok(Ok(kept))
}

/// Multiplies the weights of the route's links by `factor`. False if nothing changed.
fn penalise(graph: &SearchGraph, weight: &mut [u32], route: &Route, factor: f64) -> bool {
    let links: HashSet<EdgeIndex> = route.links().into_iter().collect();
    let mut changed = false;
    for (a, kind) in graph.arcs.iter().enumerate() {
        if let ArcKind::Link { link, .. } = kind
            && links.contains(link)
            && weight[a] != CLOSED
        {
            let w = (f64::from(weight[a]) * factor)
                .round()
                .min(f64::from(CLOSED - 1));
            weight[a] = (w as u32).max(weight[a].saturating_add(1)).min(CLOSED - 1);
            changed = true;
        }
    }
    changed
}
