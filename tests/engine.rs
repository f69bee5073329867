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

#[test]
fn railways_of_transit_countries_charge_their_transit_rate() {
    // KTZ charges 0.010 USD/t-km for goods in transit (China -> Russia) and 0.020 for goods
    // to or from Kazakhstan: the same Kazakh link costs half as much per km in transit.
    use steppe::analysis::route::{Planner, RouteOutcome, Step};
    let n = load_embedded().unwrap();
    let g = steppe::graph::SearchGraph::build(&n);
    let mut p = Profile::new(n.params.clone());
    p.modes = ModeSet {
        road: false,
        rail: true,
    };
    p.set_commodity("containers").unwrap();
    let rate_per_km = |from: &str, to: &str| -> f64 {
        let mut planner = Planner::new(&n, &g, &p);
        let (a, b) = (n.place_by_id(from).unwrap(), n.place_by_id(to).unwrap());
        let RouteOutcome::Found(r) = planner.route(a, b, &[]).unwrap() else {
            panic!("no route {from} -> {to}")
        };
        let (km, usd) = r
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Link {
                    country, km, usd, ..
                } if country.as_str() == "KZ" => Some((*km, *usd)),
                _ => None,
            })
            .fold((0.0, 0.0), |(k, u), (a, b)| (k + a, u + b));
        assert!(km > 100.0, "{from} -> {to} runs {km} km in KZ");
        usd / km
    };
    let transit = rate_per_km("cn_urumqi", "ru_omsk");
    let domestic = rate_per_km("cn_urumqi", "kz_astana");
    let tonnes = n.params.cargo.tonnes;
    let factor = n.params.commodities["containers"].rail_tariff_factor;
    assert!(
        (transit - 0.010 * factor * tonnes).abs() < 1e-9,
        "{transit}"
    );
    assert!(
        (domestic - 0.020 * factor * tonnes).abs() < 1e-9,
        "{domestic}"
    );
}

#[test]
fn driver_rest_is_booked_where_the_driving_was_and_drayage_is_never_skipped() {
    use steppe::analysis::route::{Planner, RouteOutcome, Step};
    let n = load_embedded().unwrap();
    let g = steppe::graph::SearchGraph::build(&n);
    let (ub, almaty) = (
        n.place_by_id("mn_ulaanbaatar").unwrap(),
        n.place_by_id("kz_almaty").unwrap(),
    );
    // By road: most of the driving is in Mongolia, so is most of the rest.
    let mut p = Profile::new(n.params.clone());
    p.modes = ModeSet {
        road: true,
        rail: false,
    };
    let RouteOutcome::Found(r) = Planner::new(&n, &g, &p).route(ub, almaty, &[]).unwrap() else {
        panic!("no road route")
    };
    let rest: f64 = r
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Rest { hours, .. } => Some(*hours),
            _ => None,
        })
        .sum();
    assert!(rest > 0.0);
    let share = |c: &str| r.by_country[&Country::parse(c).unwrap()].hours;
    let drive = |c: &str| {
        r.steps
            .iter()
            .filter_map(|s| match s {
                Step::Link { country, hours, .. } if country.as_str() == c => Some(*hours),
                _ => None,
            })
            .sum::<f64>()
    };
    assert!(
        share("MN") > drive("MN") + 0.3 * rest,
        "{} vs {}",
        share("MN"),
        drive("MN")
    );
    // Refrigerated cargo by rail pays the truck haul to the terminal whichever way it loads.
    let mut p = Profile::new(n.params.clone());
    p.modes = ModeSet {
        road: true,
        rail: true,
    };
    p.set_commodity("perishables").unwrap();
    let rates = p.rates();
    let (haul_usd, _) = rates.drayage_haul(&p.params);
    assert!(haul_usd > 0.0);
    let RouteOutcome::Found(r) = Planner::new(&n, &g, &p).route(ub, almaty, &[]).unwrap() else {
        panic!("no route")
    };
    if r.steps.iter().any(|s| {
        matches!(
            s,
            Step::Link {
                layer: steppe::network::Layer::Rail { .. },
                ..
            }
        )
    }) {
        let first = r.steps.iter().find_map(|s| match s {
            Step::Transfer { usd, .. } | Step::Terminal { usd, .. } => Some(*usd),
            _ => None,
        });
        let terminal = rates.rail_terminal_usd(&p.params, Country::parse("MN").unwrap());
        assert!(first.unwrap() >= terminal + haul_usd + rates.handling_usd() - 1e-6);
    }
}

