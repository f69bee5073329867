//! Writers for scenarios (diff table, JSON, GeoJSON diff layer), scenario comparisons and
//! criticality rankings.

use std::collections::{BTreeMap, BTreeSet};

use geojson::{Geometry, JsonObject};
use serde_json::{Value, json};

use crate::analysis::assign::{Assignment, OdRoute};
use crate::analysis::critical::{Element, Impact};
use crate::analysis::scenario::ScenarioRun;
use crate::network::model::Network;
use crate::output::geojson::{collection, feature, round, to_text};
use crate::output::table::{Table, num};

/// "+12.5 %" or "-" when the base is zero.
pub fn pct(before: f64, after: f64) -> String {
    if before.abs() < 1e-9 {
        return if after.abs() < 1e-9 {
            "0 %".into()
        } else {
            "new".into()
        };
    }
    format!("{:+.1} %", (after - before) / before * 100.0)
}

fn signed(x: f64, d: usize) -> String {
    if x > 0.0 {
        format!("+{}", num(x, d))
    } else {
        num(x, d)
    }
}

/// Every key of either map with its value before and after (0 where absent), in key order.
fn before_after<K: Ord + Copy>(
    before: &BTreeMap<K, f64>,
    after: &BTreeMap<K, f64>,
) -> Vec<(K, f64, f64)> {
    let keys: BTreeSet<K> = before.keys().chain(after.keys()).copied().collect();
    keys.into_iter()
        .map(|k| {
            (
                k,
                before.get(&k).copied().unwrap_or(0.0),
                after.get(&k).copied().unwrap_or(0.0),
            )
        })
        .collect()
}

/// The headline figures of an assignment, in a fixed order.
pub fn headline(a: &Assignment) -> Vec<(&'static str, f64)> {
    vec![
        ("tonnes served /yr", a.served_tonnes),
        ("tonnes with no route /yr", a.unserved_tonnes),
        ("tonne-km /yr", a.tonne_km),
        ("tonne-hours /yr", a.tonne_hours),
        ("cost USD /yr", a.usd),
        ("generalized cost USD /yr", a.generalized_usd),
    ]
}

/// One line about an O-D route: km, hours and USD per shipment, and its border crossings.
pub fn od_route_line(network: &Network, r: &OdRoute) -> String {
    let crossings: Vec<String> = r
        .crossings
        .iter()
        .map(|c| network.place(*c).name.clone())
        .collect();
    format!(
        "{} km, {} h, USD {} per shipment via {}",
        num(r.km, 0),
        num(r.hours, 1),
        num(r.usd, 0),
        if crossings.is_empty() {
            "no border".into()
        } else {
            crossings.join(" + ")
        }
    )
}

fn route_text(network: &Network, r: &Option<OdRoute>) -> String {
    r.as_ref()
        .map_or_else(|| "no route".into(), |r| od_route_line(network, r))
}

