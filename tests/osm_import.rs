//! `steppe import osm`: hand-drawn OpenStreetMap fixtures (tests/fixtures/osm/*.osm) whose
//! answers were worked out by hand, and the shared real extracts (ignored unless
//! ../shared/data exists).
//!
//! Lengths by hand use the haversine formula with the mean Earth radius R = 6371.0088 km.
//! Along a parallel, d = R x dlon(rad) x cos(lat).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use steppe::import::osm::{ImportOptions, ImportSummary, Vehicle, import};
use steppe::network::model::{Country, Layer, PlaceKind, RoadClass};
use steppe::network::{Network, load_dir};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/osm")
        .join(name)
}

fn import_to(input: &Path, dir: &Path) -> (ImportSummary, Network) {
    import_for(input, dir, Vehicle::Truck)
}

fn import_for(input: &Path, dir: &Path, vehicle: Vehicle) -> (ImportSummary, Network) {
    let summary = import(&ImportOptions {
        input: input.to_path_buf(),
        output: dir.to_path_buf(),
        bbox: None,
        boundaries: None,
        road: true,
        rail: true,
        vehicle,
        progress: false,
    })
    .unwrap_or_else(|e| panic!("import of {} failed: {e}", input.display()));
    let network = load_dir(dir).unwrap_or_else(|e| panic!("imported network does not load: {e}"));
    (summary, network)
}

fn steppe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(args)
        .output()
        .expect("runs steppe")
}

/// The route's JSON from `steppe --network DIR route A B --modes MODES --minimize distance`,
/// or `None` when steppe finds no route.
fn route_json(dir: &Path, from: &str, to: &str, modes: &str) -> Option<Value> {
    let dir = dir.to_string_lossy();
    let o = steppe(&[
        "--network",
        &dir,
        "route",
        from,
        to,
        "--modes",
        modes,
        "--minimize",
        "distance",
        "--format",
        "json",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    let v: Value = serde_json::from_str(&text).ok()?;
    let routes = v.get("routes").and_then(Value::as_array)?;
    routes.first().cloned()
}

/// The exact km of a route: the sum of its links' lengths in the network.
fn route_km(network: &Network, route: &Value) -> f64 {
    route["steps"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .filter_map(|s| s.get("link").and_then(Value::as_str))
                .filter_map(|id| network.link_by_id(id))
                .map(|e| network.link(e).length_km)
                .sum()
        })
        .unwrap_or(f64::NAN)
}

fn place<'a>(network: &'a Network, id: &str) -> &'a steppe::network::Place {
    let ix = network
        .place_by_id(id)
        .unwrap_or_else(|| panic!("no place {id}"));
    network.place(ix)
}

fn link<'a>(network: &'a Network, id: &str) -> &'a steppe::network::Link {
    let ix = network
        .link_by_id(id)
        .unwrap_or_else(|| panic!("no link {id}"));
    network.link(ix)
}

#[test]
fn a_road_over_the_russia_mongolia_border_becomes_a_crossing() {
    let dir = tempfile::tempdir().unwrap();
    let (summary, network) = import_to(&fixture("border.osm"), dir.path());
    assert_eq!(summary.crossings, 1);
    // Nodes 2 and 3 are degree-2 and collapse: places are the two ends and the crossing.
    assert_eq!(network.place_count(), 3);
    assert_eq!(network.link_count(), 2);
    let ru = Country::parse("RU").unwrap();
    let mn = Country::parse("MN").unwrap();
    assert_eq!(place(&network, "osm_n1").country, ru);
    assert_eq!(place(&network, "osm_n4").country, mn);
    let x = place(&network, "osm_x2_3");
    assert_eq!(x.kind, PlaceKind::BorderCrossing);
    assert_eq!(x.name, "Tashanta", "named from the border_control node");
    let crossing = x.crossing.as_ref().expect("a crossing object");
    assert_eq!(crossing.countries, [ru, mn]);
    assert!(crossing.road.is_some() && crossing.rail.is_none());
    // It lies where Natural Earth's border meets the 49.66 N parallel, 89.52-89.54 E.
    assert!((89.52..89.54).contains(&x.position.x()), "{:?}", x.position);
    assert!((x.position.y() - 49.66).abs() < 1e-9);
    // The source names the extract and its date.
    assert!(x.source.contains("border.osm") && x.source.contains("2026-11-01"));
    // RU:rural is 90 km/h; the class speed of paved roads in params.json caps it.
    let l = link(&network, "osm_w100_0");
    assert_eq!(l.class, Some(RoadClass::Paved));
    assert!(l.speed_kmh.is_some_and(|s| s <= 90.0));

    // 0.18 degrees of longitude at 49.66 N: 6371.0088 x 0.0031416 x 0.64724 = 12.956 km.
    let route = route_json(dir.path(), "osm_n1", "osm_n4", "road").expect("a route");
    let km = route_km(&network, &route);
    assert!((km - 12.956).abs() < 0.002, "{km}");
    assert_eq!(route["totals"]["km"].as_f64(), Some(13.0));
    assert_eq!(route["border_crossings"][0].as_str(), Some("osm_x2_3"));
}

