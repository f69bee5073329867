//! Structure-aware fuzzing: valid inputs mutated the way careless users and hostile files do
//! (keys deleted, types changed, extreme and non-finite numbers, features duplicated and
//! dropped, text truncated). Every run either answers with finite totals or fails with an
//! error; it never panics.

use proptest::prelude::*;
use serde_json::{Value, json};

use steppe::analysis::assign::assign;
use steppe::analysis::demand::parse_demand;
use steppe::analysis::route::{Planner, RouteOutcome};
use steppe::cost::profile::Profile;
use steppe::graph::{SearchGraph, Weights};
use steppe::network::load::load_from_text;

const GEOJSON: &str = include_str!("../networks/mn-kz/network.geojson");
const PARAMS: &str = include_str!("../networks/mn-kz/params.json");
const DEMAND: &str = include_str!("../networks/mn-kz/demand.csv");
const SCENARIOS: [&str; 3] = [
    include_str!("../networks/mn-kz/scenarios/faster-borders.json"),
    include_str!("../networks/mn-kz/scenarios/altai-corridor-road.json"),
    include_str!("../networks/mn-kz/scenarios/winter-altai-closure.json"),
];
const CANDIDATES: &str = r#"{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[91.64, 48.01], [89.96, 48.97]]},
  "properties": {"id": "c1", "from": "mn_khovd", "to": "mn_olgii", "mode": "road", "class": "paved", "construction_cost_usd": 100000000, "source": "t"}},
 {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[106.88, 47.91], [105.92, 49.49]]},
  "properties": {"id": "c2", "from": "mn_ulaanbaatar", "to": "mn_darkhan", "mode": "rail", "gauge_mm": 1520, "construction_cost_usd": 500000000, "source": "t"}}]}"#;

/// A replacement value: extreme, non-finite (as JSON allows: huge), wrong type, or empty.
fn nasty() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1e-320)),
        Just(json!(4294967296.0)),
        Just(json!("text")),
        Just(json!(null)),
        Just(json!([])),
        Just(json!({})),
        Just(json!(true)),
        Just(json!("\u{1b}[31mred")),
    ]
}

/// Sets or deletes a key somewhere inside `v` (the `pick`-th object met, depth first).
fn mutate(v: &mut Value, pick: &mut usize, delete: bool, new: &Value) -> bool {
    match v {
        Value::Object(map) => {
            if *pick == 0 && !map.is_empty() {
                let key = map.keys().nth(map.len() / 2).cloned().unwrap_or_default();
                if delete {
                    map.remove(&key);
                } else {
                    map.insert(key, new.clone());
                }
                return true;
            }
            *pick = pick.saturating_sub(1);
            map.values_mut().any(|x| mutate(x, pick, delete, new))
        }
        Value::Array(items) => items.iter_mut().any(|x| mutate(x, pick, delete, new)),
        _ => false,
    }
}

/// Runs what a user would: load, a route, an assignment. Panics only if an answer is not
/// finite (a silently wrong answer).
fn exercise(geojson: &str, params: &str, demand: &str) {
    let Ok(n) = load_from_text("fuzz", geojson, "fuzz.geojson", params, "fuzz.json") else {
        return;
    };
    let g = SearchGraph::build(&n);
    let p = Profile::new(n.params.clone());
    let places: Vec<_> = n.places().map(|(ix, _)| ix).collect();
    if places.len() >= 2 {
        let mut planner = Planner::new(&n, &g, &p);
        if let Ok(RouteOutcome::Found(r)) = planner.route(places[0], places[places.len() - 1], &[])
        {
            assert!(r.totals.km.is_finite() && r.totals.hours.is_finite());
            assert!(r.totals.usd.is_finite() && r.totals.generalized_usd.is_finite());
        }
    }
    if let Ok(d) = parse_demand(&n, demand, "fuzz.csv") {
        let w = Weights::compile(&n, &g, &p);
        let a = assign(&n, &g, &w, &d);
        assert!(a.tonne_km.is_finite() && a.usd.is_finite() && a.generalized_usd.is_finite());
    }
}

/// Runs a scenario file's text against the embedded network: it runs with finite totals or
/// fails with an error.
fn exercise_scenario(text: &str) {
    use steppe::analysis::scenario::{Scenario, run_scenario};
    let Ok(mut scenario) = serde_json::from_str::<Scenario>(text) else {
        return;
    };
    scenario.path = std::path::PathBuf::from("networks/mn-kz/scenarios/fuzz.json");
    let n = steppe::network::load_embedded().unwrap();
    let g = SearchGraph::build(&n);
    let w = Weights::compile(&n, &g, &Profile::new(n.params.clone()));
    let d = steppe::analysis::demand::network_demand(&n).unwrap();
    let base = assign(&n, &g, &w, &d);
    if let Ok(run) = run_scenario(&n, &g, &w, &base, &d, &scenario) {
        let a = &run.after;
        assert!(a.tonne_km.is_finite() && a.usd.is_finite() && a.generalized_usd.is_finite());
    }
}

