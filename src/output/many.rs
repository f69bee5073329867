//! Writers for many-place answers: matrices (table, CSV, JSON), isochrones (table, GeoJSON)
//! and assignments (table, CSV, JSON, GeoJSON with loads).

use geojson::{Geometry, JsonObject};
use serde_json::{Value, json};

use crate::analysis::assign::Assignment;
use crate::analysis::isochrone::{BudgetKind, Isochrone};
use crate::analysis::matrix::Matrix;
use crate::network::model::Network;
use crate::output::geojson::{collection, feature, insert_line_style, round, to_text};
use crate::output::table::{Table, num};

fn transit_text(c: &[crate::network::model::Country]) -> String {
    c.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Long-form matrix as a table.
pub fn matrix_table(network: &Network, m: &Matrix) -> String {
    let mut t = Table::new([
        "from",
        "to",
        "km",
        "hours",
        "bad-day h",
        "USD",
        "generalized",
        "crossings",
        "transit",
    ]);
    for (i, o) in m.origins.iter().enumerate() {
        for (j, d) in m.destinations.iter().enumerate() {
            if o == d {
                continue;
            }
            let (from, to) = (
                network.place(*o).name.clone(),
                network.place(*d).name.clone(),
            );
            match m.get(i, j) {
                Some(c) => t.row([
                    from,
                    to,
                    num(c.km, 0),
                    num(c.hours, 1),
                    num(c.bad_day_hours, 0),
                    num(c.usd, 0),
                    num(c.generalized_usd, 0),
                    c.crossings.to_string(),
                    transit_text(&c.transit),
                ]),
                None => t.row([
                    from,
                    to,
                    "no route".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]),
            }
        }
    }
    t.render()
}

/// Long-form matrix as CSV: one row per pair; unreachable pairs have `reachable=false` and
/// empty figures.
pub fn matrix_csv(network: &Network, m: &Matrix) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "from",
        "to",
        "from_name",
        "to_name",
        "reachable",
        "km",
        "hours",
        "bad_day_hours",
        "usd",
        "generalized_usd",
        "crossings",
        "gauge_changes",
        "transit_countries",
    ]);
    for (i, o) in m.origins.iter().enumerate() {
        for (j, d) in m.destinations.iter().enumerate() {
            if o == d {
                continue;
            }
            let (po, pd) = (network.place(*o), network.place(*d));
            let mut row = vec![
                po.id.0.clone(),
                pd.id.0.clone(),
                po.name.clone(),
                pd.name.clone(),
            ];
            match m.get(i, j) {
                Some(c) => row.extend([
                    "true".into(),
                    format!("{:.1}", c.km),
                    format!("{:.2}", c.hours),
                    format!("{:.2}", c.bad_day_hours),
                    format!("{:.2}", c.usd),
                    format!("{:.2}", c.generalized_usd),
                    c.crossings.to_string(),
                    c.gauge_changes.to_string(),
                    transit_text(&c.transit),
                ]),
                None => row.extend([
                    "false".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]),
            }
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Matrix as JSON: places and a list of cells.
pub fn matrix_json(network: &Network, m: &Matrix) -> Value {
    let ids = |v: &[petgraph::stable_graph::NodeIndex]| {
        v.iter()
            .map(|p| network.place(*p).id.0.clone())
            .collect::<Vec<_>>()
    };
    let mut cells = Vec::new();
    for (i, o) in m.origins.iter().enumerate() {
        for (j, d) in m.destinations.iter().enumerate() {
            if o == d {
                continue;
            }
            let base = json!({"from": network.place(*o).id.0, "to": network.place(*d).id.0});
            let mut v = base;
            match m.get(i, j) {
                Some(c) => {
                    v["reachable"] = json!(true);
                    v["km"] = json!(round(c.km, 1));
                    v["hours"] = json!(round(c.hours, 2));
                    v["bad_day_hours"] = json!(round(c.bad_day_hours, 2));
                    v["usd"] = json!(round(c.usd, 2));
                    v["generalized_usd"] = json!(round(c.generalized_usd, 2));
                    v["crossings"] = json!(c.crossings);
                    v["gauge_changes"] = json!(c.gauge_changes);
                    v["transit_countries"] =
                        json!(c.transit.iter().map(|c| c.to_string()).collect::<Vec<_>>());
                }
                None => v["reachable"] = json!(false),
            }
            cells.push(v);
        }
    }
    json!({"origins": ids(&m.origins), "destinations": ids(&m.destinations), "cells": cells})
}

fn unit(kind: BudgetKind) -> &'static str {
    match kind {
        BudgetKind::Hours => "h",
        BudgetKind::Usd => "USD",
    }
}

/// Isochrone as a table: places per band, by country.
pub fn isochrone_table(network: &Network, iso: &Isochrone) -> String {
    let mut s = format!(
        "Reachable from {} ({}):\n",
        network.place(iso.origin).name,
        network.place(iso.origin).country
    );
    for (b, band) in iso.bands.iter().enumerate() {
        let mut by_country: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for r in iso.places.iter().filter(|r| r.band == b) {
            let p = network.place(r.place);
            by_country
                .entry(p.country.to_string())
                .or_default()
                .push(format!("{} {}", p.name, num(r.amount, 0)));
        }
        let lower = if b == 0 { 0.0 } else { iso.bands[b - 1].budget };
        s.push_str(&format!(
            "\n{} to {} {}:\n",
            num(lower, 0),
            num(band.budget, 0),
            unit(iso.kind)
        ));
        if by_country.is_empty() {
            s.push_str("  (nothing new)\n");
        }
        for (c, list) in by_country {
            s.push_str(&format!("  {c}: {}\n", list.join(", ")));
        }
    }
    s
}

/// Isochrone as GeoJSON: band polygons (largest first, so smaller ones draw on top), reached
/// link pieces, and reached places with their hours or USD.
pub fn isochrone_geojson(network: &Network, iso: &Isochrone) -> String {
    const FILLS: [&str; 6] = [
        "#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027",
    ];
    let mut features = Vec::new();
    for (b, band) in iso.bands.iter().enumerate().rev() {
        let mut p = JsonObject::new();
        p.insert("type".into(), json!("band"));
        p.insert("budget".into(), json!(band.budget));
        p.insert("unit".into(), json!(unit(iso.kind)));
        p.insert("fill".into(), json!(FILLS[b % FILLS.len()]));
        p.insert("fill-opacity".into(), json!(0.35));
        p.insert("stroke".into(), json!(FILLS[b % FILLS.len()]));
        p.insert("stroke-width".into(), json!(1));
        let g = Geometry::new(geojson::GeometryValue::from(&band.polygon));
        features.push(feature(g, p));
    }
    if let Some(outer) = iso.bands.last() {
        for line in &outer.lines {
            let mut p = JsonObject::new();
            p.insert("type".into(), json!("reached link"));
            p.insert("stroke".into(), json!("#252525"));
            p.insert("stroke-width".into(), json!(1.5));
            let g = Geometry::new(geojson::GeometryValue::from(line));
            features.push(feature(g, p));
        }
    }
    for r in &iso.places {
        let pl = network.place(r.place);
        let mut p = JsonObject::new();
        p.insert("type".into(), json!("place"));
        p.insert("id".into(), json!(pl.id.0));
        p.insert("name".into(), json!(pl.name));
        p.insert("country".into(), json!(pl.country.as_str()));
        p.insert(
            if iso.kind == BudgetKind::Hours {
                "hours"
            } else {
                "usd"
            }
            .into(),
            json!(round(r.amount, 2)),
        );
        p.insert("band".into(), json!(iso.bands[r.band].budget));
        p.insert("marker-color".into(), json!(FILLS[r.band % FILLS.len()]));
        p.insert("marker-size".into(), json!("small"));
        let g = Geometry::new(geojson::GeometryValue::from(&pl.position));
        features.push(feature(g, p));
    }
    to_text(&collection(features))
}

/// Assignment totals and the busiest links, crossings and terminals.
pub fn assignment_table(network: &Network, a: &Assignment, top: usize) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Demand assigned: {} t/yr served, {} t/yr with no route\nTotals per year: {} tonne-km, {} tonne-hours, USD {}, generalized USD {}\n",
        num(a.served_tonnes, 0),
        num(a.unserved_tonnes, 0),
        num(a.tonne_km, 0),
        num(a.tonne_hours, 0),
        num(a.usd, 0),
        num(a.generalized_usd, 0)
    ));
    s.push_str(&format!(
        "\nMode split (tonnes by the mode that carries them furthest):\n{}",
        mode_split_table(network, a)
    ));
    let mut t = Table::new(["transit country", "tonnes/yr"]);
    for (c, v) in &a.tonnes_by_transit {
        t.row([c.to_string(), num(*v, 0)]);
    }
    s.push_str(&format!("\n{}", t.render()));
    let mut links: Vec<_> = a.link_tonnes.iter().collect();
    links.sort_by(|x, y| y.1.total_cmp(x.1).then(x.0.cmp(y.0)));
    let mut t = Table::new(["link", "mode", "from", "to", "tonnes/yr", "ref"]);
    for (l, v) in links.iter().take(top) {
        let link = network.link(**l);
        let (from, to) = network
            .graph
            .edge_endpoints(**l)
            .map_or((String::new(), String::new()), |(a, b)| {
                (network.place(a).name.clone(), network.place(b).name.clone())
            });
        t.row([
            link.id.0.clone(),
            crate::output::route::layer_label(link.layer()),
            from,
            to,
            num(**v, 0),
            link.route_ref.clone().unwrap_or_default(),
        ]);
    }
    s.push_str(&format!("\nBusiest links:\n{}", t.render()));
    let mut t = Table::new(["border crossing", "tonnes/yr"]);
    let mut cs: Vec<_> = a.crossing_tonnes.iter().collect();
    cs.sort_by(|x, y| y.1.total_cmp(x.1).then(x.0.cmp(y.0)));
    for (c, v) in cs {
        t.row([network.place(*c).name.clone(), num(*v, 0)]);
    }
    s.push_str(&format!("\nBorder crossings:\n{}", t.render()));
    let mut t = Table::new(["transfer terminal", "tonnes/yr"]);
    let mut ts: Vec<_> = a.transfer_tonnes.iter().collect();
    ts.sort_by(|x, y| y.1.total_cmp(x.1).then(x.0.cmp(y.0)));
    for (c, v) in ts {
        t.row([network.place(*c).name.clone(), num(*v, 0)]);
    }
    if !t.is_empty() {
        s.push_str(&format!("\nTransfer terminals:\n{}", t.render()));
    }
    s
}