#[test]
fn classes_chains_oneways_stations_and_broken_ways() {
    let dir = tempfile::tempdir().unwrap();
    let (summary, network) = import_to(&fixture("network.osm"), dir.path());
    // Places: road junctions 10, 13, 15; rail ends 20, 23; the station at 22.
    let mut ids: Vec<&str> = network.places().map(|(_, p)| p.id.0.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "osm_n10", "osm_n13", "osm_n15", "osm_n20", "osm_n22", "osm_n23"
        ]
    );

    // Way 200 collapses to one link that keeps its four points.
    let w200 = link(&network, "osm_w200_0");
    assert_eq!(w200.geometry.0.len(), 4);
    assert_eq!(w200.class, Some(RoadClass::Gravel), "surface=gravel");
    assert!(!w200.oneway);
    // 0.930 + 0.745 + 0.930 km.
    assert!((w200.length_km - 2.605).abs() < 0.001, "{}", w200.length_km);
    assert_eq!(link(&network, "osm_w202_0").class, Some(RoadClass::Earth));
    let w201 = link(&network, "osm_w201_0");
    assert!(w201.oneway);
    assert!((w201.length_km - 2.247).abs() < 0.001, "{}", w201.length_km);

    // Oneway: 13 -> 10 uses the short oneway (2.247 km); 10 -> 13 must take way 200.
    let there = route_json(dir.path(), "osm_n13", "osm_n10", "road").expect("route 13-10");
    assert!((route_km(&network, &there) - 2.247).abs() < 0.001);
    let back = route_json(dir.path(), "osm_n10", "osm_n13", "road").expect("route 10-13");
    assert!((route_km(&network, &back) - 2.605).abs() < 0.001);

    // The station: 1520 and 1435 meet at node 22, road node 13 is 183 m away.
    let st = place(&network, "osm_n22");
    assert_eq!(st.kind, PlaceKind::RailStation);
    assert_eq!(st.name, "Test Junction");
    let r1435 = Layer::Rail { gauge_mm: 1435 };
    let r1520 = Layer::Rail { gauge_mm: 1520 };
    let mut between: Vec<[Layer; 2]> = st.transfers.iter().map(|t| t.between).collect();
    between.sort();
    assert_eq!(
        between,
        [[Layer::Road, r1435], [Layer::Road, r1520], [r1435, r1520]]
    );
    let access = link(&network, "osm_n22_road");
    assert!(
        (access.length_km - 0.183).abs() < 0.001,
        "{}",
        access.length_km
    );
    assert_eq!(summary.gauge_changes, 1);
    // By rail from the 1520 end to the 1435 end: one gauge change at the station.
    let rail = route_json(dir.path(), "osm_n20", "osm_n23", "rail").expect("rail route");
    assert_eq!(rail["gauge_changes"].as_u64(), Some(1));

    // The siding is left out; the broken ways are skipped with warnings.
    assert!(network.link_by_id("osm_w302_0").is_none());
    assert!(
        summary
            .excluded
            .iter()
            .any(|(r, n)| r.contains("siding") && *n == 1)
    );
    let warned = |needle: &str| summary.warnings.iter().any(|w| w.contains(needle));
    assert!(warned("way 204") && warned("999"), "{:?}", summary.warnings);
    assert!(warned("way 205 has 1 node"), "{:?}", summary.warnings);
    assert!(network.link_by_id("osm_w203_0").is_none(), "footway");
    assert!(network.link_by_id("osm_w207_0").is_none(), "bollard");
    assert!(warned("1 barrier node"), "{:?}", summary.warnings);
    assert!(network.link_by_id("osm_w206_0").is_none(), "untagged");
}

