//! Explaining a missing route: which constraint cut the way, found by relaxing each one in
//! turn and searching again.

use std::collections::BTreeSet;

use petgraph::stable_graph::NodeIndex;

use crate::analysis::route::{NoRoute, Planner};
use crate::cost::profile::{ModeSet, Profile, When};
use crate::graph::search_graph::SearchGraph;
use crate::network::model::{Country, Network};

/// Why no route exists from `from` to `to` (through `via`) under `profile`.
pub fn why_no_route(
    network: &Network,
    graph: &SearchGraph,
    profile: &Profile,
    from: NodeIndex,
    to: NodeIndex,
    via: &[NodeIndex],
) -> NoRoute {
    let pf = network.place(from);
    let pt = network.place(to);
    let mut hints = Vec::new();
    let reachable = |p: &Profile| -> bool {
        let mut planner = Planner::new(network, graph, p);
        matches!(planner.best_arcs(from, to, via, None), Ok(Some(_)))
    };

    let mut constraints = Vec::new();
    if profile.modes != ModeSet::ALL {
        constraints.push(format!("by {}", profile.modes.describe()));
        let mut p = profile.clone();
        p.modes = ModeSet::ALL;
        if reachable(&p) {
            hints.push(format!(
                "there is a route if both road and rail may be used (drop --modes {})",
                if profile.modes.road { "road" } else { "rail" }
            ));
        }
    }
    for c in &profile.avoid_countries {
        let mut p = profile.clone();
        p.avoid_countries.retain(|x| x != c);
        if reachable(&p) {
            hints.push(format!(
                "there is a route through {c} (drop --avoid-country {c})"
            ));
        }
    }
    if !profile.avoid_countries.is_empty() {
        let list: Vec<String> = profile
            .avoid_countries
            .iter()
            .map(|c| c.to_string())
            .collect();
        constraints.push(format!("that avoids {}", list.join(" and ")));
    }
    if !profile.avoid_places.is_empty() {
        let mut p = profile.clone();
        p.avoid_places.clear();
        constraints.push("that avoids the given places".into());
        if reachable(&p) {
            hints.push("there is a route through the places given to --avoid".into());
        }
    }
    if profile.when != When::AnyMonthOpen {
        let mut p = profile.clone();
        p.when = When::AnyMonthOpen;
        if reachable(&p) {
            hints.push(match profile.when {
                When::Month(m) => format!("there is a route in other months: something on the way is closed in month {m}"),
                _ => "there is a route through seasonal crossings: give --month N for a month when they are open".into(),
            });
        }
    }
    if !profile.include_proposed || !profile.include_under_construction {
        let mut p = profile.clone();
        p.include_proposed = true;
        p.include_under_construction = true;
        if reachable(&p) {
            hints.push("there is a route using links under construction or proposed (--include-under-construction, --include-proposed)".into());
        }
    }
    let mut p = profile.clone();
    for rules in p.params.transit.values_mut() {
        for r in [&mut rules.road, &mut rules.rail].into_iter().flatten() {
            r.allowed = true;
        }
    }
    if p.params.transit != profile.params.transit && reachable(&p) {
        hints.push(
            "there is a route if transit is allowed where params.json forbids it (see `transit`)"
                .into(),
        );
    }

    // The origin country's neighbours, to say plainly when all of them are avoided.
    let neighbours = neighbour_countries(network, pf.country);
    if !profile.avoid_countries.is_empty()
        && !neighbours.is_empty()
        && neighbours
            .iter()
            .all(|c| profile.avoid_countries.contains(c))
    {
        let list: Vec<String> = neighbours.iter().map(|c| c.to_string()).collect();
        hints.insert(
            0,
            format!(
                "{}'s only border crossings in this network lead to {}",
                pf.country,
                list.join(" and ")
            ),
        );
    }
    let what = if constraints.is_empty() {
        String::new()
    } else {
        format!(" {}", constraints.join(" "))
    };
    let reason = if hints.is_empty() {
        format!(
            "no route from {} to {}{what}: the two places are not connected in this network",
            pf.name, pt.name
        )
    } else {
        format!("no route from {} to {}{what}", pf.name, pt.name)
    };
    NoRoute { reason, hints }
}

/// Countries reachable from `country` through one of its border crossings.
pub fn neighbour_countries(network: &Network, country: Country) -> BTreeSet<Country> {
    network
        .places()
        .filter_map(|(_, p)| p.crossing.as_ref())
        .filter(|c| c.countries.contains(&country))
        .flat_map(|c| c.countries)
        .filter(|c| *c != country)
        .collect()
}
