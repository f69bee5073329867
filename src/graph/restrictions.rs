//! Rules that depend on where the goods come from and go to: bilateral crossings (closed to
//! third-country goods) and transit permissions by country and mode (`params.json`,
//! `transit`). They become a mask of nodes a search may not enter.

use crate::cost::profile::Profile;
use crate::graph::csr::NodeIx;
use crate::graph::search_graph::SearchGraph;
use crate::network::model::{Country, Network, Regime};
use crate::search::mask::NodeMask;

/// The nodes goods from `origin` to `destination` may not enter.
pub fn od_mask(
    network: &Network,
    graph: &SearchGraph,
    profile: &Profile,
    origin: Country,
    destination: Country,
) -> NodeMask {
    let mut mask = NodeMask::open(graph.node_count());
    for (i, info) in graph.nodes.iter().enumerate() {
        let place = network.place(info.place);
        let blocked = match &place.crossing {
            Some(c) => {
                c.regime == Regime::Bilateral
                    && !(c.countries.contains(&origin) && c.countries.contains(&destination))
            }
            None => {
                let x = place.country;
                x != origin
                    && x != destination
                    && profile
                        .params
                        .transit_rule(x.as_str(), info.layer.mode())
                        .is_some_and(|r| !r.allowed)
            }
        };
        if blocked {
            mask.block(NodeIx(i as u32));
        }
    }
    mask
}

/// Transit permissions a route relies on that `params.json` marks as unconfirmed, as
/// "CN by road: <note>" lines. `countries_by_mode` lists each (country, mode) the route
/// passes through as transit.
pub fn unconfirmed_transit(
    profile: &Profile,
    transit: &[(Country, crate::network::model::Mode)],
) -> Vec<String> {
    let mut out = Vec::new();
    for (c, m) in transit {
        if let Some(rule) = profile.params.transit_rule(c.as_str(), *m)
            && rule.allowed
            && !rule.confirmed
        {
            let line = format!(
                "transit through {c} by {m} is assumed, not confirmed: {}",
                rule.note
            );
            if !out.contains(&line) {
                out.push(line);
            }
        }
    }
    out
}
