//! Scenarios and criticality on hand-made networks (answers worked out by hand) and on the
//! embedded network's example scenarios.

mod common;

use std::path::PathBuf;

use serde_json::json;

use steppe::Error;
use steppe::analysis::assign::assign;
use steppe::analysis::critical::{Element, Kinds, criticality};
use steppe::analysis::demand::{Demand, network_demand, parse_demand};
use steppe::analysis::scenario::{
    Scenario, ScenarioRun, apply, compile_applied, read_scenario, run_scenario,
};
use steppe::cost::profile::{Objective, Profile};
use steppe::graph::{SearchGraph, Weights};
use steppe::network::{Network, load_embedded};

use common::{Net, close};

/// A -100- B -100- C (the bridge B-C carries everything to C), and A -150- D -150- B as a
/// slower second way from A to B. Demand: A->C 1,000 t, A->B 500 t.
fn net() -> Network {
    Net::new()
        .place("a", "AA", 10.0, 0.0)
        .place("b", "AA", 11.0, 0.0)
        .place("c", "AA", 12.0, 0.0)
        .place("d", "AA", 10.5, 1.0)
        .road("ab", "a", "b", 100.0)
        .road("bc", "b", "c", 100.0)
        .road("ad", "a", "d", 150.0)
        .road("db", "d", "b", 150.0)
        .load()
}

fn demand(n: &Network) -> Demand {
    parse_demand(
        n,
        "origin,destination,commodity,tonnes_per_year\na,c,goods,1000\na,b,goods,500\n",
        "d.csv",
    )
    .unwrap()
}

fn scenario(edits: serde_json::Value) -> Scenario {
    let mut s: Scenario = serde_json::from_value(json!({"name": "test", "edits": edits})).unwrap();
    s.path = PathBuf::from("test.json");
    s
}

fn run(n: &Network, edits: serde_json::Value) -> ScenarioRun {
    let g = SearchGraph::build(n);
    let mut p = Profile::new(n.params.clone());
    p.objective = Objective::Distance;
    let w = Weights::compile(n, &g, &p);
    let d = demand(n);
    let base = assign(n, &g, &w, &d);
    run_scenario(n, &g, &w, &base, &d, &scenario(edits)).unwrap()
}

#[test]
fn a_scenario_that_changes_nothing_gives_a_zero_diff() {
    let n = net();
    let r = run(&n, json!([]));
    assert!(r.changes.is_empty());
    assert_eq!(r.baseline.link_tonnes, r.after.link_tonnes);
    assert!(close(r.baseline.generalized_usd, r.after.generalized_usd));
    // Setting a value to what it already is changes nothing either.
    let r = run(
        &n,
        json!([{"op": "set", "id": "ab", "values": {"length_km": 100.0}}]),
    );
    assert!(r.changes.is_empty());
}

#[test]
fn closing_a_link_no_best_route_uses_changes_nothing() {
    let r = run(&net(), json!([{"op": "close", "id": "ad"}]));
    assert!(r.changes.is_empty());
    assert_eq!(r.baseline.link_tonnes, r.after.link_tonnes);
}

#[test]
fn closing_a_used_link_reroutes_and_a_bridge_cuts_off_demand() {
    let n = net();
    let r = run(&n, json!([{"op": "close", "id": "ab"}]));
    // Both flows take A-D-B: tonne-km = 1000 x 400 + 500 x 300.
    assert!(close(r.after.tonne_km, 1000.0 * 400.0 + 500.0 * 300.0));
    assert_eq!(r.changes.len(), 2);
    let r = run(&n, json!([{"op": "close", "id": "bc"}]));
    assert!(close(r.after.unserved_tonnes, 1000.0));
    assert!(r.changes[0].delta_generalized_usd.is_infinite());
}