/// A scenario run as text.
pub fn scenario_text(base: &Network, run: &ScenarioRun, top: usize) -> String {
    let mut s = format!("Scenario: {}\n", run.name);
    if !run.description.is_empty() {
        s.push_str(&format!("{}\n", run.description));
    }
    s.push('\n');
    let mut t = Table::new(["", "baseline", "scenario", "change", "%"]);
    for ((name, b), (_, a)) in headline(&run.baseline)
        .into_iter()
        .zip(headline(&run.after))
    {
        t.row([
            name.to_string(),
            num(b, 0),
            num(a, 0),
            signed(a - b, 0),
            pct(b, a),
        ]);
    }
    s.push_str(&t.render());
    let mut t = Table::new(["tonnes /yr by", "baseline", "scenario", "change"]);
    for (c, b, a) in before_after(
        &run.baseline.tonnes_by_transit,
        &run.after.tonnes_by_transit,
    ) {
        t.row([
            format!("transit {c}"),
            num(b, 0),
            num(a, 0),
            signed(a - b, 0),
        ]);
    }
    let mut rows: Vec<(f64, Vec<String>)> =
        before_after(&run.baseline.crossing_tonnes, &run.after.crossing_tonnes)
            .into_iter()
            .map(|(c, b, a)| {
                (
                    (a - b).abs(),
                    vec![
                        run.applied.network.place(c).name.clone(),
                        num(b, 0),
                        num(a, 0),
                        signed(a - b, 0),
                    ],
                )
            })
            .collect();
    rows.sort_by(|x, y| y.0.total_cmp(&x.0));
    for (_, r) in rows {
        t.row(r);
    }
    s.push_str(&format!("\n{}", t.render()));
    if run.changes.is_empty() {
        s.push_str("\nNo O-D pair changed route, time or cost.\n");
    } else {
        s.push_str(&format!(
            "\nO-D pairs that changed most ({} changed):\n",
            run.changes.len()
        ));
        for c in run.changes.iter().take(top) {
            let f = &run.demand.flows[c.flow];
            let delta = if c.delta_generalized_usd.is_finite() {
                format!("{} USD/yr generalized", signed(c.delta_generalized_usd, 0))
            } else if c.delta_generalized_usd > 0.0 {
                "route lost".into()
            } else {
                "route found".into()
            };
            s.push_str(&format!(
                "  {} -> {} ({}, {} t/yr): {delta}\n    before: {}\n    after:  {}\n",
                base.place(f.origin).name,
                base.place(f.destination).name,
                f.commodity,
                num(f.tonnes_per_year, 0),
                route_text(base, &c.before),
                route_text(&run.applied.network, &c.after)
            ));
        }
    }
    s
}

/// A scenario run as JSON.
pub fn scenario_json(base: &Network, run: &ScenarioRun) -> Value {
    let figures = |a: &Assignment| -> Value {
        headline(a)
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(round(v, 1))))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let route = |net: &Network, r: &Option<OdRoute>| -> Value {
        match r {
            None => Value::Null,
            Some(r) => {
                json!({"km": round(r.km, 1), "hours": round(r.hours, 2), "usd": round(r.usd, 2),
                              "generalized_usd": round(r.generalized_usd, 2),
                              "crossings": r.crossings.iter().map(|c| net.place(*c).id.0.clone()).collect::<Vec<_>>(),
                              "links": r.links.iter().map(|l| net.link(*l).id.0.clone()).collect::<Vec<_>>()})
            }
        }
    };
    let changes: Vec<Value> = run
        .changes
        .iter()
        .map(|c| {
            let f = &run.demand.flows[c.flow];
            json!({"origin": base.place(f.origin).id.0, "destination": base.place(f.destination).id.0,
                   "commodity": f.commodity, "tonnes_per_year": f.tonnes_per_year,
                   "delta_generalized_usd": if c.delta_generalized_usd.is_finite() { json!(round(c.delta_generalized_usd, 0)) } else { Value::Null },
                   "before": route(base, &c.before), "after": route(&run.applied.network, &c.after)})
        })
        .collect();
    json!({"name": run.name, "description": run.description,
           "baseline": figures(&run.baseline), "scenario": figures(&run.after),
           "tonnes_by_transit_country": {
               "baseline": run.baseline.tonnes_by_transit.iter().map(|(c, v)| (c.to_string(), json!(round(*v, 1)))).collect::<serde_json::Map<_, _>>(),
               "scenario": run.after.tonnes_by_transit.iter().map(|(c, v)| (c.to_string(), json!(round(*v, 1)))).collect::<serde_json::Map<_, _>>()},
           "changes": changes})
}