#[test]
fn the_tree_matrix_equals_the_explained_routes_on_every_pair() {
    use steppe::analysis::matrix::{matrix_by_sweeps, matrix_by_trees};
    let n = load_embedded().unwrap();
    let engine = Engine::build(&n).unwrap();
    let g = &engine.graph;
    let places: Vec<_> = n.places().map(|(ix, _)| ix).collect();
    let base = Profile::new(n.params.clone());
    let mut rail = base.clone();
    rail.modes = ModeSet {
        road: false,
        rail: true,
    };
    rail.set_commodity("containers").unwrap();
    let mut road = base.clone();
    road.modes = ModeSet {
        road: true,
        rail: false,
    };
    road.objective = Objective::Time;
    for p in [base, rail, road] {
        let w = Weights::compile(&n, g, &p);
        let trees = matrix_by_trees(&n, g, &w, &places, &places);
        let walked = matrix(&n, g, &w, &places, &places);
        let mut compared = 0;
        for (i, (a, b)) in trees.cells.iter().zip(&walked.cells).enumerate() {
            match (a, b) {
                (Some(a), Some(b)) => {
                    assert_eq!(a.weight, b.weight, "cell {i}");
                    let close = |x: f64, y: f64| (x - y).abs() <= 1e-6 * y.abs().max(1.0);
                    assert!(
                        close(a.km, b.km) && close(a.hours, b.hours),
                        "cell {i}: {a:?} vs {b:?}"
                    );
                    assert!(
                        close(a.usd, b.usd) && close(a.bad_day_hours, b.bad_day_hours),
                        "cell {i}"
                    );
                    assert_eq!(a.crossings, b.crossings, "cell {i}");
                    assert_eq!(a.gauge_changes, b.gauge_changes, "cell {i}");
                    let mut x = a.transit.clone();
                    let mut y = b.transit.clone();
                    x.sort();
                    y.sort();
                    assert_eq!(x, y, "cell {i}");
                    compared += 1;
                }
                (None, None) => {}
                _ => panic!(
                    "cell {i}: trees {:?} vs walked {:?}",
                    a.is_some(),
                    b.is_some()
                ),
            }
        }
        assert!(compared > 1000, "{compared}");
        // The engine's sweeps (PHAST + a walk along tight arcs): equal weights on every
        // cell; equal figures wherever the two trees chose the same path, which is every
        // cell but ties of equal weight.
        let sweeps = matrix_by_sweeps(&n, &engine, &w, &places, &places).unwrap();
        let (mut same, mut found) = (0, 0);
        for (i, (a, b)) in sweeps.cells.iter().zip(&trees.cells).enumerate() {
            match (a, b) {
                (Some(a), Some(b)) => {
                    assert_eq!(a.weight, b.weight, "cell {i}");
                    found += 1;
                    let close = |x: f64, y: f64| (x - y).abs() <= 1e-6 * y.abs().max(1.0);
                    if close(a.km, b.km) && close(a.hours, b.hours) && close(a.usd, b.usd) {
                        same += 1;
                    }
                }
                (None, None) => {}
                _ => panic!(
                    "cell {i}: sweeps {:?} vs trees {:?}",
                    a.is_some(),
                    b.is_some()
                ),
            }
        }
        let share = same as f64 / found as f64;
        let needed = if p.objective == Objective::Time {
            0.9
        } else {
            0.98
        };
        assert!(share >= needed, "{same} of {found} cells agree");
    }
}

/// Profiles that exercise every kind of closure the metric must carry.
fn varied_profiles(n: &steppe::network::Network) -> Vec<Profile> {
    let base = Profile::new(n.params.clone());
    let mut out = vec![base.clone()];
    let mut p = base.clone();
    p.objective = Objective::Time;
    p.set_commodity("perishables").unwrap();
    out.push(p);
    let mut p = base.clone();
    p.modes = ModeSet {
        road: true,
        rail: false,
    };
    p.avoid_countries = vec![Country::parse("CN").unwrap()];
    out.push(p);
    let mut p = base.clone();
    p.objective = Objective::Distance;
    p.when = steppe::cost::profile::When::Month(7);
    p.avoid_places = vec![n.place_by_id("ru_novosibirsk").unwrap()];
    out.push(p);
    out
}

