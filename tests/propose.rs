//! Proposals: the best new link on a hand-made network is the one worked out by hand; the
//! fast evaluation equals brute-force re-routing for every candidate on random networks; a
//! candidate never raises any O-D cost; the greedy programme respects its budget.

mod common;

use geo::{Distance, Haversine};
use proptest::prelude::*;

use steppe::analysis::assign::routes_of;
use steppe::analysis::demand::parse_demand;
use steppe::analysis::many::MaskSet;
use steppe::analysis::propose::{
    Budget, ProposeOptions, detours, evaluate_all, evaluate_by_rerouting, generate,
    greedy_programme, network_projects,
};
use steppe::cost::profile::Profile;
use steppe::graph::{SearchGraph, Weights};
use steppe::network::Network;
use steppe::network::load_embedded;

use common::Net;

/// A and B are 1 degree of latitude apart (~111 km) but joined only through M: 300 + 300 km.
/// Demand A->B 1,000 t/yr (100 shipments of 10 t).
fn detour_net() -> Network {
    Net::new()
        .place("a", "AA", 10.0, 0.0)
        .place("b", "AA", 10.0, 1.0)
        .place("m", "AA", 12.0, 0.5)
        .road("am", "a", "m", 300.0)
        .road("mb", "m", "b", 300.0)
        .load()
}

#[test]
fn the_best_new_link_is_the_one_worked_out_by_hand() {
    let n = detour_net();
    let d = parse_demand(
        &n,
        "origin,destination,commodity,tonnes_per_year\na,b,x,1000\n",
        "d.csv",
    )
    .unwrap();
    let p = Profile::new(n.params.clone());
    let g = SearchGraph::build(&n);
    let options = ProposeOptions::default();
    let candidates = generate(&n, &g, &p, &options).unwrap();
    let ab = candidates
        .iter()
        .position(|c| c.id == "new_road_a_b")
        .expect("a-b generated");
    let evals = evaluate_all(
        &n,
        &p,
        &d,
        &candidates,
        &(0..candidates.len()).collect::<Vec<_>>(),
        &options,
    )
    .unwrap();
    assert_eq!(evals[0].candidate, ab);
    // Road per shipment: 1 USD/km and 1/50 h per km at 10 USD/h: 1.2 USD per km.
    let chord = Haversine.distance(
        n.place(n.place_by_id("a").unwrap()).position,
        n.place(n.place_by_id("b").unwrap()).position,
    ) / 1000.0;
    let length = (chord * 1.2 * 10.0).round() / 10.0;
    assert!((candidates[ab].length_km - length).abs() < 1e-9);
    let expected = 100.0 * 1.2 * (600.0 - length);
    assert!(
        (evals[0].benefit_usd_per_year - expected).abs() < 100.0 * 0.02,
        "{} vs {expected}",
        evals[0].benefit_usd_per_year
    );
    assert!((candidates[ab].construction_usd - length * 1000.0).abs() < 1e-6);
    // The detour list puts a->b first with ratio 600 / 111.
    let w = Weights::compile(&n, &g, &p);
    let dt = detours(&n, &g, &w, &d);
    assert!((dt[0].ratio - 600.0 / chord).abs() < 1e-6);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(25))]
    #[test]
    fn fast_evaluation_equals_rerouting_and_never_raises_a_cost(
        links in prop::collection::vec((0usize..7, 0usize..7, 50u32..400), 5..14),
        flows in prop::collection::vec((0usize..7, 0usize..7, 1u32..50), 1..6),
        cross in 0usize..7,
    ) {
        // Seven places in two countries, joined by a crossing X between place `cross` and
        // place 6 (country BB).
        let mut net = Net::new();
        for i in 0..7 {
            let c = if i == 6 { "BB" } else { "AA" };
            net = net.place(&format!("p{i}"), c, 10.0 + (i % 4) as f64 * 0.8, (i / 4) as f64 * 0.9);
        }
        net = net.crossing("x", "AA", "BB", 13.2, 1.5, &["road"]);
        for (k, (a, b, km)) in links.iter().enumerate() {
            if a == b || *a == 6 || *b == 6 { continue; }
            net = net.road(&format!("l{k}"), &format!("p{a}"), &format!("p{b}"), f64::from(*km));
        }
        net = net.road("to_x", &format!("p{}", cross.min(5)), "x", 50.0).road("from_x", "x", "p6", 50.0);
        let n = steppe::network::load::load_from_text("t", &net.geojson(), "t.geojson", common::PARAMS, "p.json").unwrap();
        let mut csv = String::from("origin,destination,commodity,tonnes_per_year\n");
        for (a, b, t) in &flows {
            if a != b { csv.push_str(&format!("p{a},p{b},x,{t}\n")); }
        }
        prop_assume!(csv.lines().count() > 1);
        let d = parse_demand(&n, &csv, "d.csv").unwrap();
        let p = Profile::new(n.params.clone());
        let g = SearchGraph::build(&n);
        let w = Weights::compile(&n, &g, &p);
        let masks = MaskSet::new(&n, &g, &w);
        let before = routes_of(&n, &g, &w, &[], &masks, &d);
        let options = ProposeOptions { max_km: 1000.0, min_detour: 1.0, ..ProposeOptions::default() };
        let candidates = generate(&n, &g, &p, &options).unwrap();
        let all: Vec<usize> = (0..candidates.len()).collect();
        let fast = evaluate_all(&n, &p, &d, &candidates, &all, &options).unwrap();
        for e in &fast {
            let (full, after) = evaluate_by_rerouting(&n, &p, &d, &before, &candidates, e.candidate, &options).unwrap();
            prop_assert!((full.benefit_usd_per_year - e.benefit_usd_per_year).abs() < 1e-6,
                "{}: fast {} full {}", candidates[e.candidate].id, e.benefit_usd_per_year, full.benefit_usd_per_year);
            prop_assert_eq!(full.newly_served_tonnes, e.newly_served_tonnes);
            for (b, a) in before.iter().zip(&after) {
                if let Some(b) = b {
                    let a = a.as_ref().expect("a new link cannot cut a route");
                    prop_assert!(a.weight <= b.weight);
                }
            }
        }
    }
}

