//! Routing on hand-made networks whose answers were worked out by hand (figures in the
//! comments use the parameters in tests/common/mod.rs).

mod common;

use serde_json::json;
use steppe::analysis::alternatives::{AlternativeOptions, alternatives};
use steppe::analysis::pareto::pareto_routes;
use steppe::analysis::route::{Planner, Route, RouteOutcome, Step};
use steppe::cost::profile::{ModeSet, Objective, Profile, When};
use steppe::graph::SearchGraph;
use steppe::network::Network;
use steppe::network::model::Country;

use common::{Net, close};

fn profile(n: &Network, objective: Objective) -> Profile {
    let mut p = Profile::new(n.params.clone());
    p.objective = objective;
    p
}

fn plan(n: &Network, p: &Profile, from: &str, to: &str, via: &[&str]) -> RouteOutcome {
    let g = SearchGraph::build(n);
    let mut planner = Planner::new(n, &g, p);
    let via: Vec<_> = via.iter().map(|v| n.place_by_id(v).unwrap()).collect();
    planner
        .route(
            n.place_by_id(from).unwrap(),
            n.place_by_id(to).unwrap(),
            &via,
        )
        .unwrap()
}

fn found(o: RouteOutcome) -> Route {
    match o {
        RouteOutcome::Found(r) => r,
        RouteOutcome::NoRoute(why) => panic!("expected a route: {why:?}"),
    }
}

fn place_ids(n: &Network, r: &Route) -> Vec<String> {
    let mut out = vec![n.place(r.from).id.0.clone()];
    for s in &r.steps {
        if let Step::Link { to, .. } = s {
            out.push(n.place(*to).id.0.clone());
        }
    }
    out
}

/// A ==1520, 100 km== X ==1435, 100 km== B, where X is an AA/BB rail crossing that changes
/// gauge. By rail: 4 h + border 3 h + gauge change 5 h + 4 h = 16 h; 50 + 50 fee + 20 + 50 =
/// 170 USD; bad day 4 + 30 + 20 + 4 = 58 h.
fn gauge_net(with_gauge_change: bool) -> Network {
    let mut net =
        Net::new()
            .place("a", "AA", 10.0, 0.0)
            .crossing("x", "AA", "BB", 10.9, 0.0, &["rail"]);
    if with_gauge_change {
        net = net.with(json!({"transfers": [{"between": ["rail_1520", "rail_1435"]}]}));
    }
    net.place("b", "BB", 11.8, 0.0)
        .rail("ax", "a", "x", 100.0, 1520)
        .rail("xb", "x", "b", 100.0, 1435)
        .load()
}

#[test]
fn a_gauge_break_must_be_paid() {
    let n = gauge_net(true);
    let r = found(plan(&n, &profile(&n, Objective::Time), "a", "b", &[]));
    assert!(close(r.totals.hours, 16.0), "{}", r.totals.hours);
    assert!(close(r.totals.usd, 170.0), "{}", r.totals.usd);
    assert!(
        close(r.totals.bad_day_hours, 58.0),
        "{}",
        r.totals.bad_day_hours
    );
    assert!(close(r.totals.km, 200.0));
    assert_eq!(r.gauge_changes(), 1);
    assert_eq!(r.crossings().len(), 1);
    // generalized = 170 + 10 x 16
    assert!(close(r.totals.generalized_usd, 330.0));
}

#[test]
fn without_a_gauge_change_a_train_cannot_continue() {
    let n = gauge_net(false);
    assert!(
        n.warnings
            .iter()
            .any(|w| w.message.contains("no gauge-change transfer"))
    );
    match plan(&n, &profile(&n, Objective::Time), "a", "b", &[]) {
        RouteOutcome::NoRoute(why) => {
            assert!(why.reason.contains("no route from a to b"), "{why:?}")
        }
        RouteOutcome::Found(r) => panic!("a train changed gauge for free: {:?}", r.steps),
    }
}