/// The diff layer: every link whose load changed (red gaining, blue losing, width by the
/// size of the change), new links dashed green, and crossings with their change.
pub fn scenario_geojson(run: &ScenarioRun) -> String {
    let net = &run.applied.network;
    let deltas: Vec<_> = before_after(&run.baseline.link_tonnes, &run.after.link_tonnes)
        .into_iter()
        .filter(|(_, b, a)| (a - b).abs() > 1e-6)
        .collect();
    let max = deltas
        .iter()
        .map(|(_, b, a)| (a - b).abs())
        .fold(1.0, f64::max);
    let mut features = Vec::new();
    for (l, b, a) in &deltas {
        let link = net.link(*l);
        let mut p = JsonObject::new();
        p.insert("id".into(), json!(link.id.0));
        p.insert("name".into(), json!(net.link_name(*l)));
        p.insert("mode".into(), json!(link.mode.as_str()));
        p.insert("tonnes_before".into(), json!(round(*b, 1)));
        p.insert("tonnes_after".into(), json!(round(*a, 1)));
        p.insert("tonnes_change".into(), json!(round(a - b, 1)));
        let new = run.applied.added_links.contains(l);
        p.insert("new_link".into(), json!(new));
        p.insert(
            "stroke".into(),
            json!(if new {
                "#00a651"
            } else if a > b {
                "#d7191c"
            } else {
                "#2c7bb6"
            }),
        );
        p.insert(
            "stroke-width".into(),
            json!(round(1.5 + 10.0 * (a - b).abs() / max, 1)),
        );
        let g = Geometry::new(geojson::GeometryValue::from(&link.geometry));
        features.push(feature(g, p));
    }
    for l in &run.applied.added_links {
        if deltas.iter().any(|(x, _, _)| x == l) {
            continue;
        }
        let link = net.link(*l);
        let mut p = JsonObject::new();
        p.insert("id".into(), json!(link.id.0));
        p.insert("new_link".into(), json!(true));
        p.insert("tonnes_after".into(), json!(0));
        p.insert("stroke".into(), json!("#00a651"));
        p.insert("stroke-width".into(), json!(2));
        p.insert("stroke-opacity".into(), json!(0.6));
        let g = Geometry::new(geojson::GeometryValue::from(&link.geometry));
        features.push(feature(g, p));
    }
    for (c, b, a) in before_after(&run.baseline.crossing_tonnes, &run.after.crossing_tonnes) {
        let place = net.place(c);
        let mut p = JsonObject::new();
        p.insert("type".into(), json!("crossing"));
        p.insert("name".into(), json!(place.name));
        p.insert("tonnes_before".into(), json!(round(b, 1)));
        p.insert("tonnes_after".into(), json!(round(a, 1)));
        p.insert("tonnes_change".into(), json!(round(a - b, 1)));
        p.insert(
            "marker-color".into(),
            json!(if a > b {
                "#d7191c"
            } else if a < b {
                "#2c7bb6"
            } else {
                "#969696"
            }),
        );
        let g = Geometry::new(geojson::GeometryValue::from(&place.position));
        features.push(feature(g, p));
    }
    to_text(&collection(features))
}

/// Several scenarios side by side: one row per headline figure.
pub fn compare_text(baseline: &Assignment, runs: &[ScenarioRun]) -> String {
    compare_rows(baseline, runs).render()
}

/// Scenarios side by side as a table (for text and CSV).
pub fn compare_rows(baseline: &Assignment, runs: &[ScenarioRun]) -> Table {
    let mut header = vec!["".to_string(), "baseline".to_string()];
    header.extend(runs.iter().map(|r| r.name.clone()));
    let mut t = Table::new(header);
    let base = headline(baseline);
    for (k, (name, b)) in base.iter().enumerate() {
        let mut row = vec![name.to_string(), num(*b, 0)];
        for r in runs {
            let a = headline(&r.after)[k].1;
            row.push(format!("{} ({})", num(a, 0), pct(*b, a)));
        }
        t.row(row);
    }
    let countries: BTreeSet<_> = baseline
        .tonnes_by_transit
        .keys()
        .chain(runs.iter().flat_map(|r| r.after.tonnes_by_transit.keys()))
        .copied()
        .collect();
    for c in countries {
        let mut row = vec![
            format!("tonnes /yr in transit via {c}"),
            num(
                baseline.tonnes_by_transit.get(&c).copied().unwrap_or(0.0),
                0,
            ),
        ];
        for r in runs {
            row.push(num(
                r.after.tonnes_by_transit.get(&c).copied().unwrap_or(0.0),
                0,
            ));
        }
        t.row(row);
    }
    let mut row = vec!["O-D pairs changed".to_string(), "-".to_string()];
    row.extend(runs.iter().map(|r| r.changes.len().to_string()));
    t.row(row);
    t
}

