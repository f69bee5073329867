//! Regression tests for the defects a careless or hostile user found (one per defect, named
//! for it): no bad input may give a silently wrong answer or damage a file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use steppe::analysis::route::{Planner, RouteOutcome};
use steppe::cost::profile::{Objective, Profile};
use steppe::graph::SearchGraph;
use steppe::network::{load_embedded, names};

fn steppe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(args)
        .output()
        .expect("runs steppe")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the embedded network in a fresh folder, its network.geojson passed through `edit`.
fn network_copy(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("net");
    std::fs::create_dir(&net).unwrap();
    let text = std::fs::read_to_string("networks/mn-kz/network.geojson").unwrap();
    std::fs::write(net.join("network.geojson"), edit(text)).unwrap();
    std::fs::copy("networks/mn-kz/params.json", net.join("params.json")).unwrap();
    std::fs::copy("networks/mn-kz/demand.csv", net.join("demand.csv")).unwrap();
    (dir, net)
}

#[test]
fn overflowing_costs_never_become_free_arcs() {
    // A link of 1e308 km, a speed of 1e-320 km/h and a crossing of 1e308 hours are refused,
    // each naming the property.
    for (from, to, expect) in [
        (
            r#""id": "d_ub_darkhan", "from": "mn_ulaanbaatar", "to": "mn_darkhan", "mode": "road", "class": "paved", "length_km": 204"#,
            r#""id": "d_ub_darkhan", "from": "mn_ulaanbaatar", "to": "mn_darkhan", "mode": "road", "class": "paved", "length_km": 1e308"#,
            "length_km",
        ),
        (
            r#""length_km": 204"#,
            r#""length_km": 204, "speed_kmh": 1e-320"#,
            "speed_kmh",
        ),
        (
            r#""road": {"hours": 3, "bad_day_hours": 24"#,
            r#""road": {"hours": 1e308, "bad_day_hours": 1e308"#,
            "hours must be a number from 0 to 8760",
        ),
    ] {
        let (_d, net) = network_copy(|t| {
            assert!(t.contains(from), "fixture text moved: {from}");
            t.replacen(from, to, 1)
        });
        let o = steppe(&[
            "--network",
            net.to_str().unwrap(),
            "route",
            "Ulaanbaatar",
            "Darkhan",
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{}", stderr(&o));
    }
    // Shipment size and value of time beyond their documented ranges are refused.
    for args in [
        ["--tonnes", "1e308"],
        ["--value-of-time", "1e308"],
        ["--tonnes", "nan"],
    ] {
        let mut a = vec!["route", "Ulaanbaatar", "Darkhan"];
        a.extend(args);
        let o = steppe(&a);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    // A 1e308 km candidate is refused, not ranked first.
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.geojson");
    std::fs::write(&c, r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[106.88, 47.91], [105.92, 49.49]]}, "properties": {"id": "x", "from": "mn_ulaanbaatar", "to": "mn_darkhan", "mode": "road", "class": "paved", "length_km": 1e308, "construction_cost_usd": 1, "source": "t"}}]}"#).unwrap();
    let o = steppe(&["propose", "--candidates", c.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("length_km"), "{}", stderr(&o));
}

#[test]
fn large_finite_costs_do_not_saturate_or_tie() {
    // Costs are linear in tonnes: the best route of 10 Mt by cost is the best route of 20 t,
    // at 500,000 times its cost (before, weights capped at USD 42.9 M per arc and tied).
    let n = load_embedded().unwrap();
    let g = SearchGraph::build(&n);
    let (a, b) = (
        names::resolve(&n, "Ulaanbaatar").unwrap(),
        names::resolve(&n, "Almaty").unwrap(),
    );
    let route = |p: &Profile| match Planner::new(&n, &g, p).route(a, b, &[]).unwrap() {
        RouteOutcome::Found(r) => r,
        RouteOutcome::NoRoute(w) => panic!("{}", w.reason),
    };
    let mut small = Profile::new(n.params.clone());
    small.objective = Objective::Cost;
    let mut big = small.clone();
    big.params = n
        .params
        .with_overrides(&["cargo.tonnes=10000000".into()])
        .unwrap();
    let (r_small, r_big) = (route(&small), route(&big));
    let expected = r_small.totals.usd * 500_000.0;
    assert!(
        r_big.totals.usd <= expected * (1.0 + 1e-6),
        "{} vs {expected}",
        r_big.totals.usd
    );
    // A huge value of time makes the generalized route the fastest one.
    let mut fast = Profile::new(n.params.clone());
    fast.objective = Objective::Time;
    let mut vot = Profile::new(
        n.params
            .with_overrides(&["value_of_time_usd_per_hour=10000000".into()])
            .unwrap(),
    );
    vot.objective = Objective::Generalized;
    let (r_fast, r_vot) = (route(&fast), route(&vot));
    assert!(
        (r_vot.totals.hours - r_fast.totals.hours).abs() <= 0.01 * r_fast.totals.hours,
        "{} h vs {} h",
        r_vot.totals.hours,
        r_fast.totals.hours
    );
}