#[test]
fn an_extract_s_own_country_boundaries_place_its_nodes_and_crossings() {
    let dir = tempfile::tempdir().unwrap();
    let (summary, network) = import_to(&fixture("boundary.osm"), dir.path());
    assert_eq!(summary.countries_from_extract, ["KZ (Test enclave)"]);
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.contains("relation 902 (CN") && w.contains("1 of its 2 member ways")),
        "{:?}",
        summary.warnings
    );
    let kz = Country::parse("KZ").unwrap();
    let mn = Country::parse("MN").unwrap();
    assert_eq!(place(&network, "osm_n11").country, kz, "inside the square");
    assert_eq!(
        place(&network, "osm_n10").country,
        mn,
        "the shipped polygons"
    );
    let crossings: Vec<_> = network
        .places()
        .filter(|(_, p)| p.kind == PlaceKind::BorderCrossing)
        .map(|(_, p)| p)
        .collect();
    assert_eq!(crossings.len(), 1);
    let x = crossings[0];
    let mut pair = x.crossing.as_ref().expect("a crossing").countries.to_vec();
    pair.sort();
    assert_eq!(pair, [kz, mn]);
    assert!((x.position.x() - 106.90).abs() < 1e-4, "{:?}", x.position);
    let route = route_json(dir.path(), "osm_n10", "osm_n11", "road").expect("a route");
    assert!((route_km(&network, &route) - 2.2360).abs() < 0.001);
    let crossed: Vec<&str> = route["border_crossings"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(crossed, [x.id.0.as_str()], "{route}");

    // Given polygons of their own, the extract's boundaries are not used.
    let plain = tempfile::tempdir().unwrap();
    let polygons = plain.path().join("mn.geojson");
    std::fs::write(
        &polygons,
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"iso_a2": "MN"}, "geometry": {"type": "Polygon", "coordinates": [[[106.0, 47.0], [108.0, 47.0], [108.0, 49.0], [106.0, 49.0], [106.0, 47.0]]]}}]}"#,
    )
    .unwrap();
    let out = plain.path().join("net");
    let summary = import(&ImportOptions {
        input: fixture("boundary.osm"),
        output: out.clone(),
        bbox: None,
        boundaries: Some(polygons),
        road: true,
        rail: false,
        vehicle: Vehicle::Truck,
        progress: false,
    })
    .unwrap();
    assert!(summary.countries_from_extract.is_empty());
    assert_eq!(summary.crossings, 0);
}

