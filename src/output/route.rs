//! Writers for routes: a readable table, JSON, and GeoJSON (one LineString per link travelled,
//! a Point per border crossing and transfer).

use geo::LineString;
use geojson::{Feature, Geometry, JsonObject};
use serde_json::{Value, json};

use crate::analysis::route::{Route, Step};
use crate::cost::profile::Profile;
use crate::network::model::{Layer, Network, PlaceKind, Status};
use crate::output::geojson::{feature, insert_line_style, round};
use crate::output::table::{Table, num};

/// "road", "rail 1520", "rail 1435".
pub fn layer_label(layer: Layer) -> String {
    match layer {
        Layer::Road => "road".into(),
        Layer::Rail { gauge_mm } => format!("rail {gauge_mm}"),
    }
}

/// One row of the leg table: consecutive links of the same layer, country and route
/// reference are merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    pub kind: String,
    pub what: String,
    pub country: String,
    pub km: f64,
    pub hours: f64,
    pub bad_day_hours: f64,
    pub usd: f64,
    pub reference: String,
    /// Places passed inside a merged leg (not crossings or posts).
    pub via: Vec<String>,
}

/// The route as table rows.
pub fn legs(network: &Network, route: &Route) -> Vec<Leg> {
    let mut out: Vec<Leg> = Vec::new();
    let mut open: Option<(Layer, String, String, usize)> = None; // layer, country, ref, row
    for step in &route.steps {
        match step {
            Step::Link {
                link,
                from,
                to,
                layer,
                country,
                km,
                hours,
                usd,
                ..
            } => {
                let r = network.link(*link).route_ref.clone().unwrap_or_default();
                let c = country.to_string();
                if let Some((l, oc, or, row)) = &open
                    && l == layer
                    && *oc == c
                    && *or == r
                {
                    let leg = &mut out[*row];
                    leg.km += km;
                    leg.hours += hours;
                    leg.bad_day_hours += hours;
                    leg.usd += usd;
                    if let Some((start, end)) = leg.what.split_once(" -> ") {
                        let passed = network.place(*from);
                        if !matches!(
                            passed.kind,
                            PlaceKind::BorderCrossing | PlaceKind::BorderPost
                        ) {
                            leg.via.push(end.to_string());
                        }
                        leg.what = format!("{start} -> {}", network.place(*to).name);
                    }
                    continue;
                }
                out.push(Leg {
                    kind: layer_label(*layer),
                    what: format!(
                        "{} -> {}",
                        network.place(*from).name,
                        network.place(*to).name
                    ),
                    country: c.clone(),
                    km: *km,
                    hours: *hours,
                    bad_day_hours: *hours,
                    usd: *usd,
                    reference: r.clone(),
                    via: Vec::new(),
                });
                open = Some((*layer, c, r, out.len() - 1));
            }
            Step::Border {
                place,
                mode,
                hours,
                bad_day_hours,
                fee_usd,
            } => {
                let p = network.place(*place);
                let countries = p
                    .countries()
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(Leg {
                    kind: "border".into(),
                    what: format!("{} ({mode})", p.name),
                    country: countries,
                    km: 0.0,
                    hours: *hours,
                    bad_day_hours: *bad_day_hours,
                    usd: *fee_usd,
                    reference: String::new(),
                    via: Vec::new(),
                });
                open = None;
            }
            Step::Terminal {
                place,
                layer,
                loading,
                hours,
                usd,
            } => {
                let p = network.place(*place);
                out.push(Leg {
                    kind: if *loading { "loading" } else { "unloading" }.into(),
                    what: format!("{} at {}", layer_label(*layer), p.name),
                    country: p.country.to_string(),
                    km: 0.0,
                    hours: *hours,
                    bad_day_hours: *hours,
                    usd: *usd,
                    reference: String::new(),
                    via: Vec::new(),
                });
                open = None;
            }
            Step::Rest {
                place,
                stops,
                hours,
                usd,
            } => {
                let p = network.place(*place);
                out.push(Leg {
                    kind: "rest".into(),
                    what: format!(
                        "driver rest: {stops} daily stop{} on the road leg to {}",
                        if *stops == 1 { "" } else { "s" },
                        p.name
                    ),
                    country: String::new(),
                    km: 0.0,
                    hours: *hours,
                    bad_day_hours: *hours,
                    usd: *usd,
                    reference: String::new(),
                    via: Vec::new(),
                });
                open = None;
            }
            Step::Transfer {
                place,
                from_layer,
                to_layer,
                hours,
                bad_day_hours,
                usd,
            } => {
                let p = network.place(*place);
                let kind = if matches!(
                    (from_layer, to_layer),
                    (Layer::Rail { .. }, Layer::Rail { .. })
                ) {
                    "gauge change"
                } else {
                    "transfer"
                };
                out.push(Leg {
                    kind: kind.into(),
                    what: format!(
                        "{} -> {} at {}",
                        layer_label(*from_layer),
                        layer_label(*to_layer),
                        p.name
                    ),
                    country: p
                        .countries()
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join("/"),
                    km: 0.0,
                    hours: *hours,
                    bad_day_hours: *bad_day_hours,
                    usd: *usd,
                    reference: String::new(),
                    via: Vec::new(),
                });
                open = None;
            }
        }
    }
    out
}