#[test]
fn routes_via_points_and_alternatives_on_the_engine_equal_dijkstra() {
    use steppe::analysis::alternatives::{AlternativeOptions, alternatives};
    use steppe::analysis::route::{Planner, RouteOutcome};
    let n = load_embedded().unwrap();
    let engine = Engine::build(&n).unwrap();
    let ids = [
        "mn_ulaanbaatar",
        "kz_almaty",
        "mn_olgii",
        "kz_oskemen",
        "cn_urumqi",
        "ru_barnaul",
        "mn_khovd",
        "kz_astana",
    ];
    let places: Vec<_> = ids.iter().map(|i| n.place_by_id(i).unwrap()).collect();
    let mut found = 0;
    for p in varied_profiles(&n) {
        let mut fast = Planner::on_engine(&n, &engine, &p);
        let mut slow = Planner::new(&n, &engine.graph, &p);
        assert!(fast.uses_engine() && !slow.uses_engine());
        for &a in &places {
            for &b in &places {
                if a == b {
                    continue;
                }
                for via in [vec![], vec![places[3]], vec![places[5], places[6]]] {
                    if via.contains(&a) || via.contains(&b) {
                        continue;
                    }
                    let (x, y) = match (fast.route(a, b, &via), slow.route(a, b, &via)) {
                        (Ok(x), Ok(y)) => (x, y),
                        (Err(x), Err(y)) => {
                            assert_eq!(x.to_string(), y.to_string());
                            continue;
                        }
                        (x, y) => panic!("{x:?} vs {y:?}"),
                    };
                    match (x, y) {
                        (RouteOutcome::Found(x), RouteOutcome::Found(y)) => {
                            assert_eq!(x.weight, y.weight, "{a:?} -> {b:?} via {via:?}");
                            assert!((x.totals.km - y.totals.km).abs() < 1e-6 || x.arcs != y.arcs);
                            found += 1;
                        }
                        (RouteOutcome::NoRoute(x), RouteOutcome::NoRoute(y)) => {
                            assert_eq!(x, y)
                        }
                        (x, y) => panic!("{a:?} -> {b:?}: {x:?} vs {y:?}"),
                    }
                }
            }
        }
        // Alternatives: the same routes, in the same order.
        let opts = AlternativeOptions::new(3);
        let x = alternatives(&mut fast, places[0], places[1], &[], opts).unwrap();
        let y = alternatives(&mut slow, places[0], places[1], &[], opts).unwrap();
        match (x, y) {
            (Ok(x), Ok(y)) => {
                let w = |r: &Vec<steppe::analysis::route::Route>| {
                    r.iter().map(|r| r.weight).collect::<Vec<_>>()
                };
                assert_eq!(w(&x), w(&y));
            }
            (Err(x), Err(y)) => assert_eq!(x, y),
            (x, y) => panic!("{x:?} vs {y:?}"),
        }
    }
    assert!(found > 300, "{found}");
}

