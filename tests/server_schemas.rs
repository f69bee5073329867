//! Real answers of `steppe serve` validated against the JSON Schemas in `schemas/`.

#[path = "support/http.rs"]
mod http;

use http::Server;
use serde_json::Value;

fn schema(name: &str) -> jsonschema::Validator {
    let path = format!("{}/schemas/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    jsonschema::validator_for(&v).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check(validator: &jsonschema::Validator, what: &str, v: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn native_and_osrm_answers_fit_their_schemas() {
    let s = Server::start(&[]);
    let routes = schema("steppe.routes.v1");
    for q in [
        "from=Ulaanbaatar&to=Almaty",
        "from=Ulaanbaatar&to=Almaty&alternatives=3&modes=rail",
        "from=Olgii&to=Oskemen&via=Khovd&month=7",
        "from=106.95,47.95&to=Almaty",
        "from=Ulaanbaatar&to=Almaty&modes=road&avoid_country=CN&avoid_country=RU",
    ] {
        let (status, v) = s.get(&format!("/v1/route?{q}"));
        assert_eq!(status, 200, "{q}: {v}");
        check(&routes, q, &v);
    }
    let (_, places) = s.get("/v1/places");
    check(&schema("steppe.places.v1"), "places", &places);
    let (_, m) = s.get("/v1/matrix?from_country=MN&to_country=KZ");
    check(&schema("steppe.matrix.v1"), "matrix", &m);

    let (status, iso) = s.get("/v1/isochrone?from=Ulaanbaatar&hours=24,48,72");
    assert_eq!(status, 200);
    check(&schema("steppe.isochrone.v1"), "isochrone", &iso);
    let (status, cr) = s.get("/v1/critical");
    assert_eq!(status, 200);
    check(&schema("steppe.critical.v1"), "critical", &cr);
    let (status, pr) = s.get("/v1/propose?top=3&budget_usd=3000000000");
    assert_eq!(status, 200);
    check(&schema("steppe.propose.v1"), "propose", &pr);
    let scenarios = schema("steppe.scenario.v1");
    let dir = format!("{}/networks/mn-kz/scenarios", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let body = std::fs::read_to_string(&path).unwrap();
        if body.contains("\"file\"") {
            continue; // the server reads no files for a client
        }
        let (status, v) = s.post("/v1/scenario", &body);
        assert_eq!(status, 200, "{}: {v}", path.display());
        check(&scenarios, &path.display().to_string(), &v);
    }

    let (_, p) = s.get("/v1/places?q=Ulaanbaatar");
    let ub = format!("{},{}", p["places"][0]["lon"], p["places"][0]["lat"]);
    let (_, p) = s.get("/v1/places?q=Almaty");
    let al = format!("{},{}", p["places"][0]["lon"], p["places"][0]["lat"]);
    let osrm_route = schema("osrm.route.v1");
    for q in [
        "",
        "?geometries=geojson&overview=full&steps=true",
        "?alternatives=true",
    ] {
        let (_, v) = s.get(&format!("/route/v1/freight/{ub};{al}{q}"));
        check(&osrm_route, q, &v);
    }
    let (_, t) = s.get(&format!(
        "/table/v1/rail/{ub};{al}?annotations=duration,distance"
    ));
    check(&schema("osrm.table.v1"), "table", &t);

    let errors = schema("steppe.error.v1");
    for path in [
        "/v1/route?from=Nowhere&to=Almaty",
        "/route/v1/boat/1,2;3,4",
        "/nope",
        "/v1/matrix?from=Olgii&to=Almaty&minimize=fast",
    ] {
        let (status, v) = s.get(path);
        assert_eq!(status, 400, "{path}");
        check(&errors, path, &v);
    }
}