/// Tonnes and tonne-km by mode, per commodity and in total.
pub fn mode_split_table(network: &Network, a: &Assignment) -> String {
    let mut t = Table::new([
        "commodity",
        "road t/yr",
        "rail t/yr",
        "rail % t",
        "road Mt-km",
        "rail Mt-km",
        "rail % t-km",
    ]);
    let label = |k: &str| {
        network
            .params
            .commodities
            .get(k)
            .map_or(k.to_string(), |c| format!("{} ({k})", c.label))
    };
    let rows = a
        .mode_split_by_commodity
        .iter()
        .map(|(k, m)| (label(k), m))
        .chain(std::iter::once(("all".to_string(), &a.mode_split)));
    for (name, m) in rows {
        t.row([
            name,
            num(m.road_tonnes, 0),
            num(m.rail_tonnes, 0),
            num(100.0 * m.rail_tonnes_share(), 0),
            num(m.road_tonne_km / 1e6, 1),
            num(m.rail_tonne_km / 1e6, 1),
            num(100.0 * m.rail_tonne_km_share(), 0),
        ]);
    }
    t.render()
}

fn mode_split_json(m: &crate::analysis::assign::ModeSplit) -> Value {
    json!({"road_tonnes": round(m.road_tonnes, 1), "rail_tonnes": round(m.rail_tonnes, 1),
           "road_tonne_km": round(m.road_tonne_km, 0), "rail_tonne_km": round(m.rail_tonne_km, 0),
           "rail_share_tonnes": round(m.rail_tonnes_share(), 4), "rail_share_tonne_km": round(m.rail_tonne_km_share(), 4)})
}