/// The route as text: header, leg table, totals, per-country table, notes.
pub fn route_text(network: &Network, route: &Route, profile: &Profile, title: &str) -> String {
    let mut s = String::new();
    let from = network.place(route.from);
    let to = network.place(route.to);
    s.push_str(&format!(
        "{title}{} ({}) -> {} ({}), {}\n",
        from.name,
        from.country,
        to.name,
        to.country,
        profile.describe()
    ));
    if !route.via.is_empty() {
        let v: Vec<&str> = route
            .via
            .iter()
            .map(|v| network.place(*v).name.as_str())
            .collect();
        s.push_str(&format!("via {}\n", v.join(", ")));
    }
    s.push('\n');
    let mut t = Table::new([
        "#",
        "mode",
        "from -> to",
        "country",
        "km",
        "hours",
        "USD",
        "ref",
    ]);
    for (i, leg) in legs(network, route).iter().enumerate() {
        let hours = if (leg.bad_day_hours - leg.hours).abs() > 0.05 {
            format!(
                "{} (bad day {})",
                num(leg.hours, 1),
                num(leg.bad_day_hours, 0)
            )
        } else {
            num(leg.hours, 1)
        };
        t.row([
            (i + 1).to_string(),
            leg.kind.clone(),
            if leg.via.is_empty() {
                leg.what.clone()
            } else {
                format!("{} (via {})", leg.what, leg.via.join(", "))
            },
            leg.country.clone(),
            if leg.km > 0.0 {
                num(leg.km, 0)
            } else {
                String::new()
            },
            hours,
            num(leg.usd, 0),
            leg.reference.clone(),
        ]);
    }
    s.push_str(&t.render());
    let tt = &route.totals;
    s.push_str(&format!(
        "\nTotal: {} km, {} h typical ({} days), {} h on a bad day ({} days); USD {}; generalized USD {}\n",
        num(tt.km, 0),
        num(tt.hours, 1),
        num(tt.hours / 24.0, 1),
        num(tt.bad_day_hours, 0),
        num(tt.bad_day_hours / 24.0, 1),
        num(tt.usd, 0),
        num(tt.generalized_usd, 0)
    ));
    let crossings: Vec<String> = route
        .crossings()
        .iter()
        .map(|c| network.place(*c).name.clone())
        .collect();
    s.push_str(&format!(
        "Border crossings: {}{}; gauge changes: {}; transit countries: {}\n",
        crossings.len(),
        if crossings.is_empty() {
            String::new()
        } else {
            format!(" ({})", crossings.join(", "))
        },
        route.gauge_changes(),
        if route.transit_countries.is_empty() {
            "none".to_string()
        } else {
            route
                .transit_countries
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    ));
    s.push('\n');
    let mut c = Table::new(["country", "km", "hours", "USD"]);
    for (country, share) in &route.by_country {
        c.row([
            country.to_string(),
            num(share.km, 0),
            num(share.hours, 1),
            num(share.usd, 0),
        ]);
    }
    if route.borders.hours > 0.0 || route.borders.usd > 0.0 {
        c.row([
            "borders".to_string(),
            String::new(),
            num(route.borders.hours, 1),
            num(route.borders.usd, 0),
        ]);
    }
    s.push_str(&c.render());
    for n in &route.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s
}

fn place_json(network: &Network, ix: petgraph::stable_graph::NodeIndex) -> Value {
    let p = network.place(ix);
    json!({"id": p.id.0, "name": p.name, "country": p.country.as_str()})
}

/// The route as JSON.
pub fn route_json(network: &Network, route: &Route) -> Value {
    let steps: Vec<Value> = route
        .steps
        .iter()
        .map(|s| match s {
            Step::Link { link, from, to, layer, country, km, hours, usd, .. } => {
                let l = network.link(*link);
                json!({"type": "link", "link": l.id.0, "mode": l.mode.as_str(), "layer": layer.to_string(),
                       "from": network.place(*from).id.0, "to": network.place(*to).id.0, "country": country.as_str(),
                       "km": round(*km, 1), "hours": round(*hours, 2), "usd": round(*usd, 2), "ref": l.route_ref})
            }
            Step::Border { place, mode, hours, bad_day_hours, fee_usd } => {
                let p = network.place(*place);
                json!({"type": "border", "place": p.id.0, "name": p.name, "mode": mode.as_str(),
                       "countries": p.countries().iter().map(|c| c.as_str().to_string()).collect::<Vec<_>>(),
                       "hours": round(*hours, 2), "bad_day_hours": round(*bad_day_hours, 2), "fee_usd": round(*fee_usd, 2)})
            }
            Step::Terminal { place, layer, loading, hours, usd } => {
                let p = network.place(*place);
                json!({"type": if *loading { "loading" } else { "unloading" }, "place": p.id.0, "name": p.name,
                       "layer": layer.to_string(), "hours": round(*hours, 2), "usd": round(*usd, 2)})
            }
            Step::Rest { place, stops, hours, usd } => {
                let p = network.place(*place);
                json!({"type": "rest", "place": p.id.0, "name": p.name, "stops": stops,
                       "hours": round(*hours, 2), "usd": round(*usd, 2)})
            }
            Step::Transfer { place, from_layer, to_layer, hours, bad_day_hours, usd } => {
                let p = network.place(*place);
                json!({"type": "transfer", "place": p.id.0, "name": p.name, "from_layer": from_layer.to_string(),
                       "to_layer": to_layer.to_string(), "hours": round(*hours, 2), "bad_day_hours": round(*bad_day_hours, 2),
                       "usd": round(*usd, 2)})
            }
        })
        .collect();
    let by_country: serde_json::Map<String, Value> = route
        .by_country
        .iter()
        .map(|(c, s)| {
            (
                c.to_string(),
                json!({"km": round(s.km, 1), "hours": round(s.hours, 2), "usd": round(s.usd, 2)}),
            )
        })
        .collect();
    json!({
        "from": place_json(network, route.from),
        "to": place_json(network, route.to),
        "via": route.via.iter().map(|v| place_json(network, *v)).collect::<Vec<_>>(),
        "totals": {
            "km": round(route.totals.km, 1),
            "hours": round(route.totals.hours, 2),
            "bad_day_hours": round(route.totals.bad_day_hours, 2),
            "usd": round(route.totals.usd, 2),
            "generalized_usd": round(route.totals.generalized_usd, 2),
        },
        "border_crossings": route.crossings().iter().map(|c| network.place(*c).id.0.clone()).collect::<Vec<_>>(),
        "gauge_changes": route.gauge_changes(),
        "transit_countries": route.transit_countries.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        "by_country": by_country,
        "borders": {"hours": round(route.borders.hours, 2), "usd": round(route.borders.usd, 2)},
        "steps": steps,
        "notes": route.notes,
    })
}

/// Colours of routes 1, 2, 3... when several are drawn together (alternatives, Pareto).
pub const ROUTE_COLOURS: [&str; 8] = [
    "#d7191c", "#2c7bb6", "#1a9641", "#7b3294", "#fdae61", "#01665e", "#c51b7d", "#4d4d4d",
];

/// The JSON answer of `route` and `pareto` (schema `steppe.routes.v1`): the same shape for
/// one route, several, or none (`no_route` then says why).
pub fn routes_answer(
    network: &Network,
    from: petgraph::stable_graph::NodeIndex,
    to: petgraph::stable_graph::NodeIndex,
    request: &str,
    routes: &[Route],
    no_route: Option<&crate::analysis::route::NoRoute>,
) -> Value {
    json!({
        "schema": "steppe.routes.v1",
        "from": place_json(network, from),
        "to": place_json(network, to),
        "request": request,
        "routes": routes.iter().map(|r| route_json(network, r)).collect::<Vec<_>>(),
        "no_route": no_route.map(|n| json!({"reason": n.reason, "hints": n.hints})),
    })
}

/// Several routes as one FeatureCollection's features: each in its own colour, each with a
/// `route_total` feature (the whole line, with the route's totals).
pub fn routes_features(network: &Network, routes: &[Route]) -> Vec<Feature> {
    let many = routes.len() > 1;
    let mut out = Vec::new();
    for (i, r) in routes.iter().enumerate() {
        let rank = i + 1;
        let colour = ROUTE_COLOURS[i % ROUTE_COLOURS.len()];
        let mut lines: Vec<LineString<f64>> = Vec::new();
        for step in &r.steps {
            if let Step::Link { link, from, .. } = step {
                let l = network.link(*link);
                let (lf, _) = network
                    .graph
                    .edge_endpoints(*link)
                    .unwrap_or((*from, *from));
                let mut coords = l.geometry.0.clone();
                if lf != *from {
                    coords.reverse();
                }
                lines.push(LineString::from(coords));
            }
        }
        let mut p = JsonObject::new();
        p.insert("route".into(), json!(rank));
        p.insert("type".into(), json!("route_total"));
        p.insert(
            "name".into(),
            json!(format!(
                "Route {rank}: {} -> {}",
                network.place(r.from).name,
                network.place(r.to).name
            )),
        );
        p.insert("km".into(), json!(round(r.totals.km, 1)));
        p.insert("hours".into(), json!(round(r.totals.hours, 2)));
        p.insert(
            "bad_day_hours".into(),
            json!(round(r.totals.bad_day_hours, 2)),
        );
        p.insert("usd".into(), json!(round(r.totals.usd, 2)));
        p.insert(
            "generalized_usd".into(),
            json!(round(r.totals.generalized_usd, 2)),
        );
        p.insert(
            "crossings".into(),
            json!(
                r.crossings()
                    .iter()
                    .map(|c| network.place(*c).name.clone())
                    .collect::<Vec<_>>()
            ),
        );
        p.insert("gauge_changes".into(), json!(r.gauge_changes()));
        p.insert("stroke".into(), json!(colour));
        p.insert(
            "stroke-width".into(),
            json!(if rank == 1 { 6.0 } else { 4.0 }),
        );
        p.insert("stroke-opacity".into(), json!(0.35));
        let g = Geometry::new(geojson::GeometryValue::from(&geo::MultiLineString(lines)));
        out.push(feature(g, p));
        let mut legs = route_features(network, r, rank);
        if many {
            for f in &mut legs {
                if let Some(props) = f.properties.as_mut()
                    && props.get("type").and_then(|t| t.as_str()) == Some("link")
                {
                    props.insert("stroke".into(), json!(colour));
                }
            }
        }
        out.extend(legs);
    }
    out
}

/// The route as GeoJSON features; `rank` (1-based) tags every feature and thins the lines of
/// lower-ranked alternatives.
pub fn route_features(network: &Network, route: &Route, rank: usize) -> Vec<Feature> {
    let mut out = Vec::new();
    let width = if rank <= 1 { 5.0 } else { 3.0 };
    for (i, step) in route.steps.iter().enumerate() {
        match step {
            Step::Link {
                link,
                from,
                to,
                layer,
                country,
                km,
                hours,
                usd,
                ..
            } => {
                let l = network.link(*link);
                let (lf, _) = network.graph.edge_endpoints(*link).unwrap_or((*from, *to));
                let mut coords = l.geometry.0.clone();
                if lf != *from {
                    coords.reverse();
                }
                let mut p = JsonObject::new();
                p.insert("route".into(), json!(rank));
                p.insert("step".into(), json!(i + 1));
                p.insert("type".into(), json!("link"));
                p.insert("link".into(), json!(l.id.0));
                p.insert("mode".into(), json!(l.mode.as_str()));
                p.insert("layer".into(), json!(layer.to_string()));
                p.insert("from".into(), json!(network.place(*from).name));
                p.insert("to".into(), json!(network.place(*to).name));
                p.insert("country".into(), json!(country.as_str()));
                p.insert("km".into(), json!(round(*km, 1)));
                p.insert("hours".into(), json!(round(*hours, 2)));
                p.insert("usd".into(), json!(round(*usd, 2)));
                if let Some(r) = &l.route_ref {
                    p.insert("ref".into(), json!(r));
                }
                insert_line_style(
                    &mut p,
                    *layer,
                    if rank <= 1 {
                        Status::Existing
                    } else {
                        Status::UnderConstruction
                    },
                    width,
                );
                let g = Geometry::new(geojson::GeometryValue::from(&LineString::from(coords)));
                out.push(feature(g, p));
            }
            Step::Border {
                place,
                mode,
                hours,
                bad_day_hours,
                fee_usd,
            } => {
                let pl = network.place(*place);
                let mut p = JsonObject::new();
                p.insert("route".into(), json!(rank));
                p.insert("step".into(), json!(i + 1));
                p.insert("type".into(), json!("border"));
                p.insert("name".into(), json!(pl.name));
                p.insert("mode".into(), json!(mode.as_str()));
                p.insert("hours".into(), json!(round(*hours, 2)));
                p.insert("bad_day_hours".into(), json!(round(*bad_day_hours, 2)));
                p.insert("fee_usd".into(), json!(round(*fee_usd, 2)));
                p.insert("marker-color".into(), json!("#de2d26"));
                p.insert("marker-symbol".into(), json!("roadblock"));
                let g = Geometry::new(geojson::GeometryValue::from(&pl.position));
                out.push(feature(g, p));
            }
            Step::Transfer {
                place,
                from_layer,
                to_layer,
                hours,
                bad_day_hours,
                usd,
            } => {
                let pl = network.place(*place);
                let mut p = JsonObject::new();
                p.insert("route".into(), json!(rank));
                p.insert("step".into(), json!(i + 1));
                p.insert(
                    "type".into(),
                    json!(if matches!(
                        (from_layer, to_layer),
                        (Layer::Rail { .. }, Layer::Rail { .. })
                    ) {
                        "gauge_change"
                    } else {
                        "transfer"
                    }),
                );
                p.insert("name".into(), json!(pl.name));
                p.insert("from_layer".into(), json!(from_layer.to_string()));
                p.insert("to_layer".into(), json!(to_layer.to_string()));
                p.insert("hours".into(), json!(round(*hours, 2)));
                p.insert("bad_day_hours".into(), json!(round(*bad_day_hours, 2)));
                p.insert("usd".into(), json!(round(*usd, 2)));
                p.insert("marker-color".into(), json!("#3182bd"));
                p.insert("marker-symbol".into(), json!("warehouse"));
                let g = Geometry::new(geojson::GeometryValue::from(&pl.position));
                out.push(feature(g, p));
            }
            Step::Terminal {
                place,
                layer,
                loading,
                hours,
                usd,
            } => {
                let pl = network.place(*place);
                let mut p = JsonObject::new();
                p.insert("route".into(), json!(rank));
                p.insert("step".into(), json!(i + 1));
                p.insert(
                    "type".into(),
                    json!(if *loading { "loading" } else { "unloading" }),
                );
                p.insert("name".into(), json!(pl.name));
                p.insert("layer".into(), json!(layer.to_string()));
                p.insert("hours".into(), json!(round(*hours, 2)));
                p.insert("usd".into(), json!(round(*usd, 2)));
                p.insert("marker-color".into(), json!("#3182bd"));
                let g = Geometry::new(geojson::GeometryValue::from(&pl.position));
                out.push(feature(g, p));
            }
            Step::Rest { .. } => {}
        }
    }
    for (role, ix, colour) in [
        ("origin", route.from, "#000000"),
        ("destination", route.to, "#000000"),
    ] {
        let pl = network.place(ix);
        let mut p = JsonObject::new();
        p.insert("route".into(), json!(rank));
        p.insert("type".into(), json!(role));
        p.insert("name".into(), json!(pl.name));
        p.insert("marker-color".into(), json!(colour));
        p.insert("marker-size".into(), json!("large"));
        let g = Geometry::new(geojson::GeometryValue::from(&pl.position));
        out.push(feature(g, p));
    }
    out
}

/// Routes' legs as one CSV (a `route` column numbers them), for spreadsheets.
pub fn routes_csv(network: &Network, routes: &[Route]) -> String {
    let mut t = Table::new([
        "route",
        "step",
        "kind",
        "what",
        "country",
        "km",
        "hours",
        "bad_day_hours",
        "usd",
        "ref",
    ]);
    for (i, r) in routes.iter().enumerate() {
        for (k, leg) in legs(network, r).iter().enumerate() {
            t.row([
                (i + 1).to_string(),
                (k + 1).to_string(),
                leg.kind.clone(),
                leg.what.clone(),
                leg.country.clone(),
                format!("{:.1}", leg.km),
                format!("{:.2}", leg.hours),
                format!("{:.2}", leg.bad_day_hours),
                format!("{:.2}", leg.usd),
                leg.reference.clone(),
            ]);
        }
    }
    t.to_csv()
}