/// A --100-- X1 (open Jun-Sep) --100-- B, and A --300-- X2 (all year) --300-- B.
fn seasonal_net() -> Network {
    Net::new()
        .place("a", "AA", 10.0, 0.0)
        .crossing("x1", "AA", "BB", 10.9, 0.0, &["road"])
        .with(json!({"crossing": {"countries": ["AA", "BB"], "modes": {"road": {}}, "months_open": [6, 7, 8, 9]}}))
        .crossing("x2", "AA", "BB", 10.9, 1.5, &["road"])
        .place("b", "BB", 11.8, 0.0)
        .road("a1", "a", "x1", 100.0)
        .road("b1", "x1", "b", 100.0)
        .road("a2", "a", "x2", 300.0)
        .road("b2", "x2", "b", 300.0)
        .load()
}

#[test]
fn a_crossing_closed_in_winter_is_not_passable() {
    let n = seasonal_net();
    let mut p = profile(&n, Objective::Distance);
    p.when = When::Month(1);
    let winter = found(plan(&n, &p, "a", "b", &[]));
    assert!(close(winter.totals.km, 600.0));
    p.when = When::Month(7);
    let summer = found(plan(&n, &p, "a", "b", &[]));
    assert!(close(summer.totals.km, 200.0));
    assert!(
        summer
            .notes
            .iter()
            .any(|s| s.contains("open only in Jun, Jul, Aug, Sep")),
        "{:?}",
        summer.notes
    );
    // Without a month, only year-round crossings are used.
    p.when = When::YearRound;
    assert!(close(found(plan(&n, &p, "a", "b", &[])).totals.km, 600.0));
}

/// M(MN) -100- XB (MN/RU, bilateral) -100- R(RU) -100- XR (RU/KZ) -100- K(KZ), and the long
/// way M -500- XC (MN/CN) -500- C(CN) -500- XK (CN/KZ) -500- K.
fn bilateral_net(regime: &str) -> Network {
    Net::new()
        .place("m", "MN", 100.0, 48.0)
        .crossing("xb", "MN", "RU", 100.0, 49.0, &["road"])
        .with(json!({"crossing": {"countries": ["MN", "RU"], "regime": regime, "modes": {"road": {}}}}))
        .place("r", "RU", 100.0, 50.0)
        .crossing("xr", "RU", "KZ", 99.0, 50.0, &["road"])
        .place("k", "KZ", 98.0, 50.0)
        .crossing("xc", "MN", "CN", 100.0, 45.0, &["road"])
        .place("c", "CN", 99.0, 44.0)
        .crossing("xk", "CN", "KZ", 98.0, 45.0, &["road"])
        .road("m_xb", "m", "xb", 150.0)
        .road("xb_r", "xb", "r", 150.0)
        .road("r_xr", "r", "xr", 100.0)
        .road("xr_k", "xr", "k", 100.0)
        .road("m_xc", "m", "xc", 500.0)
        .road("xc_c", "xc", "c", 500.0)
        .road("c_xk", "c", "xk", 500.0)
        .road("xk_k", "xk", "k", 500.0)
        .load()
}

#[test]
fn a_bilateral_crossing_refuses_third_country_goods() {
    let n = bilateral_net("bilateral");
    let p = profile(&n, Objective::Distance);
    // MN -> KZ goods may not use the MN-RU bilateral crossing: the long way through CN.
    let r = found(plan(&n, &p, "m", "k", &[]));
    assert!(close(r.totals.km, 2000.0), "{}", r.totals.km);
    assert_eq!(r.transit_countries, vec![Country::parse("CN").unwrap()]);
    // MN -> RU goods may.
    let r = found(plan(&n, &p, "m", "r", &[]));
    assert!(close(r.totals.km, 300.0));
    // When the crossing is international, MN -> KZ goes through RU (500 km).
    let n = bilateral_net("international");
    let r = found(plan(&n, &profile(&n, Objective::Distance), "m", "k", &[]));
    assert!(close(r.totals.km, 500.0));
}

