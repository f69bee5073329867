//! Many places at once: matrices equal single routes, assignment conserves tonnage and does
//! not depend on the thread count, isochrones report exactly the places within budget, and
//! bad demand rows are named with their lines.

mod common;

use geo::Intersects;
use proptest::prelude::*;
use serde_json::json;

use steppe::Error;
use steppe::analysis::assign::assign;
use steppe::analysis::demand::{network_demand, parse_demand};
use steppe::analysis::isochrone::{BudgetKind, isochrone};
use steppe::analysis::matrix::matrix;
use steppe::analysis::route::{Planner, RouteOutcome};
use steppe::cost::profile::{Objective, Profile};
use steppe::graph::{SearchGraph, Weights};
use steppe::network::{Network, load_embedded};

use common::{Net, close};

fn check_matrix_against_routes(
    n: &Network,
    p: &Profile,
    places: &[petgraph::stable_graph::NodeIndex],
) {
    let g = SearchGraph::build(n);
    let w = Weights::compile(n, &g, p);
    let m = matrix(n, &g, &w, places, places);
    let mut planner = Planner::new(n, &g, p);
    for (i, &a) in places.iter().enumerate() {
        for (j, &b) in places.iter().enumerate() {
            if a == b {
                continue;
            }
            let cell = m.get(i, j);
            match planner.route(a, b, &[]).unwrap() {
                RouteOutcome::Found(r) => {
                    let c = cell.unwrap_or_else(|| panic!("matrix lost {i}->{j}"));
                    assert_eq!(c.weight, r.weight, "{i}->{j}");
                    assert!(
                        close(c.km, r.totals.km)
                            && close(c.hours, r.totals.hours)
                            && close(c.usd, r.totals.usd),
                        "{i}->{j}"
                    );
                }
                RouteOutcome::NoRoute(_) => {
                    assert!(cell.is_none(), "{i}->{j} has a cell but no route")
                }
            }
        }
    }
}

