//! Distance tables for the fast evaluation: from every origin and to every destination of
//! the demand, under each flow's O-D rules (PHAST sweeps on the engine, or Dijkstra).

use std::collections::BTreeMap;

use petgraph::stable_graph::NodeIndex;
use rayon::prelude::*;

use crate::analysis::demand::Demand;
use crate::analysis::many::MaskSet;
use crate::error::Result;
use crate::graph::csr::NodeIx;
use crate::graph::engine::Searcher;
use crate::graph::weights::Weights;
use crate::network::model::Network;
use crate::search::cch::UNREACHABLE;
use crate::search::dijkstra::{Direction, SearchSpace};

use super::*;

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
pub(crate) type Swept = ((Direction, NodeIndex, usize), Vec<u64>);

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
