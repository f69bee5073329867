//! `steppe serve` as its users meet it: a server on a loopback port, asked over HTTP, its
//! answers checked against OSRM's documented shapes and against the command line.

#[path = "support/http.rs"]
mod http;

use http::{Server, cli_json};
use serde_json::Value;

/// `lon,lat` of a place, as the server lists it.
fn lonlat(s: &Server, name: &str) -> String {
    let (_, places) = s.get(&format!("/v1/places?q={name}"));
    let p = places["places"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} is listed"));
    format!("{},{}", p["lon"], p["lat"])
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn osrm_route_has_osrms_shape_and_the_clis_figures() {
    let s = Server::start(&[]);
    let (ub, al) = (lonlat(&s, "Ulaanbaatar"), lonlat(&s, "Almaty"));
    let (status, v) = s.get(&format!(
        "/route/v1/driving/{ub};{al}?overview=full&geometries=geojson&steps=true&annotations=true"
    ));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["code"], "Ok");
    let r = &v["routes"][0];
    let cli = cli_json(&[
        "route",
        "Ulaanbaatar",
        "Almaty",
        "--modes",
        "road",
        "--minimize",
        "time",
        "--format",
        "json",
    ]);
    let t = &cli["routes"][0]["totals"];
    assert!(close(
        r["duration"].as_f64().unwrap() / 3600.0,
        t["hours"].as_f64().unwrap(),
        0.006
    ));
    assert!(close(
        r["distance"].as_f64().unwrap() / 1000.0,
        t["km"].as_f64().unwrap(),
        0.051
    ));
    assert_eq!(r["weight_name"], "duration");
    assert_eq!(r["geometry"]["type"], "LineString");
    assert!(r["geometry"]["coordinates"].as_array().unwrap().len() > 10);
    let legs = r["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 1);
    let leg_s: f64 = legs[0]["duration"].as_f64().unwrap();
    assert!(close(leg_s, r["duration"].as_f64().unwrap(), 1.0));
    let steps = legs[0]["steps"].as_array().unwrap();
    assert_eq!(steps[0]["maneuver"]["type"], "depart");
    assert_eq!(steps.last().unwrap()["maneuver"]["type"], "arrive");
    let ann = &legs[0]["annotation"];
    let ann_m: f64 = ann["distance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!(
        close(ann_m, r["distance"].as_f64().unwrap(), 50.0),
        "{ann_m}"
    );
    // steppe's extras ride along.
    assert_eq!(r["steppe"]["totals"], cli["routes"][0]["totals"]);
    assert!(r["steppe"]["by_country"]["MN"].is_object());
    let w = v["waypoints"].as_array().unwrap();
    assert_eq!(w.len(), 2);
    assert_eq!(w[0]["name"], "Ulaanbaatar");
    assert_eq!(w[1]["name"], "Almaty");
    assert!(w[0]["distance"].as_f64().unwrap() < 1.0);
    assert_eq!(w[0]["location"].as_array().unwrap().len(), 2);
}

#[test]
fn osrm_route_geometries_overview_and_via_legs() {
    let s = Server::start(&[]);
    let (ub, kh, al) = (
        lonlat(&s, "Ulaanbaatar"),
        lonlat(&s, "Khovd"),
        lonlat(&s, "Almaty"),
    );
    let (_, v) = s.get(&format!("/route/v1/freight/{ub};{al}"));
    assert!(
        v["routes"][0]["geometry"].is_string(),
        "polyline by default"
    );
    let (_, v6) = s.get(&format!(
        "/route/v1/freight/{ub};{al}?geometries=polyline6&overview=full"
    ));
    assert!(
        v6["routes"][0]["geometry"].as_str().unwrap().len()
            > v["routes"][0]["geometry"].as_str().unwrap().len()
    );
    let (_, none) = s.get(&format!("/route/v1/freight/{ub};{al}?overview=false"));
    assert!(none["routes"][0].get("geometry").is_none());
    // A coordinate a few km off a place snaps to it and says how far.
    let (_, off) = s.get(&format!(
        "/route/v1/driving/106.95,47.95;{al}?overview=false"
    ));
    assert_eq!(off["waypoints"][0]["name"], "Ulaanbaatar");
    assert!(off["waypoints"][0]["distance"].as_f64().unwrap() > 1000.0);
    // Three coordinates: two legs, adding up to the route, equal to the CLI's --via route.
    let (_, via) = s.get(&format!("/route/v1/driving/{ub};{kh};{al}?overview=false"));
    let r = &via["routes"][0];
    let legs = r["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2);
    let sum: f64 = legs.iter().map(|l| l["duration"].as_f64().unwrap()).sum();
    assert!(
        close(sum, r["duration"].as_f64().unwrap(), 1.0),
        "{sum} vs {}",
        r["duration"]
    );
    let cli = cli_json(&[
        "route",
        "Ulaanbaatar",
        "Almaty",
        "--via",
        "Khovd",
        "--modes",
        "road",
        "--minimize",
        "time",
        "--format",
        "json",
    ]);
    assert_eq!(r["steppe"]["totals"], cli["routes"][0]["totals"]);
    // Alternatives.
    let (_, alt) = s.get(&format!(
        "/route/v1/freight/{ub};{al}?alternatives=2&overview=false"
    ));
    let n = alt["routes"].as_array().unwrap().len();
    assert!((1..=3).contains(&n));
    // Same place twice: a route of nothing, not an error.
    let (status, same) = s.get(&format!("/route/v1/driving/{ub};{ub}"));
    assert_eq!(status, 200, "{same}");
    assert_eq!(same["routes"][0]["distance"], 0.0);
}

#[test]
fn osrm_table_equals_routes_and_nearest_lists_places() {
    let s = Server::start(&[]);
    let names = ["Ulaanbaatar", "Khovd", "Almaty"];
    let coords: Vec<String> = names.iter().map(|n| lonlat(&s, n)).collect();
    let (status, t) = s.get(&format!(
        "/table/v1/driving/{}?annotations=duration,distance",
        coords.join(";")
    ));
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["code"], "Ok");
    let d = t["durations"].as_array().unwrap();
    assert_eq!(d.len(), 3);
    for (i, row) in d.iter().enumerate() {
        assert_eq!(row.as_array().unwrap().len(), 3);
        assert_eq!(row[i], 0.0);
    }
    let cli = cli_json(&[
        "route",
        "Ulaanbaatar",
        "Almaty",
        "--modes",
        "road",
        "--minimize",
        "time",
        "--format",
        "json",
    ]);
    let hours = cli["routes"][0]["totals"]["hours"].as_f64().unwrap();
    assert!(close(d[0][2].as_f64().unwrap() / 3600.0, hours, 0.006));
    let km = cli["routes"][0]["totals"]["km"].as_f64().unwrap();
    assert!(close(
        t["distances"][0][2].as_f64().unwrap() / 1000.0,
        km,
        0.051
    ));
    assert_eq!(t["sources"][2]["name"], "Almaty");
    let (_, sub) = s.get(&format!(
        "/table/v1/driving/{}?sources=0&destinations=1;2",
        coords.join(";")
    ));
    assert_eq!(sub["durations"].as_array().unwrap().len(), 1);
    assert_eq!(sub["durations"][0].as_array().unwrap().len(), 2);
    assert!(sub.get("distances").is_none());
    assert_eq!(sub["durations"][0][1], d[0][2]);

    let (status, n) = s.get(&format!("/nearest/v1/rail/{}?number=3", coords[0]));
    assert_eq!(status, 200, "{n}");
    let w = n["waypoints"].as_array().unwrap();
    assert_eq!(w.len(), 3);
    let ds: Vec<f64> = w.iter().map(|x| x["distance"].as_f64().unwrap()).collect();
    assert!(ds.windows(2).all(|p| p[0] <= p[1]), "{ds:?}");
}

#[test]
fn native_answers_equal_the_command_line() {
    let s = Server::start(&[]);
    for (query, args) in [
        ("from=Ulaanbaatar&to=Almaty", vec![]),
        (
            "from=Olgii&to=Oskemen&modes=road&month=7",
            vec!["--modes", "road", "--month", "7"],
        ),
        (
            "from=Ulaanbaatar&to=Almaty&alternatives=3",
            vec!["--alternatives", "3"],
        ),
        (
            "from=Olgii&to=Oskemen&via=Khovd&minimize=time",
            vec!["--via", "Khovd", "--minimize", "time"],
        ),
        (
            "from=Ulaanbaatar&to=Almaty&modes=rail&avoid_country=RU",
            vec!["--modes", "rail", "--avoid-country", "RU"],
        ),
    ] {
        let (status, v) = s.get(&format!("/v1/route?{query}"));
        assert_eq!(status, 200, "{query}: {v}");
        let p: Vec<&str> = query.split('&').collect();
        let from = p[0].trim_start_matches("from=");
        let to = p[1].trim_start_matches("to=");
        let mut cli_args = vec!["route", from, to, "--format", "json"];
        cli_args.extend(args.iter());
        assert_eq!(v, cli_json(&cli_args), "{query}");
    }
    let (_, get) = s.get("/v1/route?from=Ulaanbaatar&to=Almaty&modes=road&avoid_country=CN");
    let (status, post) = s.post(
        "/v1/route",
        r#"{"from": "Ulaanbaatar", "to": "Almaty", "modes": "road", "avoid_country": ["CN"]}"#,
    );
    assert_eq!(status, 200);
    assert_eq!(get, post);
    let (_, gj) = s.get("/v1/route?from=Ulaanbaatar&to=Almaty&format=geojson");
    assert_eq!(gj["type"], "FeatureCollection");

    let (_, places) = s.get("/v1/places?country=KZ");
    assert_eq!(
        places,
        cli_json(&["places", "--country", "KZ", "--format", "json"])
    );
    let (_, all) = s.get("/v1/places");
    assert_eq!(all, cli_json(&["places", "--format", "json"]));

    let (status, p) = s.get("/v1/pareto?from=Ulaanbaatar&to=Almaty&modes=rail");
    assert_eq!(status, 200, "{p}");
    assert_eq!(
        p,
        cli_json(&[
            "pareto",
            "Ulaanbaatar",
            "Almaty",
            "--modes",
            "rail",
            "--format",
            "json"
        ])
    );
    let (status, iso) = s.get("/v1/isochrone?from=Ulaanbaatar&hours=24,48&modes=road");
    assert_eq!(status, 200, "{iso}");
    assert_eq!(
        iso,
        cli_json(&[
            "isochrone",
            "Ulaanbaatar",
            "--hours",
            "24,48",
            "--modes",
            "road",
            "--format",
            "geojson"
        ])
    );

    let file = format!(
        "{}/networks/mn-kz/scenarios/faster-borders.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let (status, sc) = s.post(
        "/v1/scenario?modes=road,rail",
        &std::fs::read_to_string(&file).unwrap(),
    );
    assert_eq!(status, 200, "{sc}");
    assert_eq!(
        sc,
        cli_json(&[
            "scenario",
            "run",
            &file,
            "--modes",
            "road,rail",
            "--format",
            "json"
        ])
    );
    let (status, cr) = s.get("/v1/critical?kind=crossing");
    assert_eq!(status, 200, "{cr}");
    assert_eq!(
        cr,
        cli_json(&["critical", "--kind", "crossing", "--format", "json"])
    );
    let (status, pr) = s.get("/v1/propose?mode=rail&top=3&budget_usd=3000000000");
    assert_eq!(status, 200, "{pr}");
    assert_eq!(
        pr,
        cli_json(&[
            "propose",
            "--mode",
            "rail",
            "--top",
            "3",
            "--budget-usd",
            "3000000000",
            "--format",
            "json"
        ])
    );
    let (status, v) = s.post(
        "/v1/scenario",
        r#"{"name": "x", "edits": [{"op": "demand", "file": "/etc/passwd"}]}"#,
    );
    assert_eq!(
        (status, v["parameter"].as_str()),
        (400, Some("edits[0].file"))
    );

    let (status, m) = s.get("/v1/matrix?from=Ulaanbaatar,Olgii&to=Almaty,Astana&modes=road");
    assert_eq!(status, 200, "{m}");
    assert_eq!(
        m,
        cli_json(&[
            "matrix",
            "--from",
            "Ulaanbaatar,Olgii",
            "--to",
            "Almaty,Astana",
            "--modes",
            "road",
            "--format",
            "json"
        ])
    );
}

fn error(s: &Server, path: &str) -> (u16, Value) {
    let (status, v) = s.get(path);
    assert!(
        v["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{path}: {v}"
    );
    (status, v)
}

#[test]
fn errors_are_json_and_name_what_to_fix() {
    let s = Server::start(&["--max-route-coordinates", "5"]);
    let ub = lonlat(&s, "Ulaanbaatar");
    let cases: [(&str, &str, Option<&str>); 11] = [
        ("/route/v1/bicycle/1,2;3,4", "InvalidValue", Some("profile")),
        (
            "/route/v1/driving/1,2;x,y",
            "InvalidValue",
            Some("coordinates"),
        ),
        (
            "/route/v1/driving/1,2;3,4;5,6;7,8;9,10;11,12",
            "TooBig",
            Some("coordinates"),
        ),
        (
            "/route/v1/driving/1,2;3,4?colour=red",
            "InvalidQuery",
            Some("colour"),
        ),
        (
            "/route/v1/driving/1,2;3,4?geometries=wkt",
            "InvalidValue",
            Some("geometries"),
        ),
        (
            "/table/v1/driving/1,2;3,4?sources=7",
            "InvalidValue",
            Some("sources"),
        ),
        (
            "/v1/route?from=Ulanbatar&to=Almaty",
            "InvalidValue",
            Some("from"),
        ),
        (
            "/v1/route?from=Ulaanbaatar&to=Almaty&month=13",
            "InvalidValue",
            Some("month"),
        ),
        ("/v1/route?from=Ulaanbaatar", "InvalidValue", Some("to")),
        ("/v1/places?kind=castle", "InvalidValue", Some("kind")),
        ("/no/such/service", "InvalidUrl", None),
    ];
    for (path, code, parameter) in cases {
        let (status, v) = error(&s, path);
        assert_eq!(status, 400, "{path}: {v}");
        assert_eq!(v["code"], code, "{path}: {v}");
        assert_eq!(v["parameter"].as_str(), parameter, "{path}: {v}");
    }
    let (_, v) = s.get("/v1/route?from=Ulanbatar&to=Almaty");
    assert!(
        v["message"].as_str().unwrap().contains("did you mean"),
        "{v}"
    );
    // A route no mode can take: OSRM's NoRoute; natively an answer with `no_route`.
    let (_, v) = s.get("/v1/route?from=Ulaanbaatar&to=Almaty&avoid_country=KZ");
    assert_eq!(v["code"], "InvalidQuery", "{v}");
    let (status, v) = s.post("/v1/route", "[1, 2]");
    assert_eq!((status, v["code"].as_str()), (400, Some("InvalidQuery")));
    // Too large a body.
    let big = format!(r#"{{"from": "{}"}}"#, "x".repeat(2 << 20));
    let (status, _, body) = http::request(s.addr, "POST", "/v1/route", Some(big.as_bytes()));
    assert_eq!(status, 413);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (v["code"].as_str(), v["parameter"].as_str()),
        (Some("TooBig"), Some("body"))
    );
    let (status, v) = s.get("/v1/isochrone?from=Ulaanbaatar&hours=-3");
    assert_eq!((status, v["parameter"].as_str()), (400, Some("hours")));
    // The server is still there.
    let (status, _) = s.get(&format!("/nearest/v1/driving/{ub}"));
    assert_eq!(status, 200);
}

#[test]
fn map_page_and_assets_are_built_in() {
    let s = Server::start(&[]);
    let (status, head, body) = s.get_text("/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"));
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("/vendor/leaflet.js") && page.contains("/app.js"));
    assert!(
        !page.contains("://unpkg") && !page.contains("cdn"),
        "no CDN"
    );
    for path in [
        "/app.js",
        "/vendor/leaflet.js",
        "/vendor/leaflet.css",
        "/vendor/LICENSE-leaflet.txt",
    ] {
        let (status, _, body) = s.get_text(path);
        assert_eq!(status, 200, "{path}");
        assert!(body.len() > 100, "{path}");
    }
    let (_, countries) = s.get("/v1/basemap/countries");
    assert_eq!(countries["type"], "FeatureCollection");
    let (_, net) = s.get("/v1/network");
    assert!(net["features"].as_array().unwrap().len() > 100);
}