#[test]
fn embedded_matrix_equals_single_routes() {
    let n = load_embedded().unwrap();
    let mut places: Vec<_> = n
        .places()
        .filter(|(_, p)| p.kind == steppe::network::PlaceKind::City)
        .map(|(ix, _)| ix)
        .collect();
    places.truncate(40);
    for objective in [Objective::Generalized, Objective::Time] {
        let mut p = Profile::new(n.params.clone());
        p.objective = objective;
        check_matrix_against_routes(&n, &p, &places);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    #[test]
    fn random_network_matrix_equals_single_routes(
        links in prop::collection::vec((0usize..8, 0usize..8, 1u32..500, prop::bool::ANY), 4..24),
        transfers in prop::collection::vec(prop::bool::ANY, 8),
    ) {
        let mut net = Net::new();
        for (i, has_transfer) in transfers.iter().enumerate() {
            net = net.place(&format!("p{i}"), "AA", 10.0 + i as f64 * 0.1, (i % 3) as f64 * 0.1);
            if *has_transfer {
                net = net.with(json!({"transfers": [{"between": ["road", "rail_1520"]}]}));
            }
        }
        for (k, (a, b, km, rail)) in links.iter().enumerate() {
            if a == b { continue; }
            let (x, y) = (format!("p{a}"), format!("p{b}"));
            net = if *rail { net.rail(&format!("l{k}"), &x, &y, f64::from(*km), 1520) } else { net.road(&format!("l{k}"), &x, &y, f64::from(*km)) };
        }
        // Silence validation warnings (transfers naming absent layers) by loading leniently.
        let text = net.geojson();
        let n = steppe::network::load::load_from_text("t", &text, "t.geojson", common::PARAMS, "p.json").unwrap();
        let places: Vec<_> = n.places().map(|(ix, _)| ix).collect();
        check_matrix_against_routes(&n, &Profile::new(n.params.clone()), &places);
    }
}

#[test]
fn assignment_conserves_tonnage_and_ignores_thread_count() {
    let n = load_embedded().unwrap();
    let demand = network_demand(&n).unwrap();
    let g = SearchGraph::build(&n);
    let p = Profile::new(n.params.clone());
    let w = Weights::compile(&n, &g, &p);
    let a = assign(&n, &g, &w, &demand);
    assert!(close(
        a.served_tonnes + a.unserved_tonnes,
        demand.total_tonnes()
    ));
    // Brute force: route each flow on its own and add up the loads.
    let mut expected: std::collections::BTreeMap<_, f64> = Default::default();
    let mut crossings: std::collections::BTreeMap<_, f64> = Default::default();
    for f in &demand.flows {
        // Each flow under its own commodity's costs.
        let mut pc = p.clone();
        pc.set_commodity(&f.commodity).unwrap();
        let mut planner = Planner::new(&n, &g, &pc);
        if let RouteOutcome::Found(r) = planner.route(f.origin, f.destination, &[]).unwrap() {
            for l in r.links() {
                *expected.entry(l).or_default() += f.tonnes_per_year;
            }
            for c in r.crossings() {
                *crossings.entry(c).or_default() += f.tonnes_per_year;
            }
        }
    }
    assert_eq!(a.link_tonnes.len(), expected.len());
    for (l, t) in &expected {
        assert!(close(a.link_tonnes[l], *t), "link {}", n.link(*l).id);
        let both = a.link_tonnes_forward.get(l).copied().unwrap_or(0.0)
            + a.link_tonnes_backward.get(l).copied().unwrap_or(0.0);
        assert!(close(both, *t));
    }
    assert_eq!(a.crossing_tonnes, crossings);
    // Every Mongolia-Kazakhstan flow crosses at least two borders: MN and KZ share none.
    let mn_kz = |f: &steppe::analysis::demand::Flow| {
        let pair = [n.place(f.origin).country, n.place(f.destination).country];
        pair.iter().any(|c| c.as_str() == "MN") && pair.iter().any(|c| c.as_str() == "KZ")
    };
    for (f, r) in demand.flows.iter().zip(&a.routes) {
        if mn_kz(f) {
            assert!(r.as_ref().unwrap().crossings.len() >= 2);
        }
    }
    // Thread count does not change the answer.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| assign(&n, &g, &w, &demand));
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| assign(&n, &g, &w, &demand));
    assert_eq!(one, two);
    assert_eq!(one, a);
}

#[test]
fn isochrone_reports_exactly_the_places_within_budget() {
    let n = load_embedded().unwrap();
    let g = SearchGraph::build(&n);
    let mut p = Profile::new(n.params.clone());
    p.objective = Objective::Time;
    let w = Weights::compile(&n, &g, &p);
    let ub = n.place_by_id("mn_ulaanbaatar").unwrap();
    let budgets = [24.0, 48.0, 72.0];
    let iso = isochrone(&n, &g, &w, ub, BudgetKind::Hours, &budgets, None).unwrap();
    let mut planner = Planner::new(&n, &g, &p);
    for (ix, place) in n.places() {
        let hours = if ix == ub {
            Some(0.0)
        } else {
            match planner.route(ub, ix, &[]).unwrap() {
                // Isochrones count driver rest spread evenly over driving, as the search
                // does (the route's own report schedules whole rest stops instead).
                RouteOutcome::Found(r) => Some(r.weight as f64 / 3600.0),
                RouteOutcome::NoRoute(_) => None,
            }
        };
        let reported = iso.places.iter().find(|r| r.place == ix);
        match (hours, reported) {
            (Some(h), Some(r)) => {
                assert!(
                    (h - r.amount).abs() < 1e-3,
                    "{}: {h} vs {}",
                    place.id,
                    r.amount
                );
                assert!(
                    r.amount <= budgets[r.band] && (r.band == 0 || r.amount > budgets[r.band - 1])
                );
                // Inside its band's polygon and every larger one.
                for band in &iso.bands[r.band..] {
                    assert!(
                        band.polygon.intersects(&place.position),
                        "{} outside the {} h band",
                        place.id,
                        band.budget
                    );
                }
            }
            (Some(h), None) => assert!(h > 72.0, "{} at {h} h not reported", place.id),
            (None, Some(_)) => panic!("{} reported but unreachable", place.id),
            (None, None) => {}
        }
    }
    assert!(iso.places.len() > 30);
    // The engine's sweep (PHAST) gives the same places, amounts and lines.
    let engine = steppe::graph::engine::Engine::build(&n).unwrap();
    let fast = isochrone(&n, &engine, &w, ub, BudgetKind::Hours, &budgets, None).unwrap();
    assert_eq!(fast.places.len(), iso.places.len());
    for (a, b) in fast.places.iter().zip(&iso.places) {
        assert_eq!((a.place, a.band), (b.place, b.band));
        assert!((a.amount - b.amount).abs() < 1e-9);
    }
    for (a, b) in fast.bands.iter().zip(&iso.bands) {
        assert_eq!(a.lines, b.lines);
    }
}