#[test]
fn assignment_scenarios_and_criticality_on_the_engine_equal_dijkstra() {
    use steppe::analysis::assign::assign;
    use steppe::analysis::critical::{Kinds, criticality};
    use steppe::analysis::demand::network_demand;
    use steppe::analysis::scenario::{read_scenario, run_scenario};
    let n = load_embedded().unwrap();
    let engine = Engine::build(&n).unwrap();
    let g = &engine.graph;
    let d = network_demand(&n).unwrap();
    let weights_of = |p: &Profile| Weights::compile(&n, g, p);
    let same = |a: &steppe::analysis::assign::Assignment,
                b: &steppe::analysis::assign::Assignment| {
        let w = |x: &steppe::analysis::assign::Assignment| {
            x.routes
                .iter()
                .map(|r| r.as_ref().map(|r| r.weight))
                .collect::<Vec<_>>()
        };
        assert_eq!(w(a), w(b));
        // Equal objective; where both chose the same links (ties aside), equal figures.
        let (mut same_links, mut found) = (0, 0);
        for (x, y) in a.routes.iter().zip(&b.routes) {
            if let (Some(x), Some(y)) = (x, y) {
                found += 1;
                if x.links == y.links {
                    same_links += 1;
                    assert!((x.generalized_usd - y.generalized_usd).abs() < 1e-6);
                    assert!((x.hours - y.hours).abs() < 1e-9);
                }
            }
        }
        // Minimising hours, routes of equal hours but other costs tie (40 of 45 agree).
        assert!(same_links * 10 >= found * 8, "{same_links} of {found}");
    };
    for p in varied_profiles(&n) {
        let w = weights_of(&p);
        let fast = assign(&n, &engine, &w, &d);
        let slow = assign(&n, g, &w, &d);
        assert!(fast.routes.iter().flatten().count() > 10);
        same(&fast, &slow);
    }
    // Every shipped scenario: closures and re-costs re-customize, added links recompile.
    let w = weights_of(&Profile::new(n.params.clone()));
    let base = assign(&n, &engine, &w, &d);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("networks/mn-kz/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    for f in files {
        let s = read_scenario(&f).unwrap();
        let fast = run_scenario(&n, &engine, &w, &base, &d, &s).unwrap();
        let slow = run_scenario(&n, g, &w, &base, &d, &s).unwrap();
        same(&fast.after, &slow.after);
        assert_eq!(fast.changes.len(), slow.changes.len(), "{}", f.display());
    }
    let (fast, _) = criticality(&n, &engine, &w, &d, Kinds::ALL);
    let (slow, _) = criticality(&n, g, &w, &d, Kinds::ALL);
    assert_eq!(fast.len(), slow.len());
    assert!(fast.len() > 20);
    for (a, b) in fast.iter().zip(&slow) {
        assert_eq!(a.element, b.element);
        assert!(
            (a.extra_generalized_usd - b.extra_generalized_usd).abs()
                < 1e-3 * a.extra_generalized_usd.abs().max(1.0)
        );
        assert_eq!(a.unserved_tonnes, b.unserved_tonnes);
    }
}