#[test]
fn silently_ignored_keys_and_values_are_named() {
    // A misspelt crossing key is an error with the right spelling suggested.
    let (_d, net) = network_copy(|t| {
        t.replacen(
            r#""months_open": [7, 8, 9]"#,
            r#""month_open": [7, 8, 9]"#,
            1,
        )
    });
    let o = steppe(&["network", "validate", net.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("unknown key `month_open`; did you mean `months_open`?"),
        "{out}"
    );
    // Lower-case country codes in transit rules work.
    let o = steppe(&[
        "route",
        "Olgii",
        "Almaty",
        "--modes",
        "road",
        "--param",
        "transit.cn.road.allowed=false",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("transit countries: CN"));
    // An unknown country to avoid is refused.
    let o = steppe(&["route", "Olgii", "Almaty", "--avoid-country", "XX"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no place of this network is in XX"),
        "{}",
        stderr(&o)
    );
    // NaN budgets are refused.
    for args in [["--budget-usd", "nan"], ["--min-bcr", "nan"]] {
        let mut a = vec!["propose"];
        a.extend(args);
        assert_eq!(steppe(&a).status.code(), Some(2), "{args:?}");
    }
    // A MultiLineString candidate (as QGIS writes) is read; one whose parts do not join is named.
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.geojson");
    let feature = |coords: &str| {
        format!(
            r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "geometry": {{"type": "MultiLineString", "coordinates": {coords}}}, "properties": {{"id": "x", "from": "mn_khovd", "to": "mn_olgii", "mode": "road", "class": "paved", "construction_cost_usd": 100000000, "source": "t"}}}}]}}"#
        )
    };
    std::fs::write(
        &c,
        feature("[[[91.64, 48.01], [91.0, 48.5]], [[91.0, 48.5], [89.96, 48.97]]]"),
    )
    .unwrap();
    let o = steppe(&[
        "propose",
        "--candidates",
        c.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"x\""));
    std::fs::write(
        &c,
        feature("[[[91.64, 48.01], [91.0, 48.5]], [[91.2, 48.6], [89.96, 48.97]]]"),
    )
    .unwrap();
    let o = steppe(&["propose", "--candidates", c.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("do not join"), "{}", stderr(&o));
    // A scenario that adds a file that is not a FeatureCollection is an error.
    let s = dir.path().join("s.json");
    let notfc = dir.path().join("x.json");
    std::fs::write(&notfc, r#"{"type": "Feature", "properties": {}}"#).unwrap();
    std::fs::write(
        &s,
        format!(
            r#"{{"name": "x", "edits": [{{"op": "add", "file": "{}"}}]}}"#,
            notfc.display()
        ),
    )
    .unwrap();
    let o = steppe(&["scenario", "run", s.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a GeoJSON FeatureCollection"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn output_paths_are_never_destroyed() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    // A regular file keeps its permissions.
    std::fs::write(p("keep.json"), "old").unwrap();
    std::fs::set_permissions(p("keep.json"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = steppe(&[
        "places",
        "--format",
        "json",
        "-o",
        p("keep.json").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = std::fs::metadata(p("keep.json")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert!(std::fs::read_to_string(p("keep.json")).unwrap().len() > 100);
    // A symlink is written through: the link stays a link, its target gets the output.
    std::fs::write(p("target.json"), "old").unwrap();
    symlink(p("target.json"), p("link.json")).unwrap();
    let o = steppe(&[
        "places",
        "--format",
        "json",
        "-o",
        p("link.json").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(p("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(p("target.json")).unwrap().len() > 100);
    // A read-only file is refused.
    std::fs::write(p("ro.json"), "old").unwrap();
    std::fs::set_permissions(p("ro.json"), std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = steppe(&[
        "places",
        "--format",
        "json",
        "-o",
        p("ro.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(p("ro.json")).unwrap(), "old");
    // An input of the same run is refused.
    let (_d, net) = network_copy(|t| t);
    let geo = net.join("network.geojson");
    let before = std::fs::read_to_string(&geo).unwrap();
    let o = steppe(&[
        "--network",
        net.to_str().unwrap(),
        "network",
        "export",
        "-o",
        geo.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("input of this run"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&geo).unwrap(), before);
    // A device is written through, never replaced; `-` is standard output.
    let o = steppe(&["places", "-o", "/dev/null"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    let o = steppe(&["places", "--format", "json", "-o", "-"]);
    assert!(o.status.success());
    assert!(o.stdout.len() > 100);
    // A new file respects the umask (not 0600).
    let o = steppe(&[
        "places",
        "--format",
        "json",
        "-o",
        p("new.json").to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let mode = std::fs::metadata(p("new.json"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_ne!(mode, 0o600, "{mode:o}");
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["network", "export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing: close the pipe at once, as `| head -c0` would.
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn the_loader_names_lines_deep_in_a_large_file() {
    // Line numbers come from one index of the file, so a large network loads in linear time
    // (the bench `loader` measures it); they must still be right.
    let mut text = String::from("{\"type\": \"FeatureCollection\", \"features\": [\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "{{\"type\": \"Feature\", \"geometry\": {{\"type\": \"Point\", \"coordinates\": [{}, 45]}}, \"properties\": {{\"id\": \"p{i}\", \"name\": \"P{i}\", \"country\": \"KZ\", \"kind\": \"town\", \"source\": \"t\"}}}},\n",
            60.0 + i as f64 * 0.001
        ));
    }
    text.push_str("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [61, 45]}, \"properties\": {\"id\": \"bad\", \"name\": \"B\", \"country\": \"KZ\", \"kind\": \"castle\", \"source\": \"t\"}}\n]}\n");
    let params = std::fs::read_to_string("networks/mn-kz/params.json").unwrap();
    let e = steppe::network::load::load_from_text("t", &text, "t.geojson", &params, "p.json")
        .unwrap_err();
    let s = e.to_string();
    let problems = match e {
        steppe::Error::InvalidNetwork { problems, .. } => problems,
        other => panic!("{other}"),
    };
    let p = problems.iter().find(|p| p.is_error()).unwrap();
    assert_eq!(p.line, Some(5002), "{s}");
}

#[test]
fn unbounded_work_is_refused() {
    for args in [
        vec!["route", "Ulaanbaatar", "Almaty", "--alternatives", "21"],
        vec![
            "route",
            "Ulaanbaatar",
            "Almaty",
            "--alternatives",
            "18446744073709551615",
        ],
    ] {
        assert_eq!(steppe(&args).status.code(), Some(2), "{args:?}");
    }
    let o = steppe(&[
        "isochrone",
        "Ulaanbaatar",
        "--hours",
        "1,2,3,4,5,6,7,8,9,10,11,12,13",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("at most 12"), "{}", stderr(&o));
    let o = steppe(&["assign", "--demand", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a device"), "{}", stderr(&o));
    // Repeated rows are merged: work follows the distinct O-D pairs.
    let n = load_embedded().unwrap();
    let mut text = String::from("origin,destination,commodity,tonnes_per_year\n");
    for _ in 0..1000 {
        text.push_str("mn_ulaanbaatar,kz_almaty,general,2\n");
    }
    let d = steppe::analysis::demand::parse_demand(&n, &text, "d.csv").unwrap();
    let m = d.merged();
    assert_eq!(m.flows.len(), 1);
    assert_eq!(m.flows[0].tonnes_per_year, 2000.0);
}

#[test]
fn unclear_inputs_get_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // A byte-order mark is dropped; semicolons are named.
    let bom = write(
        "bom.csv",
        "\u{feff}origin,destination,commodity,tonnes_per_year\nmn_olgii,kz_oskemen,general,10\n",
    );
    let o = steppe(&["assign", "--demand", bom.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let semi = write(
        "semi.csv",
        "origin;destination;tonnes_per_year\nmn_olgii;kz_oskemen;10\n",
    );
    let o = steppe(&["assign", "--demand", semi.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("semicolon-separated"), "{}", stderr(&o));
    // Control characters never reach the terminal raw.
    let o = steppe(&["route", "\u{1b}[31mX", "Almaty"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains('\u{1b}'), "{:?}", stderr(&o));
    assert!(stderr(&o).contains("\\u{1b}"), "{:?}", stderr(&o));
    let (_d, net) = network_copy(|t| {
        t.replacen(
            "\"name\": \"Darkhan\"",
            "\"name\": \"Dar\\u001b[31mkhan\"",
            1,
        )
    });
    let o = steppe(&["network", "validate", net.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("control character"), "{out}");
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn an_exported_network_loads_back_with_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("net");
    std::fs::create_dir(&net).unwrap();
    let o = steppe(&[
        "network",
        "export",
        "-o",
        net.join("network.geojson").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::copy("networks/mn-kz/params.json", net.join("params.json")).unwrap();
    let a = steppe(&["route", "Ulaanbaatar", "Almaty", "--format", "json"]);
    let b = steppe(&[
        "--network",
        net.to_str().unwrap(),
        "route",
        "Ulaanbaatar",
        "Almaty",
        "--format",
        "json",
    ]);
    assert!(b.status.success(), "{}", stderr(&b));
    let strip = |o: &Output| {
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_object_mut().map(|m| m.remove("network"));
        v
    };
    assert_eq!(strip(&a), strip(&b));
    let _ = Path::new(".");
}