/// Name and kind of an element.
pub fn element_label(network: &Network, e: Element) -> (String, String, String) {
    match e {
        Element::Link(l) => {
            let link = network.link(l);
            ("link".into(), link.id.0.clone(), network.link_name(l))
        }
        Element::Crossing(p) => (
            "crossing".into(),
            network.place(p).id.0.clone(),
            network.place(p).name.clone(),
        ),
        Element::Terminal(p) => (
            "terminal".into(),
            network.place(p).id.0.clone(),
            network.place(p).name.clone(),
        ),
    }
}

/// A criticality ranking as a table.
pub fn critical_text(network: &Network, impacts: &[Impact], top: usize) -> String {
    let mut t = Table::new([
        "#",
        "kind",
        "id",
        "name",
        "flows",
        "tonnes /yr using it",
        "tonnes /yr cut off",
        "extra generalized USD /yr",
        "extra tonne-hours /yr",
    ]);
    for (i, imp) in impacts.iter().take(top).enumerate() {
        let (kind, id, name) = element_label(network, imp.element);
        t.row([
            (i + 1).to_string(),
            kind,
            id,
            name,
            imp.flows_affected.to_string(),
            num(imp.tonnes_affected, 0),
            num(imp.unserved_tonnes, 0),
            num(imp.extra_generalized_usd, 0),
            num(imp.extra_tonne_hours, 0),
        ]);
    }
    t.render()
}

/// A criticality ranking as JSON.
pub fn critical_json(network: &Network, impacts: &[Impact]) -> Value {
    let list: Vec<Value> = impacts
        .iter()
        .map(|imp| {
            let (kind, id, name) = element_label(network, imp.element);
            json!({"kind": kind, "id": id, "name": name, "flows_affected": imp.flows_affected,
                   "tonnes_affected": round(imp.tonnes_affected, 1), "unserved_tonnes": round(imp.unserved_tonnes, 1),
                   "extra_generalized_usd": round(imp.extra_generalized_usd, 0), "extra_tonne_hours": round(imp.extra_tonne_hours, 0)})
        })
        .collect();
    json!({"schema": "steppe.critical.v1", "elements": list})
}

