//! What-if scenarios: a JSON file of edits (close or open elements, set attributes, add links,
//! switch on projects, change parameters, scale or replace demand), checked against the
//! network all at once, applied to a copy of the model, and evaluated against the baseline.
//! Edits that only close or re-cost existing elements update the compiled weights of the
//! arcs they touch; only added features rebuild the search graph.

use crate::analysis::assign::{Assignment, OdRoute, assign_with};
use crate::analysis::demand::{Demand, read_demand};
use crate::analysis::many::MaskSet;
use crate::error::Result;
use crate::graph::csr::ArcIx;
use crate::graph::engine::{Engine, Searcher};
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::Weights;
use crate::network::model::Network;

pub use crate::inputs::scenario::{Edit, Scenario, read_scenario};
pub use crate::network::edit::{Applied, apply};

/// The compiled graph and weights of an applied scenario, built incrementally where possible.
pub fn compile_applied(
    applied: &Applied,
    base_graph: &SearchGraph,
    base_weights: &Weights,
) -> (Option<SearchGraph>, Weights) {
    if applied.topology_changed {
        let g = SearchGraph::build(&applied.network);
        let w = Weights::compile(&applied.network, &g, &applied.profile);
        return (Some(g), w);
    }
    if applied.profile_changed {
        return (
            None,
            Weights::compile(&applied.network, base_graph, &applied.profile),
        );
    }
    let mut w = base_weights.clone();
    let mut arcs: Vec<ArcIx> = Vec::new();
    for l in &applied.touched_links {
        arcs.extend(base_graph.arcs_of(*l));
    }
    for p in &applied.touched_places {
        arcs.extend(base_graph.arcs_at(*p));
    }
    arcs.sort();
    arcs.dedup();
    w.refresh(&applied.network, base_graph, &arcs);
    (None, w)
}

/// One O-D pair whose route changed.
#[derive(Debug, Clone, PartialEq)]
pub struct OdChange {
    pub flow: usize,
    pub before: Option<OdRoute>,
    pub after: Option<OdRoute>,
    /// Change of generalized cost per year (USD); infinite when the route is lost or found.
    pub delta_generalized_usd: f64,
}

/// A scenario evaluated against the baseline.
#[derive(Debug, Clone)]
pub struct ScenarioRun {
    pub name: String,
    pub description: String,
    pub applied: Applied,
    pub demand: Demand,
    pub baseline: Assignment,
    pub after: Assignment,
    /// Pairs whose route, time or cost changed, largest change first.
    pub changes: Vec<OdChange>,
}

/// Evaluates `scenario` against the baseline (`network`, `graph`, `weights`, `demand`).
pub fn run_scenario<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    baseline: &Assignment,
    demand: &Demand,
    scenario: &Scenario,
) -> Result<ScenarioRun> {
    let search = search.into();
    let applied = apply(network, &weights.profile, scenario)?;
    let (own_graph, w) = compile_applied(&applied, search.graph(), weights);
    let before_demand = demand;
    let mut demand = match &applied.demand_file {
        Some(path) => read_demand(&applied.network, path)?,
        None => demand.clone(),
    };
    if applied.demand_scale != 1.0 {
        demand = demand.scaled(applied.demand_scale);
    }
    // Re-costed or closed elements only re-customize the engine's metrics; added links
    // change the graph, which is compiled (and, on the engine, contracted) again.
    let after = match (own_graph, search) {
        (Some(g), Searcher::Engine(_)) => {
            let engine = Engine::from_graph(&applied.network, g)?;
            let masks = MaskSet::new(&applied.network, &engine.graph, &w);
            assign_with(&applied.network, &engine, &w, &[], &masks, &demand)
        }
        (Some(g), Searcher::Dijkstra(_)) => {
            let masks = MaskSet::new(&applied.network, &g, &w);
            assign_with(&applied.network, &g, &w, &[], &masks, &demand)
        }
        (None, search) => {
            let masks = MaskSet::new(&applied.network, search.graph(), &w);
            assign_with(&applied.network, search, &w, &[], &masks, &demand)
        }
    };
    let same_demand = applied.demand_file.is_none();
    let ship_before = weights.profile.params.cargo.tonnes.max(f64::MIN_POSITIVE);
    let ship_after = w.profile.params.cargo.tonnes.max(f64::MIN_POSITIVE);
    let mut changes = Vec::new();
    if same_demand {
        for (i, (b, a)) in baseline.routes.iter().zip(&after.routes).enumerate() {
            let (t0, t1) = (
                before_demand.flows[i].tonnes_per_year,
                demand.flows[i].tonnes_per_year,
            );
            let changed = match (b, a) {
                (Some(x), Some(y)) => {
                    x.links != y.links
                        || (x.hours - y.hours).abs() > 1e-6
                        || (x.usd - y.usd).abs() > 1e-6
                }
                (None, None) => false,
                _ => true,
            };
            if changed {
                let delta = match (b, a) {
                    (Some(x), Some(y)) => {
                        t1 / ship_after * y.generalized_usd - t0 / ship_before * x.generalized_usd
                    }
                    (Some(_), None) => f64::INFINITY,
                    (None, Some(_)) => f64::NEG_INFINITY,
                    (None, None) => 0.0,
                };
                changes.push(OdChange {
                    flow: i,
                    before: b.clone(),
                    after: a.clone(),
                    delta_generalized_usd: delta,
                });
            }
        }
        changes.sort_by(|x, y| {
            y.delta_generalized_usd
                .abs()
                .total_cmp(&x.delta_generalized_usd.abs())
                .then(x.flow.cmp(&y.flow))
        });
    }
    Ok(ScenarioRun {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        applied,
        demand,
        baseline: baseline.clone(),
        after,
        changes,
    })
}