/// Evaluates a candidates file's text: candidates with finite benefits, or an error.
fn exercise_candidates(text: &str) {
    use steppe::analysis::propose::{ProposeOptions, evaluate_all, file_candidates};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.geojson");
    std::fs::write(&path, text).unwrap();
    let n = steppe::network::load_embedded().unwrap();
    let Ok(candidates) = file_candidates(&n, &path) else {
        return;
    };
    let d = steppe::analysis::demand::network_demand(&n).unwrap();
    let p = Profile::new(n.params.clone());
    let all: Vec<usize> = (0..candidates.len()).collect();
    if let Ok(evals) = evaluate_all(&n, &p, &d, &candidates, &all, &ProposeOptions::default()) {
        for e in evals {
            assert!(
                e.benefit_usd_per_year.is_finite(),
                "{}",
                e.benefit_usd_per_year
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_run_or_fail_cleanly(
        which in 0usize..3, pick in 0usize..30, delete in any::<bool>(), new in nasty(),
    ) {
        let mut v: Value = serde_json::from_str(SCENARIOS[which]).unwrap();
        let mut p = pick;
        mutate(&mut v, &mut p, delete, &new);
        exercise_scenario(&v.to_string());
    }

    #[test]
    fn mutated_candidate_files_evaluate_or_fail_cleanly(
        pick in 0usize..12, delete in any::<bool>(), new in nasty(), cut in 0usize..2000,
        truncate in any::<bool>(),
    ) {
        let mut v: Value = serde_json::from_str(CANDIDATES).unwrap();
        let mut p = pick;
        mutate(&mut v, &mut p, delete, &new);
        let mut text = v.to_string();
        if truncate {
            let mut at = cut % text.len().max(1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        exercise_candidates(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn mutated_networks_answer_or_fail_cleanly(
        feature in 0usize..470, pick in 0usize..6, delete in any::<bool>(), new in nasty(),
        duplicate in any::<bool>(),
    ) {
        let mut v: Value = serde_json::from_str(GEOJSON).unwrap();
        let features = v["features"].as_array_mut().unwrap();
        let i = feature % features.len();
        let mut p = pick;
        mutate(&mut features[i], &mut p, delete, &new);
        if duplicate {
            let copy = features[i].clone();
            features.push(copy);
        }
        exercise(&v.to_string(), PARAMS, DEMAND);
    }

    #[test]
    fn mutated_params_answer_or_fail_cleanly(
        pick in 0usize..60, delete in any::<bool>(), new in nasty(),
    ) {
        let mut v: Value = serde_json::from_str(PARAMS).unwrap();
        let mut p = pick;
        mutate(&mut v, &mut p, delete, &new);
        exercise(GEOJSON, &v.to_string(), DEMAND);
    }

    #[test]
    fn truncated_and_mangled_files_fail_cleanly(cut in 0usize..100_000, which in 0usize..3) {
        let (mut g, mut p, mut d) = (GEOJSON.to_string(), PARAMS.to_string(), DEMAND.to_string());
        let target = match which { 0 => &mut g, 1 => &mut p, _ => &mut d };
        let mut at = cut % target.len().max(1);
        while !target.is_char_boundary(at) {
            at -= 1;
        }
        target.truncate(at);
        exercise(&g, &p, &d);
    }

    #[test]
    fn mutated_demand_rows_answer_or_fail_cleanly(
        row in 1usize..50, field in 0usize..7,
        value in prop_oneof![
            Just("1e308".to_string()), Just("-5".to_string()), Just("NaN".to_string()),
            Just("inf".to_string()), Just(String::new()), Just("mn_nowhere".to_string()),
            Just("\"quoted, comma\"".to_string()), Just("coal".to_string()),
        ],
    ) {
        let mut lines: Vec<String> = DEMAND.lines().map(str::to_string).collect();
        let r = row % lines.len();
        let mut cells: Vec<String> = lines[r].split(',').map(str::to_string).collect();
        let f = field % cells.len();
        cells[f] = value;
        lines[r] = cells.join(",");
        exercise(GEOJSON, PARAMS, &lines.join("\n"));
    }
}