/// Criticality as CSV, one row per element, worst first.
pub fn critical_csv(network: &Network, impacts: &[Impact]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "rank",
        "kind",
        "id",
        "name",
        "flows_affected",
        "tonnes_affected",
        "unserved_tonnes",
        "extra_generalized_usd",
        "extra_tonne_hours",
    ]);
    for (i, imp) in impacts.iter().enumerate() {
        let (kind, id, name) = element_label(network, imp.element);
        let _ = w.write_record([
            (i + 1).to_string(),
            kind,
            id,
            name,
            imp.flows_affected.to_string(),
            format!("{:.1}", imp.tonnes_affected),
            format!("{:.1}", imp.unserved_tonnes),
            format!("{:.0}", imp.extra_generalized_usd),
            format!("{:.0}", imp.extra_tonne_hours),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Criticality on a map: each element (link line or crossing/terminal point) with its impact
/// and rank; line width and marker colour by extra generalized cost.
pub fn critical_geojson(network: &Network, impacts: &[Impact]) -> String {
    let max = impacts
        .iter()
        .map(|i| i.extra_generalized_usd)
        .fold(0.0, f64::max)
        .max(1.0);
    let mut features = Vec::new();
    for (i, imp) in impacts.iter().enumerate() {
        let (kind, id, name) = element_label(network, imp.element);
        let mut p = geojson::JsonObject::new();
        p.insert("rank".into(), json!(i + 1));
        p.insert("kind".into(), json!(kind));
        p.insert("id".into(), json!(id));
        p.insert("name".into(), json!(name));
        p.insert("flows_affected".into(), json!(imp.flows_affected));
        p.insert(
            "tonnes_affected".into(),
            json!(round(imp.tonnes_affected, 1)),
        );
        p.insert(
            "unserved_tonnes".into(),
            json!(round(imp.unserved_tonnes, 1)),
        );
        p.insert(
            "extra_generalized_usd".into(),
            json!(round(imp.extra_generalized_usd, 0)),
        );
        p.insert(
            "extra_tonne_hours".into(),
            json!(round(imp.extra_tonne_hours, 0)),
        );
        let share = imp.extra_generalized_usd / max;
        let geometry = match imp.element {
            Element::Link(l) => {
                p.insert("stroke".into(), json!("#b2182b"));
                p.insert("stroke-width".into(), json!(round(1.0 + 11.0 * share, 1)));
                geojson::Geometry::new(geojson::GeometryValue::from(&network.link(l).geometry))
            }
            Element::Crossing(c) | Element::Terminal(c) => {
                p.insert(
                    "marker-color".into(),
                    json!(if share > 0.5 { "#b2182b" } else { "#ef8a62" }),
                );
                p.insert(
                    "marker-size".into(),
                    json!(if share > 0.5 { "large" } else { "medium" }),
                );
                geojson::Geometry::new(geojson::GeometryValue::from(&network.place(c).position))
            }
        };
        features.push(geojson::Feature {
            bbox: None,
            geometry: Some(geometry),
            id: None,
            properties: Some(p),
            foreign_members: None,
        });
    }
    crate::output::geojson::to_text(&geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    })
}

/// Scenarios on one map: every link loaded in the baseline or any scenario, with its tonnes
/// per year in each (`tonnes_baseline`, `tonnes_<scenario name>`); width by the largest.
pub fn compare_geojson(network: &Network, baseline: &Assignment, runs: &[ScenarioRun]) -> String {
    let mut links: BTreeSet<petgraph::stable_graph::EdgeIndex> =
        baseline.link_tonnes.keys().copied().collect();
    for r in runs {
        links.extend(
            r.after
                .link_tonnes
                .keys()
                .filter(|l| network.graph.edge_weight(**l).is_some()),
        );
    }
    let max = baseline
        .link_tonnes
        .values()
        .chain(runs.iter().flat_map(|r| r.after.link_tonnes.values()))
        .fold(0.0f64, |a, b| a.max(*b))
        .max(1.0);
    let mut features = Vec::new();
    for l in links {
        let Some(link) = network.graph.edge_weight(l) else {
            continue;
        };
        let mut p = JsonObject::new();
        p.insert("link".into(), json!(link.id.0));
        p.insert("name".into(), json!(network.link_name(l)));
        p.insert("mode".into(), json!(link.mode.as_str()));
        let base = baseline.link_tonnes.get(&l).copied().unwrap_or(0.0);
        p.insert("tonnes_baseline".into(), json!(round(base, 0)));
        let mut biggest = base;
        for r in runs {
            let t = r.after.link_tonnes.get(&l).copied().unwrap_or(0.0);
            biggest = biggest.max(t);
            p.insert(format!("tonnes_{}", r.name), json!(round(t, 0)));
        }
        p.insert("stroke".into(), json!("#5e3c99"));
        p.insert(
            "stroke-width".into(),
            json!(round(1.0 + 11.0 * biggest / max, 1)),
        );
        features.push(feature(
            Geometry::new(geojson::GeometryValue::from(&link.geometry)),
            p,
        ));
    }
    to_text(&collection(features))
}
