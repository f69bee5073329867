//! The routing engine (compiled graph + customizable contraction hierarchy + metrics per
//! request and O-D rule set) against the Dijkstra planner: the corridor network's answers are
//! unchanged, cell by cell; a metric of another engine is a typed error.

use steppe::analysis::matrix::{matrix, matrix_on_engine};
use steppe::cost::profile::{ModeSet, Objective, Profile};
use steppe::graph::Weights;
use steppe::graph::engine::Engine;
use steppe::network::load_embedded;
use steppe::network::model::Country;

#[test]
fn the_engine_matrix_equals_dijkstra_on_every_pair_of_the_corridor_network() {
    let n = load_embedded().unwrap();
    let engine = Engine::build(&n).unwrap();
    let places: Vec<_> = n.places().map(|(ix, _)| ix).collect();
    let mut profiles = Vec::new();
    let base = Profile::new(n.params.clone());
    profiles.push(base.clone());
    let mut p = base.clone();
    p.objective = Objective::Time;
    p.set_commodity("petroleum").unwrap();
    profiles.push(p);
    let mut p = base.clone();
    p.modes = ModeSet {
        road: false,
        rail: true,
    };
    p.avoid_countries = vec![Country::parse("RU").unwrap()];
    profiles.push(p);
    let mut p = base.clone();
    p.objective = Objective::Distance;
    p.params = n
        .params
        .with_overrides(&["transit.CN.road.allowed=false".into()])
        .unwrap();
    profiles.push(p);
    for p in &profiles {
        let w = Weights::compile(&n, &engine.graph, p);
        let fast = matrix_on_engine(&n, &engine, &w, &places, &places).unwrap();
        let slow = matrix(&n, &engine.graph, &w, &places, &places);
        let mut compared = 0;
        for (i, (a, b)) in fast.cells.iter().zip(&slow.cells).enumerate() {
            match (a, b) {
                (Some(a), Some(b)) => {
                    assert_eq!(a.weight, b.weight, "cell {i}");
                    // Ties may pick another path of equal weight: totals agree within rounding.
                    compared += 1;
                }
                (None, None) => {}
                _ => panic!(
                    "cell {i}: engine {:?} vs Dijkstra {:?}",
                    a.is_some(),
                    b.is_some()
                ),
            }
        }
        assert!(compared > 1000, "{compared}");
    }
}

#[test]
fn a_metric_of_another_engine_is_a_typed_error() {
    let n = load_embedded().unwrap();
    let e1 = Engine::build(&n).unwrap();
    let e2 = Engine::build(&n).unwrap();
    let w = Weights::compile(&n, &e1.graph, &Profile::new(n.params.clone()));
    let m1 = e1.customize(&w.weight, None).unwrap();
    let mut q = e2.query();
    let s = e2
        .graph
        .source_of(n.place_by_id("mn_ulaanbaatar").unwrap())
        .unwrap();
    let t = e2
        .graph
        .sink_of(n.place_by_id("kz_almaty").unwrap())
        .unwrap();
    match e2.path(&mut q, &m1, s.0, t.0) {
        Err(steppe::Error::Engine(_)) => {}
        other => panic!(
            "expected a typed engine error, got {:?}",
            other.map(|x| x.is_some())
        ),
    }
    let (edges, shortcuts) = e1.hierarchy_size();
    assert!(edges > shortcuts);
}
