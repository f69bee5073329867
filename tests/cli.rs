//! The binary as a user runs it: outputs, exit codes, messages, and files that open in GIS
//! tools (parsed back with the geojson crate).

use std::path::Path;
use std::process::{Command, Output};

fn steppe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(args)
        .output()
        .expect("runs steppe")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read_collection(path: &Path) -> geojson::FeatureCollection {
    let text = std::fs::read_to_string(path).unwrap();
    text.parse::<geojson::GeoJson>()
        .and_then(geojson::FeatureCollection::try_from)
        .unwrap_or_else(|e| panic!("{} is not a FeatureCollection: {e}", path.display()))
}

#[test]
fn the_main_job_prints_an_explained_route() {
    let o = steppe(&["route", "Ulaanbaatar", "Almaty"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("Ulaanbaatar (MN) -> Almaty (KZ)"), "{s}");
    assert!(s.contains("border"), "{s}");
    assert!(s.contains("Total:"), "{s}");
    assert!(s.contains("Border crossings: 2"), "{s}");
}

#[test]
fn route_geojson_opens_as_a_feature_collection_with_styled_legs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("route.geojson");
    let o = steppe(&[
        "route",
        "Ulaanbaatar",
        "Almaty",
        "--modes",
        "rail",
        "--avoid-country",
        "RU",
        "--format",
        "geojson",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fc = read_collection(&path);
    let lines: Vec<_> = fc
        .features
        .iter()
        .filter(|f| {
            matches!(
                f.geometry.as_ref().map(|g| &g.value),
                Some(geojson::GeometryValue::LineString { .. })
            )
        })
        .collect();
    assert!(lines.len() >= 5);
    let colours: std::collections::BTreeSet<String> = lines
        .iter()
        .map(|f| f.property("stroke").unwrap().as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        colours.len(),
        2,
        "1520 and 1435 rail in distinct colours: {colours:?}"
    );
    let gauge_points = fc
        .features
        .iter()
        .filter(|f| f.property("type").and_then(|v| v.as_str()) == Some("gauge_change"))
        .count();
    assert_eq!(gauge_points, 2);
    // No temporary files are left beside the output.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn route_json_has_totals_and_steps() {
    let o = steppe(&[
        "route", "Olgii", "Oskemen", "--modes", "road", "--format", "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "steppe.routes.v1");
    let r = &v["routes"][0];
    assert!(r["totals"]["km"].as_f64().unwrap() > 1000.0);
    assert!(r["steps"].as_array().unwrap().len() > 3);
    assert_eq!(v["from"]["id"], "mn_olgii");
    assert!(v["no_route"].is_null());
    // The same shape with alternatives, and for no route (exit code 3).
    let o = steppe(&[
        "route",
        "Olgii",
        "Oskemen",
        "--alternatives",
        "2",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "steppe.routes.v1");
    assert_eq!(v["routes"].as_array().unwrap().len(), 2);
    let o = steppe(&[
        "route",
        "Olgii",
        "Oskemen",
        "--avoid-country",
        "RU",
        "--avoid-country",
        "CN",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["routes"].as_array().unwrap().len(), 0);
    assert!(
        v["no_route"]["reason"]
            .as_str()
            .unwrap()
            .contains("no route")
    );
}

#[test]
fn alternatives_and_pareto_print_tables() {
    let o = steppe(&["route", "Ulaanbaatar", "Almaty", "--alternatives", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("Route 3 of 3"), "{s}");
    assert!(s.contains("Summary:"), "{s}");
    let o = steppe(&["pareto", "Ulaanbaatar", "Almaty"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Pareto set (time vs cost)"));
}

#[test]
fn unknown_and_ambiguous_places_fail_with_help() {
    let o = steppe(&["route", "Olgi", "Almaty"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("did you mean Ölgii"), "{}", stderr(&o));
    let o = steppe(&["route", "Altay", "Almaty"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ambiguous"), "{}", stderr(&o));
}

#[test]
fn no_route_names_the_constraint_and_exits_3() {
    let o = steppe(&[
        "route",
        "Ulaanbaatar",
        "Almaty",
        "--avoid-country",
        "RU",
        "--avoid-country",
        "CN",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let e = stderr(&o);
    assert!(
        e.contains("no route from Ulaanbaatar to Almaty that avoids RU and CN"),
        "{e}"
    );
    assert!(
        e.contains("MN's only border crossings in this network lead to CN and RU"),
        "{e}"
    );
}

#[test]
fn bad_options_are_refused_before_any_work() {
    for args in [
        vec!["route", "Ulaanbaatar", "Almaty", "--month", "13"],
        vec!["route", "Ulaanbaatar", "Almaty", "--modes", "ship"],
        vec![
            "route",
            "Ulaanbaatar",
            "Almaty",
            "--avoid-country",
            "Russia",
        ],
        vec!["route", "Ulaanbaatar", "Almaty", "--param", "no_such=1"],
        vec!["route", "Ulaanbaatar", "Almaty", "--tonnes", "-5"],
    ] {
        let o = steppe(&args);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn an_unwritable_output_leaves_no_file() {
    let o = steppe(&["network", "export", "-o", "/nonexistent-folder/x.geojson"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
}

#[test]
fn network_info_validate_and_export() {
    let o = steppe(&["network", "info"]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(
        s.contains("Border crossings:") && s.contains("bcp_dostyk_alashankou"),
        "{s}"
    );
    let o = steppe(&["network", "validate"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("valid: embedded:mn-kz"));
    let o = steppe(&["network", "validate", "tests/fixtures/broken/unknown_mode"]);
    assert_eq!(o.status.code(), Some(1));
    let s = stdout(&o);
    assert!(
        s.contains("network.geojson:5: feature 3 (id \"ax\"): unknown mode \"ferry\""),
        "{s}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.geojson");
    let o = steppe(&["network", "export", "-o", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fc = read_collection(&path);
    assert!(fc.features.len() > 250);
    let strokes: std::collections::BTreeSet<String> = fc
        .features
        .iter()
        .filter_map(|f| {
            f.property("stroke")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
        .collect();
    assert_eq!(strokes.len(), 3, "road, rail 1520, rail 1435: {strokes:?}");
}

#[test]
fn places_filters_by_country_and_kind() {
    let o = steppe(&[
        "places",
        "--country",
        "MN",
        "--kind",
        "border_crossing",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "steppe.places.v1");
    let list = v["places"].as_array().unwrap();
    assert!(list.len() >= 8);
    assert!(list.iter().all(|p| p["kind"] == "border_crossing"));
    let o = steppe(&["places", "--kind", "hamlet"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn every_command_has_examples_in_its_help() {
    for cmd in [
        vec!["--help"],
        vec!["route", "--help"],
        vec!["pareto", "--help"],
        vec!["places", "--help"],
        vec!["network", "info", "--help"],
        vec!["network", "validate", "--help"],
        vec!["network", "export", "--help"],
    ] {
        let o = steppe(&cmd);
        assert!(o.status.success());
        assert!(stdout(&o).contains("Examples:"), "{cmd:?}");
    }
}

#[test]
fn matrix_csv_lists_every_pair_and_marks_unreachable_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.csv");
    let o = steppe(&[
        "matrix",
        "--from-country",
        "MN",
        "--to-country",
        "KZ",
        "--format",
        "csv",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "from");
    assert!(headers.iter().any(|h| h == "transit_countries"));
    let rows: Vec<_> = r.records().map(|x| x.unwrap()).collect();
    // 20 Mongolian and 14 Kazakh places (border crossings included).
    assert_eq!(rows.len(), 20 * 14);
    // Avoiding both transit countries, every pair is marked unreachable, none dropped.
    let o = steppe(&[
        "matrix",
        "--from",
        "Ulaanbaatar,Khovd",
        "--to",
        "Almaty",
        "--avoid-country",
        "RU",
        "--avoid-country",
        "CN",
        "--format",
        "csv",
    ]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert_eq!(
        s.lines().filter(|l| l.contains(",false,")).count(),
        2,
        "{s}"
    );
}

#[test]
fn isochrone_and_assignment_maps_open_as_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let iso = dir.path().join("iso.geojson");
    let o = steppe(&[
        "isochrone",
        "Ulaanbaatar",
        "--hours",
        "24,48,72",
        "--format",
        "geojson",
        "-o",
        iso.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fc = read_collection(&iso);
    let bands: Vec<_> = fc
        .features
        .iter()
        .filter(|f| f.property("type").and_then(|v| v.as_str()) == Some("band"))
        .collect();
    assert_eq!(bands.len(), 3);
    let loads = dir.path().join("loads.geojson");
    let o = steppe(&[
        "assign",
        "--format",
        "geojson",
        "-o",
        loads.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fc = read_collection(&loads);
    let widths: Vec<f64> = fc
        .features
        .iter()
        .filter_map(|f| f.property("stroke-width").and_then(|v| v.as_f64()))
        .collect();
    assert!(
        widths.iter().any(|w| *w >= 11.9) && widths.iter().any(|w| *w < 6.0),
        "{widths:?}"
    );
}

#[test]
fn a_bad_demand_file_is_refused_with_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.csv");
    std::fs::write(
        &path,
        "origin,destination,commodity,tonnes_per_year\nUlaanbaatar,Atlantis,meat,5\n",
    )
    .unwrap();
    let o = steppe(&["assign", "--demand", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("line 2: destination: unknown place \"Atlantis\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn scenario_run_compare_and_critical() {
    let o = steppe(&[
        "scenario",
        "run",
        "networks/mn-kz/scenarios/russia-transit-closed.json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains("Scenario: Transit through Russia closed")
            && s.contains("O-D pairs that changed most"),
        "{s}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diff.geojson");
    let o = steppe(&[
        "scenario",
        "run",
        "networks/mn-kz/scenarios/winter-altai-closure.json",
        "--format",
        "geojson",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fc = read_collection(&path);
    assert!(fc.features.iter().any(|f| {
        f.property("tonnes_change")
            .and_then(|v| v.as_f64())
            .is_some_and(|x| x < 0.0)
    }));
    let o = steppe(&[
        "scenario",
        "compare",
        "networks/mn-kz/scenarios/russia-transit-closed.json",
        "networks/mn-kz/scenarios/faster-borders.json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Faster border processing"));
    let o = steppe(&["critical", "--kind", "crossing", "--top", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Mongolia's fuel comes by rail through Naushki: its loss costs the demand dearly.
    assert!(stdout(&o).contains("bcp_sukhbaatar_naushki"));
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"name": "x", "edits": [{"op": "close", "id": "bcp_tashanta"}]}"#,
    )
    .unwrap();
    let o = steppe(&["scenario", "run", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no place or link has id \"bcp_tashanta\""),
        "{}",
        stderr(&o)
    );
}