#[test]
fn set_open_include_add_param_and_demand_edits_work() {
    let n = net();
    // Faster A-D, D-B: by distance nothing changes; tonne-hours would, so check hours.
    let r = run(
        &n,
        json!([{"op": "set", "id": "ab", "values": {"speed_kmh": 25.0}}]),
    );
    assert!(r.after.tonne_hours > r.baseline.tonne_hours);
    // A new direct A-C link of 150 km, added inline.
    let r = run(
        &n,
        json!([{"op": "add", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[10.0, 0.0], [12.0, 0.0]]},
         "properties": {"id": "ac", "from": "a", "to": "c", "mode": "road", "class": "paved", "length_km": 150, "source": "test"}}]}]),
    );
    assert!(close(r.after.tonne_km, 1000.0 * 150.0 + 500.0 * 100.0));
    assert_eq!(r.applied.added_links.len(), 1);
    // Demand scaled.
    let r = run(&n, json!([{"op": "demand", "scale": 2.0}]));
    assert!(close(r.after.served_tonnes, 3000.0));
    // Parameters: a road tariff change moves money, not distance.
    let r = run(
        &n,
        json!([{"op": "param", "key": "tariff_usd_per_tkm.road", "value": 0.2}]),
    );
    assert!(close(r.after.usd, 2.0 * r.baseline.usd));
    // A proposed link opened, or all proposed links included.
    let mut with_proposed = net();
    let e = with_proposed.link_by_id("ab").unwrap();
    with_proposed.graph[e].status = steppe::network::Status::Proposed;
    let r = run(&with_proposed, json!([{"op": "open", "id": "ab"}]));
    assert!(close(r.after.tonne_km, 1000.0 * 200.0 + 500.0 * 100.0));
    let r = run(
        &with_proposed,
        json!([{"op": "include", "status": "proposed"}]),
    );
    assert!(close(r.after.tonne_km, 1000.0 * 200.0 + 500.0 * 100.0));
}

#[test]
fn crossing_and_terminal_edits_change_their_costs() {
    // A(AA) -100- X(AA/BB) -100- B(BB); crossing hours 3 by default.
    let n = Net::new()
        .place("a", "AA", 10.0, 0.0)
        .crossing("x", "AA", "BB", 10.9, 0.0, &["road"])
        .place("b", "BB", 11.8, 0.0)
        .road("ax", "a", "x", 100.0)
        .road("xb", "x", "b", 100.0)
        .load();
    let g = SearchGraph::build(&n);
    let p = Profile::new(n.params.clone());
    let w = Weights::compile(&n, &g, &p);
    let d = parse_demand(
        &n,
        "origin,destination,commodity,tonnes_per_year\na,b,x,10\n",
        "d.csv",
    )
    .unwrap();
    let base = assign(&n, &g, &w, &d);
    // 10 t = one shipment: 2 h + 3 h + 2 h = 7 h; after the edit 2 + 1 + 2 = 5 h.
    assert!(close(base.tonne_hours, 70.0));
    let s = scenario(json!([{"op": "set", "id": "x", "values": {"road": {"hours": 1.0}}}]));
    let r = run_scenario(&n, &g, &w, &base, &d, &s).unwrap();
    assert!(close(r.after.tonne_hours, 50.0));
    let s = scenario(json!([{"op": "close", "id": "x", "months": [1, 2]}]));
    let r = run_scenario(&n, &g, &w, &base, &d, &s).unwrap();
    assert!(
        close(r.after.unserved_tonnes, 10.0),
        "a crossing closed in winter is not year-round"
    );
}