#[test]
fn answers_in_parallel_and_stops_on_sigterm() {
    let s = Server::start(&[]);
    let ub = lonlat(&s, "Ulaanbaatar");
    let al = lonlat(&s, "Almaty");
    let addr = s.addr;
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let path = if i % 2 == 0 {
                format!("/route/v1/freight/{ub};{al}?overview=false")
            } else {
                "/v1/route?from=Olgii&to=Astana&alternatives=2".to_string()
            };
            std::thread::spawn(move || {
                (0..10)
                    .map(|_| http::request(addr, "GET", &path, None).0)
                    .filter(|&st| st == 200)
                    .count()
            })
        })
        .collect();
    let ok: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(ok, 80);
    let mut s = s;
    let pid = s.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "exit after SIGTERM: {status}");
            break;
        }
        assert!(
            start.elapsed().as_secs() < 10,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_search_past_the_time_limit_is_answered_with_timeout() {
    let s = Server::start(&["--query-timeout", "0.001"]);
    let (_, places) = s.get("/v1/places");
    let coords: Vec<String> = places["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{},{}", p["lon"], p["lat"]))
        .collect();
    let (status, v) = s.get(&format!("/table/v1/freight/{}", coords.join(";")));
    assert_eq!(status, 504, "{v}");
    assert_eq!(v["code"], "Timeout");
    let (status, _) = s.get("/v1/health");
    assert_eq!(status, 200);
}