#[test]
fn turn_restrictions_are_kept_and_routes_obey_them() {
    let dir = tempfile::tempdir().unwrap();
    let (summary, network) = import_to(&fixture("turns.osm"), dir.path());
    let j = place(&network, "osm_n1");
    let mut turns: Vec<(&str, &str, &str)> = j
        .turn_restrictions
        .iter()
        .map(|t| (t.from.0.as_str(), t.to.0.as_str(), t.restriction.as_str()))
        .collect();
    turns.sort_unstable();
    assert_eq!(
        turns,
        [
            ("osm_w401_0", "osm_w404_0", "only_left_turn"),
            ("osm_w402_0", "osm_w403_0", "no_left_turn"),
            ("osm_w403_0", "osm_w402_0", "no_right_turn"),
        ]
    );
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.contains("1 turn restriction(s) with a way as via")),
        "{:?}",
        summary.warnings
    );
    let km = |dir: &Path, network: &Network, a: &str, b: &str| {
        let r = route_json(dir, a, b, "road").unwrap_or_else(|| panic!("route {a}-{b}"));
        route_km(network, &r)
    };
    // Hand-worked lengths (see the fixture's comment).
    let cases = [
        ("osm_n4", "osm_n3", 3.56258), // S->E: no right turn at J, round by N
        ("osm_n2", "osm_n3", 3.19611), // W->E: only left at J, round by N
        ("osm_n3", "osm_n4", 3.56258), // E->S: no left turn for trucks
        ("osm_n4", "osm_n5", 2.22390), // S->N: straight on, unrestricted
        ("osm_n4", "osm_n1", 1.11195), // ending at J by a restricted arrival
        ("osm_n1", "osm_n3", 0.74548), // starting at J: every turn is open
    ];
    for (a, b, want) in cases {
        let got = km(dir.path(), &network, a, b);
        assert!(
            (got - want).abs() < 0.001,
            "{a}->{b}: {got} km, want {want}"
        );
    }
    // Cars are exempt from relation 503 (except=motorcar): E->S goes straight through J.
    let car_dir = tempfile::tempdir().unwrap();
    let (_, car) = import_for(&fixture("turns.osm"), car_dir.path(), Vehicle::Car);
    assert_eq!(place(&car, "osm_n1").turn_restrictions.len(), 2);
    let got = km(car_dir.path(), &car, "osm_n3", "osm_n4");
    assert!((got - 1.85743).abs() < 0.001, "car E->S: {got} km");

    // The engine and Dijkstra agree on every pair of places.
    use steppe::analysis::matrix::{matrix, matrix_by_sweeps, matrix_on_engine};
    use steppe::cost::profile::{Objective, Profile};
    use steppe::graph::Weights;
    use steppe::graph::engine::Engine;
    let engine = Engine::build(&network).unwrap();
    let mut profile = Profile::new(network.params.clone());
    profile.objective = Objective::Distance;
    let w = Weights::compile(&network, &engine.graph, &profile);
    let places: Vec<_> = network.places().map(|(ix, _)| ix).collect();
    let fast = matrix_on_engine(&network, &engine, &w, &places, &places).unwrap();
    let swept = matrix_by_sweeps(&network, &engine, &w, &places, &places).unwrap();
    let slow = matrix(&network, &engine.graph, &w, &places, &places);
    for ((a, b), c) in fast.cells.iter().zip(&slow.cells).zip(&swept.cells) {
        let km = |x: &Option<steppe::analysis::matrix::Cell>| x.as_ref().map(|c| c.weight);
        assert_eq!(km(a), km(b));
        assert_eq!(km(c), km(b));
    }
    // S->E by the sweeps: the detour round by N, 3.56258 km.
    let ix = |id: &str| {
        places
            .iter()
            .position(|p| network.graph[*p].id.0 == id)
            .unwrap()
    };
    let cell = swept.cells[ix("osm_n4") * places.len() + ix("osm_n3")]
        .as_ref()
        .expect("a cell");
    assert!((cell.km - 3.56258).abs() < 0.001, "{}", cell.km);
}