#[test]
fn unknown_ids_are_all_reported_with_suggestions_and_nothing_runs() {
    let n = net();
    let g = SearchGraph::build(&n);
    let p = Profile::new(n.params.clone());
    let w = Weights::compile(&n, &g, &p);
    let d = demand(&n);
    let base = assign(&n, &g, &w, &d);
    let s = scenario(json!([
        {"op": "close", "id": "abb"},
        {"op": "set", "id": "bcc", "values": {"speed_kmh": 10}},
        {"op": "set", "id": "ab", "values": {"colour": "red"}},
        {"op": "param", "key": "tarif.road", "value": 1},
        {"op": "close", "id": "ab", "months": [13]}
    ]));
    match run_scenario(&n, &g, &w, &base, &d, &s) {
        Err(e @ Error::Input { .. }) => {
            let t = e.to_string();
            assert!(t.contains("5 problem(s); nothing was run"), "{t}");
            assert!(t.contains("\"abb\"; did you mean \"ab\""), "{t}");
            assert!(t.contains("\"bcc\"; did you mean \"bc\""), "{t}");
            assert!(t.contains("no settable attribute `colour`"), "{t}");
            assert!(t.contains("unknown parameter `tarif`"), "{t}");
            assert!(
                t.contains("months must be a non-empty list of 1 to 12"),
                "{t}"
            );
        }
        other => panic!("expected an error, got {:?}", other.map(|_| ())),
    }
    // Unknown edit kinds and fields are refused when the file is read.
    let e = serde_json::from_value::<Scenario>(
        json!({"name": "x", "edits": [{"op": "demolish", "id": "ab"}]}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown variant `demolish`"), "{e}");
}

#[test]
fn incremental_weights_equal_a_full_recompile() {
    let n = load_embedded().unwrap();
    let g = SearchGraph::build(&n);
    let p = Profile::new(n.params.clone());
    let w = Weights::compile(&n, &g, &p);
    for file in [
        "winter-altai-closure.json",
        "western-roads-paved.json",
        "faster-borders.json",
        "bakhty-railway-opened.json",
    ] {
        let s = read_scenario(&PathBuf::from("networks/mn-kz/scenarios").join(file)).unwrap();
        let applied = apply(&n, &p, &s).unwrap();
        assert!(
            !applied.topology_changed && !applied.profile_changed,
            "{file}"
        );
        let (none, incremental) = compile_applied(&applied, &g, &w);
        assert!(none.is_none());
        let full = Weights::compile(&applied.network, &g, &applied.profile);
        assert_eq!(incremental.weight, full.weight, "{file}");
        assert_eq!(incremental.cost, full.cost, "{file}");
    }
}

#[test]
fn every_example_scenario_runs_and_the_russia_closure_moves_freight_to_china() {
    let n = load_embedded().unwrap();
    let g = SearchGraph::build(&n);
    let p = Profile::new(n.params.clone());
    let w = Weights::compile(&n, &g, &p);
    let d = network_demand(&n).unwrap();
    let base = assign(&n, &g, &w, &d);
    let dir = PathBuf::from("networks/mn-kz/scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let s = read_scenario(&path).unwrap();
        let r = run_scenario(&n, &g, &w, &base, &d, &s)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(close(
            r.after.served_tonnes + r.after.unserved_tonnes,
            d.total_tonnes()
        ));
        count += 1;
        if path.ends_with("russia-transit-closed.json") {
            let ru = steppe::network::model::Country::parse("RU").unwrap();
            assert_eq!(
                r.after.tonnes_by_transit.get(&ru).copied().unwrap_or(0.0),
                0.0
            );
            assert!(r.after.generalized_usd > r.baseline.generalized_usd);
        }
        if path.ends_with("altai-corridor-road.json") {
            assert!(r.after.tonne_km < r.baseline.tonne_km);
        }
    }
    assert!(count >= 5);
}

#[test]
fn criticality_of_a_bridge_equals_the_demand_it_cuts_off() {
    let n = net();
    let g = SearchGraph::build(&n);
    let mut p = Profile::new(n.params.clone());
    p.objective = Objective::Distance;
    let w = Weights::compile(&n, &g, &p);
    let d = demand(&n);
    let (impacts, _) = criticality(&n, &g, &w, &d, Kinds::ALL);
    let bc = n.link_by_id("bc").unwrap();
    let first = &impacts[0];
    assert_eq!(first.element, Element::Link(bc));
    assert!(close(first.unserved_tonnes, 1000.0));
    // A-B has a detour: 1,500 t rerouted, nothing cut off.
    let ab = impacts
        .iter()
        .find(|i| i.element == Element::Link(n.link_by_id("ab").unwrap()))
        .unwrap();
    assert!(close(ab.unserved_tonnes, 0.0));
    assert!(ab.extra_generalized_usd > 0.0);
    assert_eq!(ab.flows_affected, 2);
    // A-D is used by nobody: not listed.
    assert!(
        !impacts
            .iter()
            .any(|i| i.element == Element::Link(n.link_by_id("ad").unwrap()))
    );
}

#[test]
fn criticality_ranks_the_naushki_fuel_crossing_among_the_top_three_on_the_embedded_network() {
    let n = load_embedded().unwrap();
    let g = SearchGraph::build(&n);
    let w = Weights::compile(&n, &g, &Profile::new(n.params.clone()));
    let d = network_demand(&n).unwrap();
    let (impacts, _) = criticality(
        &n,
        &g,
        &w,
        &d,
        Kinds {
            links: false,
            crossings: true,
            terminals: false,
        },
    );
    // Mongolia's fuel and most of its rail imports from Russia come through Sukhbaatar-Naushki.
    let top3: Vec<String> = impacts
        .iter()
        .take(3)
        .map(|i| match i.element {
            Element::Crossing(c) => n.place(c).id.0.clone(),
            _ => panic!("not a crossing"),
        })
        .collect();
    assert!(
        top3.contains(&"bcp_sukhbaatar_naushki".to_string()),
        "{top3:?}"
    );
}

#[test]
fn terminal_transfers_and_demand_files_are_editable() {
    // A -road 10- T =rail 1000= U -road 10- B with transfers at T and U (2 h, 10 USD each).
    let n = Net::new()
        .place("a", "AA", 10.0, 0.0)
        .place("t", "AA", 10.05, 0.05)
        .with(json!({"transfers": [{"between": ["road", "rail_1520"]}]}))
        .place("u", "AA", 18.95, 0.05)
        .with(json!({"transfers": [{"between": ["road", "rail_1520"]}]}))
        .place("b", "AA", 19.0, 0.0)
        .road("ab", "a", "b", 1000.0)
        .road("at", "a", "t", 10.0)
        .rail("tu", "t", "u", 1000.0, 1520)
        .road("ub", "u", "b", 10.0)
        .load();
    let g = SearchGraph::build(&n);
    let mut p = Profile::new(n.params.clone());
    p.objective = Objective::Cost;
    let w = Weights::compile(&n, &g, &p);
    let d = parse_demand(
        &n,
        "origin,destination,commodity,tonnes_per_year\na,b,x,10\n",
        "d.csv",
    )
    .unwrap();
    let base = assign(&n, &g, &w, &d);
    // One 10 t shipment by rail: 10 + 10 + 500 + 10 + 10 = 540 USD.
    assert!(close(base.usd, 540.0));
    // A dearer transfer at T (100 USD/t = 1,000 USD) makes road (1,000 USD) cheaper.
    let s = scenario(
        json!([{"op": "set", "id": "t", "values": {"transfer": {"between": ["road", "rail_1520"], "cost_usd_per_tonne": 100.0}}}]),
    );
    let r = run_scenario(&n, &g, &w, &base, &d, &s).unwrap();
    assert!(close(r.after.usd, 1000.0), "{}", r.after.usd);
    // A transfer between layers the place does not have is refused.
    let s = scenario(
        json!([{"op": "set", "id": "a", "values": {"transfer": {"between": ["road", "rail_1520"]}}}]),
    );
    assert!(
        run_scenario(&n, &g, &w, &base, &d, &s)
            .unwrap_err()
            .to_string()
            .contains("has no road and rail_1520 links")
    );
    // The demand replaced by a file next to the scenario.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("more.csv"),
        "origin,destination,commodity,tonnes_per_year\na,b,x,30\n",
    )
    .unwrap();
    let mut s = scenario(json!([{"op": "demand", "file": "more.csv"}]));
    s.path = dir.path().join("s.json");
    let r = run_scenario(&n, &g, &w, &base, &d, &s).unwrap();
    assert!(close(r.after.served_tonnes, 30.0));
    assert!(close(r.after.usd, 3.0 * 540.0));
}

#[test]
fn a_removed_element_stays_closed_for_every_commodity() {
    // The request's own commodity cannot use rail (its arcs are closed already); removing the
    // Naushki rail crossing must still close it for the commodities that can.
    let n = load_embedded().unwrap();
    let g = SearchGraph::build(&n);
    let params = n
        .params
        .with_overrides(&["commodities.general.modes=[\"road\"]".into()])
        .unwrap();
    let w = Weights::compile(&n, &g, &Profile::new(params));
    let d = network_demand(&n).unwrap();
    let (impacts, _) = criticality(
        &n,
        &g,
        &w,
        &d,
        Kinds {
            links: false,
            crossings: true,
            terminals: false,
        },
    );
    let naushki = n.place_by_id("bcp_sukhbaatar_naushki").unwrap();
    let imp = impacts
        .iter()
        .find(|i| i.element == Element::Crossing(naushki))
        .expect("Naushki carries rail freight");
    assert!(
        imp.extra_generalized_usd > 1e6,
        "{}",
        imp.extra_generalized_usd
    );
}
