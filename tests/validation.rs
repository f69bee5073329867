//! Loading and validation: the embedded network is clean; every broken fixture (one per rule,
//! in tests/fixtures/broken/) is rejected with a message naming what is wrong and where.

mod common;

use std::path::Path;

use steppe::Error;
use steppe::network::validate::Severity;
use steppe::network::{load_dir, load_embedded};

use common::Net;

#[test]
fn embedded_network_is_valid_large_and_sourced() {
    let n = load_embedded().expect("embedded network loads");
    assert!(n.warnings.is_empty(), "warnings: {:#?}", n.warnings);
    assert!(n.place_count() > 100, "{} places", n.place_count());
    assert!(n.link_count() > 150, "{} links", n.link_count());
    assert_eq!(n.components().len(), 1);
    for (_, p) in n.places() {
        assert!(!p.source.trim().is_empty(), "place {} has no source", p.id);
        // Coordinates carry 4 decimals at most (no invented precision).
        for v in [p.position.x(), p.position.y()] {
            assert!(
                ((v * 1e4).round() - v * 1e4).abs() < 1e-6,
                "{} has more than 4 decimals",
                p.id
            );
        }
    }
    for (_, _, _, l) in n.links() {
        assert!(!l.source.trim().is_empty(), "link {} has no source", l.id);
        assert!(l.length_km > 0.0);
    }
}

#[test]
fn embedded_network_models_gauges_by_country() {
    let n = load_embedded().unwrap();
    // The one known exception: the Shiveekhuren-Ceke cross-border line was built at 1435 mm
    // into Mongolia (May 2024), with the gauge change at the Mongolian side.
    let exceptions = ["r_shiveekhuren_bcp"];
    for (_, a, b, l) in n.links() {
        if exceptions.contains(&l.id.0.as_str()) {
            assert_eq!(l.gauge_mm, Some(1435));
            continue;
        }
        if let Some(g) = l.gauge_mm {
            let country = steppe::analysis::route::link_country(&n, a, b);
            let expected = if country.as_str() == "CN" { 1435 } else { 1520 };
            assert_eq!(g, expected, "link {} in {country} has gauge {g}", l.id);
        }
    }
}

#[test]
fn valid_fixture_loads() {
    let n = load_dir(Path::new("tests/fixtures/valid")).expect("valid fixture");
    assert_eq!(n.place_count(), 3);
    assert_eq!(n.link_count(), 2);
}

/// (fixture folder, text the error must contain, feature index it must name if any)
const BROKEN: &[(&str, &str, Option<usize>)] = &[
    ("malformed_json", "malformed JSON at line", None),
    (
        "turn_restriction_elsewhere",
        "turn_restrictions[0].to: link \"bc\" does not leave this place",
        Some(1),
    ),
    (
        "not_a_feature_collection",
        "must be a GeoJSON FeatureCollection",
        None,
    ),
    ("missing_id", "missing property `id`", Some(0)),
    ("duplicate_id", "duplicate id", Some(2)),
    (
        "link_names_no_place",
        "`to` names no place: \"bb\"; did you mean \"b\"",
        Some(4),
    ),
    ("coordinates_out_of_range", "out of range", Some(0)),
    (
        "geometry_far_from_place",
        "geometry's first point is",
        Some(3),
    ),
    (
        "negative_length",
        "`length_km` must be greater than 0",
        Some(3),
    ),
    (
        "zero_speed",
        "`speed_kmh` must be at least 1 and at most 300",
        Some(3),
    ),
    ("unknown_mode", "unknown mode \"ferry\"", Some(3)),
    (
        "unknown_road_class",
        "unknown road class \"cobbles\"",
        Some(3),
    ),
    (
        "rail_without_gauge",
        "rail link without `gauge_mm`",
        Some(3),
    ),
    (
        "crossing_one_country",
        "crossing.countries must name two different countries",
        Some(1),
    ),
    (
        "months_out_of_range",
        "months must be whole numbers 1 to 12",
        Some(1),
    ),
    ("unknown_parameter", "unknown field `fuel_price`", None),
    ("negative_parameter", "tariff_usd_per_tkm.road", None),
    (
        "border_without_crossing",
        "without a border crossing",
        Some(4),
    ),
    ("crossing_without_mode", "does not serve road", Some(3)),
    (
        "unknown_country",
        "is not an ISO 3166-1 alpha-2 code",
        Some(0),
    ),
    ("unknown_kind", "unknown kind \"village\"", Some(0)),
    (
        "unsupported_geometry",
        "geometry type Polygon is not used",
        Some(0),
    ),
    ("missing_source", "missing property `source`", Some(3)),
];

