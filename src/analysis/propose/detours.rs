//! Detours of the routed demand against the straight line.

use geo::{Distance, Haversine};

use crate::analysis::assign::routes_of;
use crate::analysis::demand::Demand;
use crate::analysis::many::MaskSet;
use crate::graph::engine::Searcher;
use crate::graph::weights::Weights;
use crate::network::model::Network;

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
