//! Cost matrices: time, money, distance and generalized cost between every origin and
//! destination, one search per origin, origins in parallel (rayon) with one reusable search
//! space per worker thread. Results do not depend on the number of threads.

use petgraph::stable_graph::NodeIndex;
use rayon::prelude::*;

use crate::analysis::many::{MaskSet, paths_from};
use crate::analysis::route::explain;
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::Weights;
use crate::network::model::{Country, Network};
use crate::search::dijkstra::SearchSpace;

/// One cell of a matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub km: f64,
    pub hours: f64,
    pub bad_day_hours: f64,
    pub usd: f64,
    pub generalized_usd: f64,
    /// Sum of compiled weights (the objective, integer units).
    pub weight: u64,
    pub transit: Vec<Country>,
    pub crossings: usize,
    pub gauge_changes: usize,
}

/// A matrix: `cells[i * destinations.len() + j]` is origin `i` to destination `j`; `None`
/// where there is no route (or the two are the same place).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub origins: Vec<NodeIndex>,
    pub destinations: Vec<NodeIndex>,
    pub cells: Vec<Option<Cell>>,
}

impl Matrix {
    pub fn get(&self, i: usize, j: usize) -> Option<&Cell> {
        self.cells.get(i * self.destinations.len() + j)?.as_ref()
    }
}

/// Computes the matrix. Parallel over origins.
pub fn matrix(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    origins: &[NodeIndex],
    destinations: &[NodeIndex],
) -> Matrix {
    let masks = MaskSet::new(network, graph, weights);
    let rows: Vec<Vec<Option<Cell>>> = origins
        .par_iter()
        .map_init(
            || SearchSpace::new(graph.node_count()),
            |space, &o| {
                paths_from(
                    network,
                    graph,
                    &weights.weight,
                    &masks,
                    space,
                    o,
                    destinations,
                )
                .into_iter()
                .zip(destinations)
                .map(|(found, &d)| {
                    let found = found?;
                    let r = explain(network, graph, weights, o, d, &[], &found.arcs);
                    Some(Cell {
                        km: r.totals.km,
                        hours: r.totals.hours,
                        bad_day_hours: r.totals.bad_day_hours,
                        usd: r.totals.usd,
                        generalized_usd: r.totals.generalized_usd,
                        weight: found.weight,
                        transit: r.transit_countries.clone(),
                        crossings: r.crossings().len(),
                        gauge_changes: r.gauge_changes(),
                    })
                })
                .collect()
            },
        )
        .collect();
    Matrix {
        origins: origins.to_vec(),
        destinations: destinations.to_vec(),
        cells: rows.into_iter().flatten().collect(),
    }
}