#[test]
fn the_programme_stays_within_its_budget_and_re_evaluates_after_each_pick() {
    let n = load_embedded().unwrap();
    let d = steppe::analysis::demand::network_demand(&n).unwrap();
    let p = Profile::new(n.params.clone());
    let g = SearchGraph::build(&n);
    let options = ProposeOptions::default();
    let mut candidates = network_projects(&n, &options);
    assert!(
        candidates
            .iter()
            .any(|c| c.id.contains("r_ayagoz_bakhty") && c.id.contains("r_bakhty_tacheng")),
        "projects are grouped"
    );
    candidates.extend(generate(&n, &g, &p, &options).unwrap());
    let budget = 1.0e9;
    let picks = greedy_programme(
        &n,
        &p,
        &d,
        &candidates,
        Budget {
            usd: budget,
            min_bcr: 0.0,
        },
        &options,
        |_| {},
    )
    .unwrap();
    assert!(!picks.is_empty());
    let spent: f64 = picks
        .iter()
        .map(|k| candidates[k.evaluation.candidate].construction_usd)
        .sum();
    assert!(spent <= budget);
    assert!((picks.last().unwrap().cumulative_cost_usd - spent).abs() < 1e-3);
    // The first pick is the best B/C among all candidates on the original network.
    let all: Vec<usize> = (0..candidates.len()).collect();
    let evals = evaluate_all(&n, &p, &d, &candidates, &all, &options).unwrap();
    let best = evals
        .iter()
        .filter(|e| candidates[e.candidate].construction_usd <= budget)
        .map(|e| e.benefit_cost_ratio)
        .fold(0.0, f64::max);
    assert!((picks[0].evaluation.benefit_cost_ratio - best).abs() < 1e-9);
    // Later picks were re-evaluated given the earlier ones, so the step benefits add up to
    // the saving of the whole programme built at once.
    let mut built = (n.clone(), p.clone());
    for k in &picks {
        built = steppe::analysis::propose::add_candidate(
            &built.0,
            &built.1,
            &candidates[k.evaluation.candidate],
        )
        .unwrap();
    }
    let w0 = Weights::compile(&n, &g, &p);
    let m0 = MaskSet::new(&n, &g, &w0);
    let r0 = routes_of(&n, &g, &w0, &[], &m0, &d);
    let g1 = SearchGraph::build(&built.0);
    let w1 = Weights::compile(&built.0, &g1, &built.1);
    let m1 = MaskSet::new(&built.0, &g1, &w1);
    let r1 = routes_of(&built.0, &g1, &w1, &[], &m1, &d);
    let saving: f64 = d
        .flows
        .iter()
        .zip(r0.iter().zip(&r1))
        .map(|(f, (a, b))| {
            f.tonnes_per_year / 20.0
                * (a.as_ref().unwrap().weight - b.as_ref().unwrap().weight) as f64
                / 100.0
        })
        .sum();
    let total = picks.last().unwrap().cumulative_benefit_usd_per_year;
    assert!(
        (saving - total).abs() < 1e-3 * total.max(1.0),
        "{saving} vs {total}"
    );
}