#[test]
fn every_broken_fixture_is_rejected_with_a_clear_message() {
    let dirs: Vec<_> = std::fs::read_dir("tests/fixtures/broken")
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        dirs.len(),
        BROKEN.len(),
        "every fixture folder has an expectation"
    );
    for (name, expected, feature) in BROKEN {
        let dir = Path::new("tests/fixtures/broken").join(name);
        let result = std::panic::catch_unwind(|| load_dir(&dir));
        let result = result.unwrap_or_else(|_| panic!("{name}: loading panicked"));
        let problems = match result {
            Err(Error::InvalidNetwork { problems, .. }) => problems,
            Err(other) => panic!("{name}: unexpected error kind: {other}"),
            Ok(_) => panic!("{name}: broken network was accepted"),
        };
        let hit = problems
            .iter()
            .find(|p| p.severity == Severity::Error && p.message.contains(expected))
            .unwrap_or_else(|| panic!("{name}: no error containing {expected:?} in {problems:#?}"));
        assert!(
            hit.file.ends_with(".geojson") || hit.file.ends_with(".json"),
            "{name}: names its file"
        );
        if let Some(i) = feature {
            let (index, _) = hit
                .feature
                .clone()
                .unwrap_or_else(|| panic!("{name}: names no feature"));
            assert_eq!(index, *i, "{name}: wrong feature");
            // Features are one per line after the two-line header: feature i is on line i + 2.
            assert_eq!(hit.line, Some(i + 2), "{name}: wrong line");
        }
        let text = hit.to_string();
        assert!(text.starts_with("error: "), "{name}: {text}");
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    // Two independent errors in one file: both are listed.
    let text = std::fs::read_to_string("tests/fixtures/valid/network.geojson")
        .unwrap()
        .replace("\"length_km\": 80", "\"length_km\": -1")
        .replace("\"kind\": \"city\"", "\"kind\": \"hamlet\"");
    let params = std::fs::read_to_string("tests/fixtures/valid/params.json").unwrap();
    match steppe::network::load::load_from_text("t", &text, "t.geojson", &params, "p.json") {
        Err(Error::InvalidNetwork { problems, .. }) => {
            let errors: Vec<_> = problems.iter().filter(|p| p.is_error()).collect();
            assert!(errors.len() >= 4, "expected every problem, got {errors:#?}");
        }
        other => panic!("expected invalid network, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn unreached_places_and_components_are_warnings_not_errors() {
    let n = Net::new()
        .place("a", "MN", 100.0, 48.0)
        .place("b", "MN", 100.5, 48.0)
        .place("c", "MN", 103.0, 48.0)
        .place("d", "MN", 103.5, 48.0)
        .place("lonely", "MN", 105.0, 48.0)
        .road("ab", "a", "b", 40.0)
        .road("cd", "c", "d", 40.0)
        .load();
    let text: Vec<String> = n.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        text.iter()
            .any(|w| w.contains("no link reaches this place") && w.contains("lonely")),
        "{text:#?}"
    );
    assert!(
        text.iter().any(|w| w.contains("separate component")),
        "{text:#?}"
    );
    assert!(n.warnings.iter().all(|w| w.severity == Severity::Warning));
}

#[test]
fn length_defaults_to_the_geodesic_length_of_the_geometry() {
    let mut net = Net::new()
        .place("a", "MN", 100.0, 48.0)
        .place("b", "MN", 101.0, 48.0)
        .road("ab", "a", "b", 1.0);
    // Remove length_km: the loader must compute ~74.5 km (1 degree of longitude at 48 N).
    net.features[2]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("length_km");
    let n = net.load();
    let (_, _, _, l) = n.links().next().unwrap();
    assert!(!l.length_given);
    assert!((l.length_km - 74.5).abs() < 0.5, "{}", l.length_km);
}

#[test]
fn parameters_can_be_overridden_and_unknown_keys_are_refused() {
    let n = load_embedded().unwrap();
    let p = n
        .params
        .with_overrides(&[
            "road.usd_per_vehicle_km.gravel=3.1".into(),
            "transit.CN.road.allowed=false".into(),
        ])
        .unwrap();
    assert_eq!(
        p.road.as_ref().map(|r| r.usd_per_vehicle_km.gravel),
        Some(3.1)
    );
    assert!(!p.transit["CN"].road.as_ref().unwrap().allowed);
    // A new country can be given a transit rule.
    let p = n
        .params
        .with_overrides(&["transit.KG.road.allowed=false".into()])
        .unwrap();
    assert!(!p.transit["KG"].road.as_ref().unwrap().allowed);
    let err = n
        .params
        .with_overrides(&["raod.usd_per_vehicle_km.gravel=3".into()])
        .unwrap_err();
    assert!(
        err.to_string().contains("unknown parameter `raod`"),
        "{err}"
    );
    let err = n
        .params
        .with_overrides(&["rail.services.block.speed_kmh=0".into()])
        .unwrap_err();
    assert!(
        err.to_string().contains("rail.services.block.speed_kmh"),
        "{err}"
    );
    // The commodity's value of time can be replaced by one for the whole shipment.
    let p = n
        .params
        .with_overrides(&["value_of_time_usd_per_hour=50".into()])
        .unwrap();
    assert_eq!(p.value_of_time_usd_per_hour, Some(50.0));
    let err = n
        .params
        .with_overrides(&["cargo.tonnes".into()])
        .unwrap_err();
    assert!(err.to_string().contains("key=value"), "{err}");
}