/// Assignment as JSON, with each flow's route summary when `demand` is given.
pub fn assignment_json(network: &Network, a: &Assignment) -> Value {
    assignment_json_with(network, a, None)
}

/// Assignment as JSON; `demand` (the assigned one) adds a summary per flow.
pub fn assignment_json_with(
    network: &Network,
    a: &Assignment,
    demand: Option<&crate::analysis::demand::Demand>,
) -> Value {
    let flows: Vec<Value> = demand
        .map(|d| {
            d.flows
                .iter()
                .zip(&a.routes)
                .map(|(f, r)| {
                    json!({"origin": network.place(f.origin).id.0, "destination": network.place(f.destination).id.0,
                           "commodity": f.commodity, "flow_type": f.flow_type, "tonnes_per_year": f.tonnes_per_year,
                           "main_mode": r.as_ref().map(|r| r.main_mode().as_str()),
                           "road_km": r.as_ref().map(|r| round(r.road_km, 1)), "rail_km": r.as_ref().map(|r| round(r.rail_km, 1)),
                           "hours": r.as_ref().map(|r| round(r.hours, 2)), "usd_per_shipment": r.as_ref().map(|r| round(r.usd, 2)),
                           "crossings": r.as_ref().map(|r| r.crossings.iter().map(|c| network.place(*c).id.0.clone()).collect::<Vec<_>>())})
                })
                .collect()
        })
        .unwrap_or_default();
    let links: Vec<Value> = a
        .link_tonnes
        .iter()
        .map(|(l, v)| {
            json!({"link": network.link(*l).id.0, "tonnes": round(*v, 1),
                   "tonnes_forward": round(a.link_tonnes_forward.get(l).copied().unwrap_or(0.0), 1),
                   "tonnes_backward": round(a.link_tonnes_backward.get(l).copied().unwrap_or(0.0), 1)})
        })
        .collect();
    let places =
        |m: &std::collections::BTreeMap<petgraph::stable_graph::NodeIndex, f64>| -> Vec<Value> {
            m.iter()
                .map(|(p, v)| json!({"place": network.place(*p).id.0, "tonnes": round(*v, 1)}))
                .collect()
        };
    json!({
        "served_tonnes": round(a.served_tonnes, 1),
        "unserved_tonnes": round(a.unserved_tonnes, 1),
        "tonne_km": round(a.tonne_km, 0),
        "tonne_hours": round(a.tonne_hours, 0),
        "usd": round(a.usd, 0),
        "generalized_usd": round(a.generalized_usd, 0),
        "mode_split": mode_split_json(&a.mode_split),
        "mode_split_by_commodity": a.mode_split_by_commodity.iter().map(|(k, m)| (k.clone(), mode_split_json(m))).collect::<serde_json::Map<_, _>>(),
        "tonnes_by_transit_country": a.tonnes_by_transit.iter().map(|(c, v)| (c.to_string(), json!(round(*v, 1)))).collect::<serde_json::Map<_, _>>(),
        "flows": flows,
        "links": links,
        "crossings": places(&a.crossing_tonnes),
        "transfers": places(&a.transfer_tonnes),
    })
}