#[test]
fn the_command_writes_a_folder_every_command_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("net");
    let o = steppe(&[
        "import",
        "osm",
        &fixture("network.osm").to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
        "--modes",
        "road",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Imported"));
    assert!(out.join("params.json").is_file());
    let v = steppe(&["network", "validate", &out.to_string_lossy()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    let network = load_dir(&out).unwrap();
    assert!(network.links().all(|(_, _, _, l)| l.layer() == Layer::Road));
    // A file that is not OSM is an error naming the file, not a panic.
    let bad = dir.path().join("bad.osm");
    std::fs::write(&bad, "<osm><node id='x'/></osm>").unwrap();
    let o = steppe(&[
        "import",
        "osm",
        &bad.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.osm"));
}

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(name)
}

#[test]
#[ignore = "needs ../shared/data"]
fn andorra_and_monaco_import_and_route() {
    for name in ["gh-andorra.osm.pbf", "osrm-monaco.osm.pbf"] {
        let dir = tempfile::tempdir().unwrap();
        let (summary, network) = import_to(&shared(name), dir.path());
        assert!(
            network.place_count() > 1000,
            "{name}: {}",
            network.place_count()
        );
        assert!(
            summary.timestamp.is_some(),
            "{name}: the PBF header has a date"
        );
        // The largest component holds most places, and a route crosses it.
        let comps = network.components();
        assert!(comps[0].len() * 10 > network.place_count() * 9, "{name}");
        let a = network.place(comps[0][0]).id.0.clone();
        let b = network.place(comps[0][comps[0].len() - 1]).id.0.clone();
        let route = route_json(dir.path(), &a, &b, "road");
        assert!(route.is_some(), "{name}: {a} -> {b}");
    }
}

#[test]
fn coordinates_snap_to_the_nearest_place_of_the_requested_modes() {
    use steppe::network::model::Mode;
    use steppe::network::names::resolve_for_modes;
    let dir = tempfile::tempdir().unwrap();
    let (_, network) = import_to(&fixture("network.osm"), dir.path());
    // Node 13 itself by road; by rail the nearest rail place is the station, 183 m away.
    let at13 = "47.900,106.930";
    let road = resolve_for_modes(&network, at13, &[Mode::Road]).unwrap();
    assert_eq!(network.place(road).id.0, "osm_n13");
    let rail = resolve_for_modes(&network, at13, &[Mode::Rail]).unwrap();
    assert_eq!(network.place(rail).id.0, "osm_n22");
    // Through the binary: the route from a point near node 10 to node 13, with the snap on
    // stderr and the route itself that of the named places (way 200, 2.605 km).
    let d = dir.path().to_string_lossy();
    let o = steppe(&[
        "--network",
        &d,
        "route",
        "47.9001,106.9001",
        "osm_n13",
        "--modes",
        "road",
        "--minimize",
        "distance",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    // 0.0001 degrees of latitude (11.1 m) and of longitude at 47.9 N (7.5 m): 13.4 m.
    assert!(
        err.contains("snapped 0.013 km to") && err.contains("osm_n10"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!((route_km(&network, &v["routes"][0]) - 2.605).abs() < 0.001);
}

#[test]
fn the_binary_copy_loads_the_same_network_and_a_stale_one_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let (_, from_cache) = import_to(&fixture("network.osm"), dir.path());
    let bin = dir.path().join("network.bin");
    assert!(bin.is_file(), "the import writes network.bin");
    // The same network as from the GeoJSON alone.
    let plain = tempfile::tempdir().unwrap();
    for f in ["network.geojson", "params.json"] {
        std::fs::copy(dir.path().join(f), plain.path().join(f)).unwrap();
    }
    let from_geojson = load_dir(plain.path()).unwrap();
    let places = |n: &Network| {
        let mut v: Vec<steppe::network::Place> = n.places().map(|(_, p)| p.clone()).collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    };
    let links = |n: &Network| {
        let mut v: Vec<(String, String, steppe::network::Link)> = n
            .links()
            .map(|(_, a, b, l)| (n.place(a).id.0.clone(), n.place(b).id.0.clone(), l.clone()))
            .collect();
        v.sort_by(|a, b| a.2.id.cmp(&b.2.id));
        v
    };
    assert_eq!(places(&from_cache), places(&from_geojson));
    assert_eq!(links(&from_cache), links(&from_geojson));
    assert_eq!(from_cache.warnings, from_geojson.warnings);

    // An edited GeoJSON makes the copy stale: said on stderr, and the GeoJSON wins.
    let geo = dir.path().join("network.geojson");
    let text = std::fs::read_to_string(&geo).unwrap();
    std::fs::write(&geo, text.replace("Test Junction", "Renamed Junction")).unwrap();
    let d = dir.path().to_string_lossy();
    let o = steppe(&["--network", &d, "places", "--format", "json"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("network.bin is stale"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Renamed Junction"));
    // A damaged copy is ignored too, never a panic.
    std::fs::write(&bin, b"STEPPEBN garbage").unwrap();
    let o = steppe(&["--network", &d, "places"]);
    assert!(o.status.success());
}
