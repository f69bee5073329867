//! Many routes of one request on the routing engine: the metrics the O-D pairs need,
//! customized once each before the searches start (one per O-D rule set; where railways
//! charge transit rates, one per country pair, with that pair's weights), then read-only
//! hierarchy queries from any number of threads.
//!
//! Metrics are made up front, never lazily under a lock: a rayon worker waiting on a lock
//! could be handed another search that needs the same lock.

use std::collections::BTreeMap;

use petgraph::stable_graph::NodeIndex;

use crate::analysis::many::MaskSet;
use crate::error::Result;
use crate::graph::csr::ArcIx;
use crate::graph::engine::{Engine, EngineMetric};
use crate::graph::weights::{CLOSED, Weights};
use crate::network::model::{Country, Network};
use crate::search::cch::CchQuery;

/// Which metric an O-D pair needs: its node-mask index, and its country pair when costs
/// depend on the O-D (transit rates).
type Key = (usize, Option<(Country, Country)>);

/// One customized metric and the weights it was made from (`None`: the request's own).
pub struct Customized {
    own_weights: Option<Weights>,
    metric: EngineMetric,
}

/// A found path: its weight, its arcs, and the metric (with its weights) that found it.
pub struct RoutedPath<'r> {
    pub weight: u64,
    pub arcs: Vec<ArcIx>,
    pub weights: &'r Weights,
}

/// The request's metrics on one engine, for a set of O-D pairs.
pub struct Router<'e> {
    network: &'e Network,
    engine: &'e Engine,
    weights: &'e Weights,
    masks: &'e MaskSet,
    closed: Vec<ArcIx>,
    by_od: bool,
    metrics: BTreeMap<Key, Customized>,
}

impl<'e> Router<'e> {
    /// A router for `weights` (the request) with `closed` arcs taken out for every pair.
    pub fn new(
        network: &'e Network,
        engine: &'e Engine,
        weights: &'e Weights,
        masks: &'e MaskSet,
        closed: &[ArcIx],
    ) -> Router<'e> {
        Router {
            network,
            engine,
            weights,
            masks,
            closed: closed.to_vec(),
            by_od: network.params.has_transit_rates(),
            metrics: BTreeMap::new(),
        }
    }

    fn key(&self, o: NodeIndex, d: NodeIndex) -> Key {
        let (co, cd) = (self.network.place(o).country, self.network.place(d).country);
        (self.masks.index_of(co, cd), self.by_od.then_some((co, cd)))
    }

    fn with_closed(&self, w: &[u32]) -> Vec<u32> {
        let mut w = w.to_vec();
        for a in &self.closed {
            if let Some(x) = w.get_mut(a.index()) {
                *x = CLOSED;
            }
        }
        w
    }

    /// Customizes the metrics `pairs` need (those not made yet).
    pub fn prepare(
        &mut self,
        pairs: impl IntoIterator<Item = (NodeIndex, NodeIndex)>,
    ) -> Result<()> {
        let mut keys: Vec<Key> = pairs.into_iter().map(|(o, d)| self.key(o, d)).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            if self.metrics.contains_key(&key) {
                continue;
            }
            let (mask_ix, od) = key;
            let mask = Some(self.masks.mask(mask_ix));
            let own = od.and_then(|(co, cd)| self.weights.profile.for_od(co, cd));
            let customized = match own.filter(|p| *p != self.weights.profile) {
                Some(p) => {
                    let w = Weights::compile(self.network, &self.engine.graph, &p);
                    let metric = self.engine.customize(&self.with_closed(&w.weight), mask)?;
                    Customized {
                        own_weights: Some(w),
                        metric,
                    }
                }
                None => {
                    let w = self.with_closed(&self.weights.weight);
                    Customized {
                        own_weights: None,
                        metric: self.engine.customize(&w, mask)?,
                    }
                }
            };
            self.metrics.insert(key, customized);
        }
        Ok(())
    }

    /// A query object for this router's engine (one per thread).
    pub fn query(&self) -> CchQuery<'e> {
        self.engine.query()
    }

    /// The best path from `o`'s source hub to `d`'s sink hub; `None` when there is none,
    /// when `o == d`, or when the pair was not prepared.
    pub fn path(
        &self,
        q: &mut CchQuery,
        o: NodeIndex,
        d: NodeIndex,
    ) -> Result<Option<RoutedPath<'_>>> {
        let graph = &self.engine.graph;
        let (Some(s), Some(t)) = (graph.source_of(o), graph.sink_of(d)) else {
            return Ok(None);
        };
        if o == d {
            return Ok(None);
        }
        let Some(c) = self.metrics.get(&self.key(o, d)) else {
            return Ok(None);
        };
        let weights = c.own_weights.as_ref().unwrap_or(self.weights);
        Ok(self
            .engine
            .path(q, &c.metric, s.0, t.0)?
            .map(|(weight, arcs)| RoutedPath {
                weight,
                arcs,
                weights,
            }))
    }
}
