//! The routing engine: a compiled graph with its customizable contraction hierarchy (node
//! order and contraction once per graph), and metrics customized per request profile and O-D
//! rule set. Rules that close things (transit permissions, bilateral crossings, avoided
//! countries and places, months, status, modes, commodity) are part of the metric: a closed
//! arc is infinite, so no query-time mask is needed and no shortcut can skip a closure.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::Result;
use crate::graph::csr::ArcIx;
use crate::graph::engine_cache::{self, CacheStatus, ReadError};
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::CLOSED;
use crate::network::model::Network;
use crate::search::cch::{Cch, CchQuery, Metric, NodeOrder, Phast};
use crate::search::mask::NodeMask;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A compiled graph and its hierarchy.
pub struct Engine {
    pub graph: SearchGraph,
    cch: Cch,
    /// Distinguishes engines: a metric carries the id of the engine it was customized on.
    pub id: u64,
    /// Metrics customized for recent requests, most recent last (see [`Engine::cached_metric`]).
    recent: Mutex<Vec<(u64, Arc<EngineMetric>)>>,
}

/// Metrics kept by [`Engine::cached_metric`] (each holds two weights per hierarchy edge).
pub const CACHED_METRICS: usize = 16;

/// Weights of one request and O-D rule set, customized on one engine's hierarchy.
pub struct EngineMetric {
    engine_id: u64,
    metric: Metric,
}

impl EngineMetric {
    /// The id of the engine this metric belongs to.
    pub fn engine_id(&self) -> u64 {
        self.engine_id
    }
}

impl Engine {
    /// Compiles `network` and builds its hierarchy: nested dissection on the places'
    /// coordinates, then contraction.
    pub fn build(network: &Network) -> Result<Engine> {
        Engine::from_graph(network, SearchGraph::build(network))
    }

    /// Builds the hierarchy of an already compiled graph.
    pub fn from_graph(network: &Network, graph: SearchGraph) -> Result<Engine> {
        let order = Engine::order_of(network, &graph)?;
        Engine::with_order(graph, &order)
    }

    /// Compiles `network` and builds its hierarchy, with the node order cached in the
    /// network folder `dir` (see [`crate::graph::engine_cache`]). Cache trouble is reported
    /// in the status, never an error.
    pub fn build_cached(network: &Network, dir: Option<&Path>) -> Result<(Engine, CacheStatus)> {
        let graph = SearchGraph::build(network);
        let Some(dir) = dir else {
            return Ok((Engine::from_graph(network, graph)?, CacheStatus::NotUsed));
        };
        let path = engine_cache::cache_path(dir);
        let hash = engine_cache::topology_hash(&graph);
        let mut status = match engine_cache::read(&path, hash, graph.node_count()) {
            Ok(Some(order)) => {
                return Ok((
                    Engine::with_order(graph, &order)?,
                    CacheStatus::Loaded(path),
                ));
            }
            Ok(None) => CacheStatus::Written(path.clone()),
            Err(ReadError::Stale) => CacheStatus::Stale(path.clone()),
            Err(ReadError::Unreadable(why)) => CacheStatus::Failed(why),
        };
        let order = Engine::order_of(network, &graph)?;
        if let Err(why) = engine_cache::write(&path, hash, &order) {
            status = CacheStatus::Failed(why);
        }
        Ok((Engine::with_order(graph, &order)?, status))
    }

    /// The metric-independent node order: nested dissection on the places' coordinates.
    fn order_of(network: &Network, graph: &SearchGraph) -> Result<NodeOrder> {
        let coordinates: Vec<(f64, f64)> = graph
            .nodes
            .iter()
            .map(|n| {
                let p = network.place(n.place).position;
                (p.x(), p.y())
            })
            .collect();
        Ok(NodeOrder::nested_dissection(
            graph.node_count(),
            &graph.csr.tail,
            &graph.csr.head,
            Some(&coordinates),
        )?)
    }

    /// Contracts `graph` in `order`.
    fn with_order(graph: SearchGraph, order: &NodeOrder) -> Result<Engine> {
        let cch = Cch::from_csr(&graph.csr, order)?;
        Ok(Engine {
            graph,
            cch,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            recent: Mutex::new(Vec::new()),
        })
    }

    /// Customizes `weight` (one request's arc weights, [`CLOSED`] where closed) with every arc
    /// that enters a node of `blocked` closed too.
    pub fn customize(&self, weight: &[u32], blocked: Option<&NodeMask>) -> Result<EngineMetric> {
        let metric = match blocked {
            Some(mask) if !mask.is_empty() => {
                let mut w = weight.to_vec();
                for (a, &h) in self.graph.csr.head.iter().enumerate() {
                    if mask.is_blocked(h) {
                        w[a] = CLOSED;
                    }
                }
                self.cch.customize(&w)?
            }
            _ => self.cch.customize(weight)?,
        };
        Ok(EngineMetric {
            engine_id: self.id,
            metric,
        })
    }

