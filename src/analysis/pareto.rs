//! Every route not beaten on both time and money: exact bi-criteria label setting on the
//! compiled graph, each route then explained like any other.

use petgraph::stable_graph::NodeIndex;

use crate::analysis::route::{NoRoute, Planner, Route};
use crate::error::{Error, Result};
use crate::search::pareto::ParetoSpace;

/// Labels allowed before the search gives up (memory guard; the embedded network needs a
/// few thousand).
pub const MAX_LABELS: usize = 20_000_000;

/// The Pareto-optimal routes from `from` to `to`, fastest first; or why there is none.
pub fn pareto_routes(
    planner: &mut Planner<'_>,
    from: NodeIndex,
    to: NodeIndex,
) -> Result<std::result::Result<Vec<Route>, NoRoute>> {
    planner.check_request(from, to, &[])?;
    planner.set_od(from, to);
    let co = planner.network.place(from).country;
    let cd = planner.network.place(to).country;
    let mask = planner.mask(co, cd).clone();
    let graph = planner.graph;
    let sources: Vec<u32> = graph.source_of(from).map(|n| n.0).into_iter().collect();
    let targets: Vec<u32> = graph.sink_of(to).map(|n| n.0).into_iter().collect();
    let mut space = ParetoSpace::new(MAX_LABELS);
    let paths = space
        .search(
            &graph.csr,
            &planner.weights.time_s,
            &planner.weights.money,
            &mask,
            &sources,
            &targets,
        )
        .map_err(|e| Error::Request(format!("the Pareto search stopped after {} labels; narrow the request (--modes, --avoid-country)", e.0)))?;
    if paths.is_empty() {
        return Ok(Err(crate::analysis::diagnose::why_no_route(
            planner.network,
            graph,
            planner.profile(),
            from,
            to,
            &[],
        )));
    }
    let mut routes: Vec<Route> = paths
        .iter()
        .map(|p| {
            let arcs: Vec<_> = p
                .arcs
                .iter()
                .map(|a| crate::graph::csr::ArcIx(*a))
                .collect();
            planner.explain(from, to, &[], &arcs)
        })
        .collect();
    // The search prices driver rest spread evenly over driving; reports schedule whole rest
    // stops. Keep the routes no other found route beats on the reported hours and USD.
    let beaten = |r: &Route| {
        routes.iter().any(|o| {
            o.totals.hours <= r.totals.hours
                && o.totals.usd <= r.totals.usd
                && (o.totals.hours < r.totals.hours || o.totals.usd < r.totals.usd)
        })
    };
    let keep: Vec<bool> = routes.iter().map(|r| !beaten(r)).collect();
    let mut k = keep.into_iter();
    routes.retain(|_| k.next().unwrap_or(true));
    routes.sort_by(|a, b| {
        a.totals
            .hours
            .total_cmp(&b.totals.hours)
            .then(b.totals.usd.total_cmp(&a.totals.usd))
    });
    Ok(Ok(routes))
}