/// Link loads as CSV.
pub fn assignment_csv(network: &Network, a: &Assignment) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "kind",
        "id",
        "name",
        "tonnes_per_year",
        "tonnes_forward",
        "tonnes_backward",
    ]);
    for (l, v) in &a.link_tonnes {
        let link = network.link(*l);
        let _ = w.write_record([
            "link".to_string(),
            link.id.0.clone(),
            link.route_ref.clone().unwrap_or_default(),
            format!("{v:.1}"),
            format!(
                "{:.1}",
                a.link_tonnes_forward.get(l).copied().unwrap_or(0.0)
            ),
            format!(
                "{:.1}",
                a.link_tonnes_backward.get(l).copied().unwrap_or(0.0)
            ),
        ]);
    }
    for (kind, m) in [
        ("crossing", &a.crossing_tonnes),
        ("transfer", &a.transfer_tonnes),
    ] {
        for (p, v) in m {
            let place = network.place(*p);
            let _ = w.write_record([
                kind.to_string(),
                place.id.0.clone(),
                place.name.clone(),
                format!("{v:.1}"),
                String::new(),
                String::new(),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Link loads as GeoJSON: every loaded link with `tonnes` and a `stroke-width` scaled by load
/// (1 to 12 px), coloured by mode; crossings and terminals as points with their tonnes.
pub fn assignment_geojson(network: &Network, a: &Assignment) -> String {
    let max = a.link_tonnes.values().copied().fold(0.0, f64::max).max(1.0);
    let mut features = Vec::new();
    for (l, v) in &a.link_tonnes {
        let link = network.link(*l);
        let mut p = JsonObject::new();
        p.insert("id".into(), json!(link.id.0));
        p.insert("name".into(), json!(network.link_name(*l)));
        p.insert("mode".into(), json!(link.mode.as_str()));
        p.insert("tonnes".into(), json!(round(*v, 1)));
        p.insert(
            "tonnes_forward".into(),
            json!(round(
                a.link_tonnes_forward.get(l).copied().unwrap_or(0.0),
                1
            )),
        );
        p.insert(
            "tonnes_backward".into(),
            json!(round(
                a.link_tonnes_backward.get(l).copied().unwrap_or(0.0),
                1
            )),
        );
        if let Some(r) = &link.route_ref {
            p.insert("ref".into(), json!(r));
        }
        insert_line_style(
            &mut p,
            link.layer(),
            link.status,
            round(1.0 + 11.0 * v / max, 1),
        );
        let g = Geometry::new(geojson::GeometryValue::from(&link.geometry));
        features.push(feature(g, p));
    }
    for (kind, m, colour) in [
        ("crossing", &a.crossing_tonnes, "#de2d26"),
        ("transfer", &a.transfer_tonnes, "#3182bd"),
    ] {
        for (pl, v) in m {
            let place = network.place(*pl);
            let mut p = JsonObject::new();
            p.insert("type".into(), json!(kind));
            p.insert("id".into(), json!(place.id.0));
            p.insert("name".into(), json!(place.name));
            p.insert("tonnes".into(), json!(round(*v, 1)));
            p.insert("marker-color".into(), json!(colour));
            let g = Geometry::new(geojson::GeometryValue::from(&place.position));
            features.push(feature(g, p));
        }
    }
    to_text(&collection(features))
}

/// Calibration rows: observed against model, with the verdict.
pub fn calibration_table(checks: &[crate::analysis::calibrate::Check]) -> String {
    let mut t = Table::new([
        "id", "kind", "subject", "filter", "observed", "model", "dev %", "tol %", "unit", "ok",
    ]);
    for c in checks {
        let f = &c.fact;
        let (kind, subject) = describe_measure(&f.measure);
        let digits = if f.observed < 10.0 { 2 } else { 0 };
        t.row([
            f.id.clone(),
            kind.to_string(),
            subject,
            f.filters
                .iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect::<Vec<_>>()
                .join(" "),
            num(f.observed, digits),
            c.model.map_or("no route".into(), |m| num(m, digits)),
            c.deviation().map_or(String::new(), |d| num(100.0 * d, 0)),
            num(100.0 * f.tolerance, 0),
            f.unit.clone(),
            match (c.within(), &c.fact.known_gap) {
                (true, _) => "yes",
                (false, Some(_)) => "gap",
                (false, None) => "NO",
            }
            .to_string(),
        ]);
    }
    let within = checks.iter().filter(|c| c.within()).count();
    let gaps: Vec<String> = checks
        .iter()
        .filter(|c| !c.within())
        .filter_map(|c| {
            c.fact
                .known_gap
                .as_ref()
                .map(|g| format!("  {}: {g}", c.fact.id))
        })
        .collect();
    let bad = checks.iter().filter(|c| !c.acceptable()).count();
    let mut s = format!(
        "{}\n{within} of {} rows within tolerance",
        t.render(),
        checks.len()
    );
    if !gaps.is_empty() {
        s.push_str(&format!(
            "; {} known gap(s), stated in the calibration file:\n{}\n",
            gaps.len(),
            gaps.join("\n")
        ));
    } else {
        s.push('\n');
    }
    if bad > 0 {
        s.push_str(&format!("{bad} row(s) out of tolerance (exit code 4)\n"));
    }
    s
}

fn describe_measure(m: &crate::analysis::calibrate::Measure) -> (&'static str, String) {
    use crate::analysis::calibrate::Measure;
    match m {
        Measure::RailShare { commodity } => ("mode_share", commodity.clone()),
        Measure::CrossingTonnes { crossings } => ("crossing_tonnes", crossings.join("+")),
        Measure::TransitDays { from, to } => ("transit_days", format!("{from}>{to}")),
        Measure::RouteKm { from, to } => ("route_km", format!("{from}>{to}")),
    }
}

/// Calibration rows as JSON (schema `steppe.calibration.v1`).
pub fn calibration_json(checks: &[crate::analysis::calibrate::Check]) -> Value {
    let rows: Vec<Value> = checks
        .iter()
        .map(|c| {
            let (kind, subject) = describe_measure(&c.fact.measure);
            json!({"id": c.fact.id, "kind": kind, "subject": subject,
                   "filter": c.fact.filters.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>(),
                   "observed": c.fact.observed, "model": c.model, "deviation": c.deviation(),
                   "tolerance": c.fact.tolerance, "unit": c.fact.unit, "within": c.within(),
                   "known_gap": c.fact.known_gap,
                   "source": c.fact.source})
        })
        .collect();
    json!({"schema": "steppe.calibration.v1", "rows": rows,
           "within": checks.iter().filter(|c| c.within()).count(), "total": checks.len()})
}

/// Calibration rows as CSV.
pub fn calibration_csv(checks: &[crate::analysis::calibrate::Check]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "id",
        "kind",
        "subject",
        "observed",
        "model",
        "deviation",
        "tolerance",
        "unit",
        "within",
    ]);
    for c in checks {
        let (kind, subject) = describe_measure(&c.fact.measure);
        let _ = w.write_record([
            c.fact.id.clone(),
            kind.to_string(),
            subject,
            c.fact.observed.to_string(),
            c.model.map_or(String::new(), |m| format!("{m:.4}")),
            c.deviation().map_or(String::new(), |d| format!("{d:.4}")),
            c.fact.tolerance.to_string(),
            c.fact.unit.clone(),
            c.within().to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The matrix on a map: one straight line per O-D pair (origin to destination), with the
/// pair's figures; unreachable pairs are dashed grey.
pub fn matrix_geojson(network: &Network, m: &Matrix) -> String {
    let mut features = Vec::new();
    for (i, o) in m.origins.iter().enumerate() {
        for (j, d) in m.destinations.iter().enumerate() {
            if o == d {
                continue;
            }
            let (po, pd) = (network.place(*o), network.place(*d));
            let mut p = JsonObject::new();
            p.insert("from".into(), json!(po.id.0));
            p.insert("to".into(), json!(pd.id.0));
            p.insert("name".into(), json!(format!("{} -> {}", po.name, pd.name)));
            match m.get(i, j) {
                Some(c) => {
                    p.insert("reachable".into(), json!(true));
                    p.insert("km".into(), json!(round(c.km, 1)));
                    p.insert("hours".into(), json!(round(c.hours, 2)));
                    p.insert("bad_day_hours".into(), json!(round(c.bad_day_hours, 2)));
                    p.insert("usd".into(), json!(round(c.usd, 2)));
                    p.insert("generalized_usd".into(), json!(round(c.generalized_usd, 2)));
                    p.insert("crossings".into(), json!(c.crossings));
                    p.insert("gauge_changes".into(), json!(c.gauge_changes));
                    p.insert(
                        "transit".into(),
                        json!(c.transit.iter().map(|t| t.to_string()).collect::<Vec<_>>()),
                    );
                    p.insert("stroke".into(), json!("#2b8cbe"));
                }
                None => {
                    p.insert("reachable".into(), json!(false));
                    p.insert("stroke".into(), json!("#999999"));
                    p.insert("stroke-dasharray".into(), json!("4 4"));
                }
            }
            let line = geo::LineString::from(vec![po.position.0, pd.position.0]);
            features.push(feature(
                Geometry::new(geojson::GeometryValue::from(&line)),
                p,
            ));
        }
    }
    to_text(&collection(features))
}

/// The places an isochrone reaches, as CSV: place, country, amount (hours or USD) and the
/// smallest band whose budget covers it.
pub fn isochrone_csv(network: &Network, iso: &Isochrone) -> String {
    let mut t = Table::new(["id", "name", "country", "amount", "band_budget"]);
    for r in &iso.places {
        let p = network.place(r.place);
        t.row([
            p.id.0.clone(),
            p.name.clone(),
            p.country.to_string(),
            format!("{:.3}", r.amount),
            format!("{}", iso.bands.get(r.band).map_or(0.0, |b| b.budget)),
        ]);
    }
    t.to_csv()
}