    /// The metric cached under `key` (a digest of the request's profile and O-D rule set), or
    /// `make`'s, cached for the next request with that key; the least recently used of
    /// [`CACHED_METRICS`] is dropped. The lock is never held while customizing, so callers on
    /// any thread (rayon workers included) cannot deadlock here.
    pub fn cached_metric(
        &self,
        key: u64,
        make: impl FnOnce() -> Result<EngineMetric>,
    ) -> Result<Arc<EngineMetric>> {
        let lock = || self.recent.lock().unwrap_or_else(|e| e.into_inner());
        {
            let mut recent = lock();
            if let Some(i) = recent.iter().position(|(k, _)| *k == key) {
                let hit = recent.remove(i);
                let metric = hit.1.clone();
                recent.push(hit);
                return Ok(metric);
            }
        }
        let metric = Arc::new(make()?);
        let mut recent = lock();
        recent.retain(|(k, _)| *k != key);
        recent.push((key, metric.clone()));
        if recent.len() > CACHED_METRICS {
            recent.remove(0);
        }
        Ok(metric)
    }

    /// Number of metrics cached now.
    pub fn cached_metric_count(&self) -> usize {
        self.recent.lock().map_or(0, |r| r.len())
    }

    /// A query object for this engine (owns its buffers; one per thread).
    pub fn query(&self) -> CchQuery<'_> {
        CchQuery::new(&self.cch)
    }

    /// The best path from node `s` to node `t` under `metric`: its weight and its arcs.
    pub fn path(
        &self,
        q: &mut CchQuery,
        metric: &EngineMetric,
        s: u32,
        t: u32,
    ) -> Result<Option<(u64, Vec<ArcIx>)>> {
        self.check(metric)?;
        Ok(q.path(&metric.metric, s, t)?
            .map(|(d, arcs)| (d, arcs.into_iter().map(ArcIx).collect())))
    }

    /// Buffers for one-to-all sweeps (PHAST) on this engine (one per thread).
    pub fn phast(&self) -> Phast<'_> {
        Phast::new(&self.cch)
    }

    /// Distances from node `source` to every node under `metric` (PHAST), indexed by node;
    /// [`crate::search::cch::UNREACHABLE`] where there is no path.
    pub fn one_to_all<'p>(
        &self,
        phast: &'p mut Phast,
        metric: &EngineMetric,
        source: u32,
    ) -> Result<&'p [u64]> {
        self.check(metric)?;
        Ok(phast.one_to_all(&metric.metric, source)?)
    }

    /// Distances from every node to node `target` under `metric` (PHAST), indexed by node.
    pub fn all_to_one<'p>(
        &self,
        phast: &'p mut Phast,
        metric: &EngineMetric,
        target: u32,
    ) -> Result<&'p [u64]> {
        self.check(metric)?;
        Ok(phast.all_to_one(&metric.metric, target)?)
    }

    fn check(&self, metric: &EngineMetric) -> Result<()> {
        if metric.engine_id != self.id {
            return Err(crate::search::cch::CchError::ForeignMetric {
                metric_cch: metric.engine_id,
                cch: self.id,
            }
            .into());
        }
        Ok(())
    }

    /// Size of the hierarchy: edges and how many of them are shortcuts.
    pub fn hierarchy_size(&self) -> (usize, usize) {
        (self.cch.edge_count(), self.cch.shortcut_count())
    }
}

/// Where a batch of searches runs: Dijkstra on the compiled graph (the oracle, and enough for
/// tiny graphs) or the engine's hierarchy. Functions that take `impl Into<Searcher>` accept
/// either a `&SearchGraph` or an `&Engine`.
#[derive(Clone, Copy)]
pub enum Searcher<'e> {
    Dijkstra(&'e SearchGraph),
    Engine(&'e Engine),
}

impl<'e> Searcher<'e> {
    /// The compiled graph searched.
    pub fn graph(&self) -> &'e SearchGraph {
        match self {
            Searcher::Dijkstra(g) => g,
            Searcher::Engine(e) => &e.graph,
        }
    }
}

impl<'e> From<&'e SearchGraph> for Searcher<'e> {
    fn from(g: &'e SearchGraph) -> Searcher<'e> {
        Searcher::Dijkstra(g)
    }
}

impl<'e> From<&'e Engine> for Searcher<'e> {
    fn from(e: &'e Engine) -> Searcher<'e> {
        Searcher::Engine(e)
    }
}