#[test]
fn bad_demand_rows_are_named_with_their_lines() {
    let n = load_embedded().unwrap();
    let text = "origin,destination,commodity,tonnes_per_year\n\
                Ulaanbaatar,Almaty,perishables,100\n\
                Olgi,Almaty,perishables,10\n\
                Ulaanbaatar,Almaty,general,-5\n\
                Ulaanbaatar,Almaty,general,lots\n\
                Khovd,Oskemen,frozen meat (refrigerated),20\n";
    match parse_demand(&n, text, "d.csv") {
        Err(e @ Error::Input { .. }) => {
            let s = e.to_string();
            assert!(s.contains("3 bad row(s)"), "{s}");
            assert!(
                s.contains("line 3: origin: unknown place \"Olgi\"; did you mean Ölgii"),
                "{s}"
            );
            assert!(
                s.contains(
                    "line 4: tonnes_per_year must be a number >= 0 and at most 1e10, got -5"
                ),
                "{s}"
            );
            assert!(
                s.contains("line 5: tonnes_per_year must be a number, got \"lots\""),
                "{s}"
            );
        }
        other => panic!("expected an error, got {other:?}"),
    }
    let e = parse_demand(
        &n,
        "origin,destination,tonnes\nUlaanbaatar,Almaty,5\n",
        "d.csv",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("line 1: missing column(s) tonnes_per_year"),
        "{e}"
    );
    // Unknown commodities are named with the classes there are; a file without the column
    // takes the network's default commodity.
    let e = parse_demand(
        &n,
        "origin,destination,commodity,tonnes_per_year\nUlaanbaatar,Almaty,meat,5\n",
        "d.csv",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("line 2: commodity: unknown commodity \"meat\"; known: containers"),
        "{e}"
    );
    let d = parse_demand(
        &n,
        "origin,destination,tonnes_per_year\nUlaanbaatar,Almaty,5\n",
        "d.csv",
    )
    .unwrap();
    assert_eq!(d.flows[0].commodity, "general");
    let d = parse_demand(
        &n,
        "origin,destination,commodity,tonnes_per_year,note\nmn_olgii,kz_oskemen,perishables,12.5,x\n",
        "d.csv",
    )
    .unwrap();
    assert_eq!(d.flows.len(), 1);
    assert_eq!(d.flows[0].line, 2);
}

#[test]
fn embedded_demand_matches_the_published_2023_trade() {
    // Mongolia-Kazakhstan rows are derived from the 2023 trade: USD 124.3 M of Kazakh exports
    // and USD 8.7 M of imports [r73]; transit rows are other countries' flows.
    let text = std::fs::read_to_string("networks/mn-kz/demand.csv").unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut usd = 0.0;
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec[5] == *"mn_kz" || rec[5] == *"kz_mn" {
            usd += rec[3].parse::<f64>().unwrap() * rec[4].parse::<f64>().unwrap();
        }
    }
    assert!((120e6..=146e6).contains(&usd), "{usd}");
}