#[test]
fn an_avoided_country_is_not_entered_and_a_cut_is_explained() {
    let n = bilateral_net("international");
    let mut p = profile(&n, Objective::Distance);
    p.avoid_countries = vec![Country::parse("RU").unwrap()];
    let r = found(plan(&n, &p, "m", "k", &[]));
    assert!(close(r.totals.km, 2000.0));
    assert!(!place_ids(&n, &r).iter().any(|id| id == "r" || id == "xb"));
    p.avoid_countries.push(Country::parse("CN").unwrap());
    match plan(&n, &p, "m", "k", &[]) {
        RouteOutcome::NoRoute(why) => {
            assert!(why.reason.contains("that avoids RU and CN"), "{why:?}");
            assert!(
                why.hints
                    .iter()
                    .any(|h| h
                        .contains("MN's only border crossings in this network lead to CN and RU")),
                "{why:?}"
            );
            assert!(
                why.hints
                    .iter()
                    .any(|h| h.contains("drop --avoid-country RU"))
            );
        }
        RouteOutcome::Found(_) => panic!("route entered an avoided country"),
    }
}

#[test]
fn transit_permissions_apply_only_to_third_countries() {
    let n = bilateral_net("international");
    let mut p = profile(&n, Objective::Distance);
    p.params = p
        .params
        .with_overrides(&["transit.RU.road.allowed=false".into()])
        .unwrap();
    // MN -> KZ by road may not transit RU.
    assert!(close(found(plan(&n, &p, "m", "k", &[])).totals.km, 2000.0));
    // MN -> RU is not transit.
    assert!(close(found(plan(&n, &p, "m", "r", &[])).totals.km, 300.0));
}

#[test]
fn a_via_point_is_visited_in_order() {
    // A -100- B -100- C and A -150- C: A->C is 150 km, via B 200 km.
    let n = Net::new()
        .place("a", "AA", 10.0, 0.0)
        .place("b", "AA", 10.5, 0.5)
        .place("c", "AA", 11.0, 0.0)
        .road("ab", "a", "b", 100.0)
        .road("bc", "b", "c", 100.0)
        .road("ac", "a", "c", 150.0)
        .load();
    let p = profile(&n, Objective::Distance);
    assert!(close(found(plan(&n, &p, "a", "c", &[])).totals.km, 150.0));
    let r = found(plan(&n, &p, "a", "c", &["b"]));
    assert!(close(r.totals.km, 200.0));
    assert_eq!(place_ids(&n, &r), vec!["a", "b", "c"]);
}

/// A -road 1000- B, and A -road 10- T =rail 1000= U -road 10- B with road-rail transfers at
/// T and U. Road only: 1000 USD. Road+rail: 10 + 10 + 500 + 10 + 10 = 540 USD.
fn multimodal_net() -> Network {
    Net::new()
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
        .load()
}

#[test]
fn a_transfer_makes_rail_and_road_cheaper_than_road_alone() {
    let n = multimodal_net();
    let mut p = profile(&n, Objective::Cost);
    let r = found(plan(&n, &p, "a", "b", &[]));
    assert!(close(r.totals.usd, 540.0), "{}", r.totals.usd);
    let transfers = r
        .steps
        .iter()
        .filter(|s| matches!(s, Step::Transfer { .. }))
        .count();
    assert_eq!(transfers, 2);
    p.modes = ModeSet {
        road: true,
        rail: false,
    };
    assert!(close(found(plan(&n, &p, "a", "b", &[])).totals.usd, 1000.0));
    // By time, road wins: 20 h against 0.2 + 2 + 40 + 2 + 0.2 = 44.4 h.
    let r = found(plan(&n, &profile(&n, Objective::Time), "a", "b", &[]));
    assert!(close(r.totals.hours, 20.0));
}