#[test]
fn the_engine_order_is_cached_beside_the_network_and_a_stale_cache_is_rebuilt() {
    use steppe::graph::engine_cache::{CacheStatus, cache_path};
    use steppe::network::load_dir;
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("networks/mn-kz");
    for f in ["network.geojson", "params.json"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let n = load_dir(dir.path()).unwrap();
    let path = cache_path(dir.path());
    let (e1, s1) = Engine::build_cached(&n, Some(dir.path())).unwrap();
    assert_eq!(s1, CacheStatus::Written(path.clone()));
    let (e2, s2) = Engine::build_cached(&n, Some(dir.path())).unwrap();
    assert_eq!(s2, CacheStatus::Loaded(path.clone()));
    // The cached order gives the same hierarchy and the same answers.
    assert_eq!(e1.hierarchy_size(), e2.hierarchy_size());
    let places: Vec<_> = n.places().map(|(ix, _)| ix).take(40).collect();
    let w = Weights::compile(&n, &e1.graph, &Profile::new(n.params.clone()));
    let a = matrix_on_engine(&n, &e1, &w, &places, &places).unwrap();
    let b = matrix_on_engine(&n, &e2, &w, &places, &places).unwrap();
    let weights = |m: &steppe::analysis::matrix::Matrix| {
        m.cells
            .iter()
            .map(|c| c.as_ref().map(|c| c.weight))
            .collect::<Vec<_>>()
    };
    assert_eq!(weights(&a), weights(&b));
    // Another graph's cache (its hash changed) is stale: rebuilt and rewritten.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[20] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    let (_, s3) = Engine::build_cached(&n, Some(dir.path())).unwrap();
    assert_eq!(s3, CacheStatus::Stale(path.clone()));
    assert!(s3.message().unwrap().contains("rebuilt"));
    let (_, s4) = Engine::build_cached(&n, Some(dir.path())).unwrap();
    assert_eq!(s4, CacheStatus::Loaded(path.clone()));
    // A damaged cache is reported (naming the file) and replaced; the engine still builds.
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::write(&path, &std::fs::read(&path).unwrap()[..(len as usize - 3)]).unwrap();
    let (_, s5) = Engine::build_cached(&n, Some(dir.path())).unwrap();
    match s5 {
        CacheStatus::Failed(why) => assert!(
            why.contains("engine-order.bin") && why.contains("damaged"),
            "{why}"
        ),
        other => panic!("{other:?}"),
    }
    std::fs::write(&path, b"not a cache at all, just text").unwrap();
    let (_, s6) = Engine::build_cached(&n, Some(dir.path())).unwrap();
    assert!(
        matches!(s6, CacheStatus::Failed(ref why) if why.contains("not a steppe engine cache")),
        "{s6:?}"
    );
}

#[test]
fn compiled_nodes_are_numbered_place_by_place_along_a_hilbert_curve() {
    use steppe::graph::search_graph::hilbert_index;
    let n = load_embedded().unwrap();
    let g = steppe::graph::SearchGraph::build(&n);
    let key = |i: usize| {
        let p = n.place(g.nodes[i].place).position;
        hilbert_index(p.x(), p.y())
    };
    let mut places_seen = std::collections::HashSet::new();
    for i in 0..g.nodes.len() {
        if i > 0 {
            assert!(key(i - 1) <= key(i), "node {i} out of curve order");
            if g.nodes[i].place != g.nodes[i - 1].place {
                // A place's nodes are contiguous: once left, never seen again.
                assert!(places_seen.insert(g.nodes[i].place), "node {i}");
            }
        } else {
            places_seen.insert(g.nodes[0].place);
        }
    }
    // Neighbouring cells of the curve are neighbours on the map.
    assert_eq!(hilbert_index(-180.0, -90.0), 0);
    let a = hilbert_index(100.0, 47.0);
    let b = hilbert_index(100.0 + 360.0 / 65536.0, 47.0);
    let far = hilbert_index(-100.0, -47.0);
    assert!(a.abs_diff(b) < a.abs_diff(far));
}

#[test]
fn a_place_id_of_another_network_is_a_typed_error_not_a_panic() {
    use steppe::analysis::route::Planner;
    let n = load_embedded().unwrap();
    let engine = Engine::build(&n).unwrap();
    let p = Profile::new(n.params.clone());
    let ub = n.place_by_id("mn_ulaanbaatar").unwrap();
    let foreign = petgraph::stable_graph::NodeIndex::new(n.graph.node_count() + 1000);
    for mut planner in [
        Planner::on_engine(&n, &engine, &p),
        Planner::new(&n, &engine.graph, &p),
    ] {
        let e = planner.route(ub, foreign, &[]).unwrap_err();
        assert!(matches!(e, steppe::Error::Request(_)), "{e}");
        assert!(e.to_string().contains("another network"), "{e}");
        let e = planner.route(ub, ub, &[foreign]).unwrap_err();
        assert!(e.to_string().contains("not a place of the network"), "{e}");
    }
    // Node ids beyond the engine's graph are typed errors of the hierarchy too.
    let metric = engine
        .customize(&Weights::compile(&n, &engine.graph, &p).weight, None)
        .unwrap();
    let mut q = engine.query();
    let beyond = engine.graph.node_count() as u32 + 5;
    assert!(engine.path(&mut q, &metric, 0, beyond).is_err());
    let mut phast = engine.phast();
    assert!(engine.one_to_all(&mut phast, &metric, beyond).is_err());
}

#[test]
fn planners_of_the_same_profile_share_the_engine_s_cached_metric() {
    use steppe::analysis::route::{Planner, RouteOutcome};
    let n = load_embedded().unwrap();
    let engine = Engine::build(&n).unwrap();
    let p = Profile::new(n.params.clone());
    let (ub, almaty) = (
        n.place_by_id("mn_ulaanbaatar").unwrap(),
        n.place_by_id("kz_almaty").unwrap(),
    );
    let weight_of = |p: &Profile| match Planner::on_engine(&n, &engine, p)
        .route(ub, almaty, &[])
        .unwrap()
    {
        RouteOutcome::Found(r) => r.weight,
        RouteOutcome::NoRoute(why) => panic!("{why:?}"),
    };
    let first = weight_of(&p);
    let cached = engine.cached_metric_count();
    assert!(cached >= 1);
    // Same profile again: no new metric; a different profile: its own, with its own answer.
    assert_eq!(weight_of(&p), first);
    assert_eq!(engine.cached_metric_count(), cached);
    let mut q = p.clone();
    q.objective = Objective::Distance;
    let by_distance = weight_of(&q);
    assert_ne!(by_distance, first);
    assert!(engine.cached_metric_count() > cached);
    assert_eq!(weight_of(&p), first);
    // The cache is bounded.
    for month in 1..=12 {
        let mut m = p.clone();
        m.when = steppe::cost::profile::When::Month(month);
        m.objective = Objective::Time;
        weight_of(&m);
        m.objective = Objective::Cost;
        weight_of(&m);
    }
    assert!(engine.cached_metric_count() <= steppe::graph::engine::CACHED_METRICS);
}