#[test]
fn the_altai_corridor_is_among_the_top_proposals_for_mongolia_kazakhstan_trade() {
    let n = load_embedded().unwrap();
    let mut d = steppe::analysis::demand::network_demand(&n).unwrap();
    // Only the Mongolia-Kazakhstan flows (transit flows of other countries would rank links
    // that serve them, e.g. Russian fuel to Mongolia).
    d.flows
        .retain(|f| matches!(f.flow_type.as_deref(), Some("mn_kz") | Some("kz_mn")));
    let p = Profile::new(n.params.clone());
    let g = SearchGraph::build(&n);
    let options = ProposeOptions::default();
    let candidates = generate(&n, &g, &p, &options).unwrap();
    let all: Vec<usize> = (0..candidates.len()).collect();
    let evals = evaluate_all(&n, &p, &d, &candidates, &all, &options).unwrap();
    // The top proposals are new roads across the Russian-Kazakh Altai border (the idea of
    // the proposed Kazakhstan-Russia-Mongolia highway).
    let ru = steppe::network::model::Country::parse("RU").unwrap();
    let kz = steppe::network::model::Country::parse("KZ").unwrap();
    let top: Vec<_> = evals
        .iter()
        .take(5)
        .map(|e| &candidates[e.candidate])
        .collect();
    let altai = top
        .iter()
        .filter(|c| {
            c.new_crossing
                .is_some_and(|x| x.contains(&ru) && x.contains(&kz))
                && c.mountains == Some("Altai")
        })
        .count();
    assert!(
        altai >= 1,
        "{:?}",
        top.iter()
            .map(|c| (&c.id, c.mountains, c.new_crossing))
            .collect::<Vec<_>>()
    );
}

#[test]
fn candidates_distance_tables_and_detours_on_the_engine_equal_dijkstra() {
    use steppe::analysis::demand::network_demand;
    use steppe::analysis::propose::od_distances;
    use steppe::graph::engine::Engine;
    let n = load_embedded().unwrap();
    let engine = Engine::build(&n).unwrap();
    let g = &engine.graph;
    let p = Profile::new(n.params.clone());
    let d = network_demand(&n).unwrap();
    let options = ProposeOptions::default();
    let ids = |c: Vec<steppe::analysis::propose::Candidate>| {
        c.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    let fast = ids(generate(&n, &engine, &p, &options).unwrap());
    let slow = ids(generate(&n, g, &p, &options).unwrap());
    assert!(fast.len() > 10, "{}", fast.len());
    assert_eq!(fast, slow);
    let w = Weights::compile(&n, g, &p);
    let fast = od_distances(&n, &engine, &w, &d).unwrap();
    let slow = od_distances(&n, g, &w, &d).unwrap();
    let differ = |a: &[u64], b: &[u64]| -> Vec<(usize, u64, u64)> {
        a.iter()
            .zip(b)
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .map(|(i, (x, y))| (i, *x, *y))
            .take(5)
            .collect()
    };
    assert_eq!(differ(&fast.fwd, &slow.fwd), vec![], "flows {}", fast.flows);
    assert_eq!(differ(&fast.bwd, &slow.bwd), vec![]);
    assert_eq!(fast.old, slow.old);
    let fast = detours(&n, &engine, &w, &d);
    let slow = detours(&n, g, &w, &d);
    assert_eq!(fast.len(), slow.len());
    for (a, b) in fast.iter().zip(&slow) {
        assert_eq!(a.flow, b.flow);
        assert!((a.route_km - b.route_km).abs() < 1e-6);
    }
}