#[test]
fn pareto_lists_exactly_the_non_dominated_routes() {
    // Road 1000 km (20 h, 1000 USD) and road+rail (44.4 h, 540 USD): neither dominates.
    let n = multimodal_net();
    let g = SearchGraph::build(&n);
    let mut planner = Planner::new(&n, &g, &profile(&n, Objective::Generalized));
    let routes = pareto_routes(
        &mut planner,
        n.place_by_id("a").unwrap(),
        n.place_by_id("b").unwrap(),
    )
    .unwrap()
    .unwrap();
    let pairs: Vec<(f64, f64)> = routes
        .iter()
        .map(|r| (r.totals.hours, r.totals.usd))
        .collect();
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    assert!(close(pairs[0].0, 20.0) && close(pairs[0].1, 1000.0));
    assert!(close(pairs[1].0, 44.4) && close(pairs[1].1, 540.0));
}

#[test]
fn one_way_links_and_proposed_links_are_respected() {
    let n = Net::new()
        .place("a", "AA", 10.0, 0.0)
        .place("b", "AA", 11.0, 0.0)
        .road("ab", "a", "b", 100.0)
        .with(json!({"oneway": true}))
        .road("ba_new", "b", "a", 110.0)
        .with(json!({"status": "proposed"}))
        .load();
    let mut p = profile(&n, Objective::Distance);
    assert!(close(found(plan(&n, &p, "a", "b", &[])).totals.km, 100.0));
    // b -> a exists only on the proposed link.
    match plan(&n, &p, "b", "a", &[]) {
        RouteOutcome::NoRoute(why) => assert!(
            why.hints.iter().any(|h| h.contains("--include-proposed")),
            "{why:?}"
        ),
        RouteOutcome::Found(_) => panic!("used a one-way link backwards or a proposed link"),
    }
    p.include_proposed = true;
    assert!(close(found(plan(&n, &p, "b", "a", &[])).totals.km, 110.0));
}

#[test]
fn alternatives_are_really_different_and_ranked() {
    // Three disjoint corridors of 100, 120 and 150 km between A and B.
    let n = Net::new()
        .place("a", "AA", 10.0, 0.0)
        .place("b", "AA", 11.0, 0.0)
        .place("m1", "AA", 10.5, 0.1)
        .place("m2", "AA", 10.5, 0.3)
        .place("m3", "AA", 10.5, -0.3)
        .road("a1", "a", "m1", 50.0)
        .road("b1", "m1", "b", 50.0)
        .road("a2", "a", "m2", 60.0)
        .road("b2", "m2", "b", 60.0)
        .road("a3", "a", "m3", 75.0)
        .road("b3", "m3", "b", 75.0)
        .load();
    let g = SearchGraph::build(&n);
    let mut planner = Planner::new(&n, &g, &profile(&n, Objective::Distance));
    let (a, b) = (n.place_by_id("a").unwrap(), n.place_by_id("b").unwrap());
    let routes = alternatives(&mut planner, a, b, &[], AlternativeOptions::new(3))
        .unwrap()
        .unwrap();
    let kms: Vec<f64> = routes.iter().map(|r| r.totals.km).collect();
    assert_eq!(kms.len(), 3, "{kms:?}");
    assert!(
        close(kms[0], 100.0) && close(kms[1], 120.0) && close(kms[2], 150.0),
        "{kms:?}"
    );
}

#[test]
fn an_origin_inside_an_avoided_country_is_an_error() {
    let n = bilateral_net("international");
    let mut p = profile(&n, Objective::Distance);
    p.avoid_countries = vec![Country::parse("MN").unwrap()];
    let g = SearchGraph::build(&n);
    let mut planner = Planner::new(&n, &g, &p);
    let err = planner
        .route(
            n.place_by_id("m").unwrap(),
            n.place_by_id("k").unwrap(),
            &[],
        )
        .unwrap_err();
    assert!(err.to_string().contains("the origin m is in MN"), "{err}");
}
