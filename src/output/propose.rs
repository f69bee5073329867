//! Writers for proposals and detours.

use geojson::{Geometry, JsonObject};
use serde_json::{Value, json};

use crate::analysis::assign::OdRoute;
use crate::analysis::demand::Demand;
use crate::analysis::propose::{
    Candidate, CandidateDetail, CandidateSource, Detour, Evaluation, Pick,
};
use crate::network::model::Network;
use crate::output::geojson::{collection, feature, round, to_text};
use crate::output::scenario::od_route_line;
use crate::output::table::{Table, num};

fn source_label(s: &CandidateSource) -> &'static str {
    match s {
        CandidateSource::Network => "network project",
        CandidateSource::File(_) => "candidates file",
        CandidateSource::Generated => "generated",
    }
}

fn musd(x: f64) -> String {
    format!("{} M", num(x / 1e6, 1))
}

/// The ranked candidates as a table.
pub fn ranking_table(
    network: &Network,
    demand: &Demand,
    candidates: &[Candidate],
    evals: &[Evaluation],
    top: usize,
) -> String {
    ranking_rows(network, demand, candidates, evals, top).render()
}

/// The ranking as a table (for text and CSV).
pub fn ranking_rows(
    network: &Network,
    demand: &Demand,
    candidates: &[Candidate],
    evals: &[Evaluation],
    top: usize,
) -> Table {
    let mut t = Table::new([
        "#",
        "candidate",
        "source",
        "km",
        "cost USD",
        "benefit USD/yr",
        "B/C",
        "payback yr",
        "newly served t/yr",
        "gains most",
    ]);
    for (i, e) in evals.iter().take(top).enumerate() {
        let c = &candidates[e.candidate];
        let gains = e
            .gains
            .first()
            .map(|(f, usd)| {
                let fl = &demand.flows[*f];
                format!(
                    "{} -> {} ({} USD/yr)",
                    network.place(fl.origin).name,
                    network.place(fl.destination).name,
                    num(*usd, 0)
                )
            })
            .unwrap_or_default();
        let mut name = c.name.clone();
        if let Some(m) = c.mountains {
            name.push_str(&format!(" [{m}]"));
        }
        if c.new_crossing.is_some() {
            name.push_str(" [new crossing]");
        }
        t.row([
            (i + 1).to_string(),
            name,
            source_label(&c.source).to_string(),
            num(c.length_km, 0),
            musd(c.construction_usd),
            num(e.benefit_usd_per_year, 0),
            if e.benefit_cost_ratio.is_finite() {
                num(e.benefit_cost_ratio, 2)
            } else {
                "-".into()
            },
            if e.payback_years.is_finite() {
                num(e.payback_years, 1)
            } else {
                "-".into()
            },
            num(e.newly_served_tonnes, 0),
            gains,
        ]);
    }
    t
}

/// The greedy programme as a table.
pub fn programme_table(candidates: &[Candidate], picks: &[Pick]) -> String {
    let mut t = Table::new([
        "step",
        "candidate",
        "cost USD",
        "benefit USD/yr (given earlier picks)",
        "B/C",
        "total cost",
        "total benefit USD/yr",
    ]);
    for (i, p) in picks.iter().enumerate() {
        let c = &candidates[p.evaluation.candidate];
        t.row([
            (i + 1).to_string(),
            c.name.clone(),
            musd(c.construction_usd),
            num(p.evaluation.benefit_usd_per_year, 0),
            num(p.evaluation.benefit_cost_ratio, 2),
            musd(p.cumulative_cost_usd),
            num(p.cumulative_benefit_usd_per_year, 0),
        ]);
    }
    t.render()
}

/// Proposals as JSON.
pub fn proposals_json(
    network: &Network,
    demand: &Demand,
    candidates: &[Candidate],
    evals: &[Evaluation],
    picks: &[Pick],
) -> Value {
    let ev = |e: &Evaluation| {
        let c = &candidates[e.candidate];
        json!({"id": c.id, "name": c.name, "source": source_label(&c.source), "mode": c.mode.as_str(),
               "from": network.place(c.from).id.0, "to": network.place(c.to).id.0,
               "length_km": round(c.length_km, 1), "mountains": c.mountains,
               "new_crossing": c.new_crossing.map(|x| [x[0].to_string(), x[1].to_string()]),
               "construction_usd": round(c.construction_usd, 0),
               "benefit_usd_per_year": round(e.benefit_usd_per_year, 0),
               "benefit_cost_ratio": if e.benefit_cost_ratio.is_finite() { json!(round(e.benefit_cost_ratio, 3)) } else { Value::Null },
               "payback_years": if e.payback_years.is_finite() { json!(round(e.payback_years, 2)) } else { Value::Null },
               "newly_served_tonnes": round(e.newly_served_tonnes, 0),
               "gains": e.gains.iter().take(5).map(|(f, usd)| {
                   let fl = &demand.flows[*f];
                   json!({"origin": network.place(fl.origin).id.0, "destination": network.place(fl.destination).id.0,
                          "commodity": fl.commodity, "usd_per_year": round(*usd, 0)})
               }).collect::<Vec<_>>()})
    };
    json!({"ranking": evals.iter().map(ev).collect::<Vec<_>>(),
           "programme": picks.iter().map(|p| json!({"candidate": candidates[p.evaluation.candidate].id,
               "benefit_usd_per_year": round(p.evaluation.benefit_usd_per_year, 0),
               "cumulative_cost_usd": round(p.cumulative_cost_usd, 0),
               "cumulative_benefit_usd_per_year": round(p.cumulative_benefit_usd_per_year, 0)})).collect::<Vec<_>>()})
}

/// Proposals as GeoJSON: each candidate a straight line (or its links), coloured by rank
/// (dark red best) and as wide as its benefit.
pub fn proposals_geojson(
    network: &Network,
    candidates: &[Candidate],
    evals: &[Evaluation],
    top: usize,
    details: &[CandidateDetail],
) -> String {
    const RANK: [&str; 5] = ["#67000d", "#a50f15", "#cb181d", "#ef3b2c", "#fb6a4a"];
    let max = evals
        .iter()
        .map(|e| e.benefit_usd_per_year)
        .fold(1.0, f64::max);
    let mut features = Vec::new();
    for (i, e) in evals.iter().take(top).enumerate() {
        let c = &candidates[e.candidate];
        let line = geo::LineString::from(vec![
            network.place(c.from).position.0,
            network.place(c.to).position.0,
        ]);
        let mut p = JsonObject::new();
        p.insert("rank".into(), json!(i + 1));
        p.insert("id".into(), json!(c.id));
        p.insert("name".into(), json!(c.name));
        p.insert("mode".into(), json!(c.mode.as_str()));
        p.insert("length_km".into(), json!(round(c.length_km, 1)));
        p.insert(
            "construction_usd".into(),
            json!(round(c.construction_usd, 0)),
        );
        p.insert(
            "benefit_usd_per_year".into(),
            json!(round(e.benefit_usd_per_year, 0)),
        );
        if e.benefit_cost_ratio.is_finite() {
            p.insert(
                "benefit_cost_ratio".into(),
                json!(round(e.benefit_cost_ratio, 3)),
            );
        }
        p.insert(
            "stroke".into(),
            json!(RANK[(i * RANK.len() / top.max(1)).min(RANK.len() - 1)]),
        );
        p.insert(
            "stroke-width".into(),
            json!(round(2.0 + 10.0 * e.benefit_usd_per_year.max(0.0) / max, 1)),
        );
        p.insert("stroke-opacity".into(), json!(0.85));
        features.push(feature(
            Geometry::new(geojson::GeometryValue::from(&line)),
            p,
        ));
    }
    features.extend(improved_route_features(details));
    to_text(&collection(features))
}

/// Detours as a table.
pub fn detours_table(network: &Network, demand: &Demand, detours: &[Detour], top: usize) -> String {
    detours_rows(network, demand, detours, top).render()
}

/// Detours as a table (for text and CSV).
pub fn detours_rows(network: &Network, demand: &Demand, detours: &[Detour], top: usize) -> Table {
    let mut t = Table::new([
        "#",
        "from",
        "to",
        "commodity",
        "t/yr",
        "route km",
        "straight km",
        "ratio",
        "excess t-km/yr",
    ]);
    for (i, d) in detours.iter().take(top).enumerate() {
        let f = &demand.flows[d.flow];
        t.row([
            (i + 1).to_string(),
            network.place(f.origin).name.clone(),
            network.place(f.destination).name.clone(),
            f.commodity.clone(),
            num(f.tonnes_per_year, 0),
            num(d.route_km, 0),
            num(d.straight_km, 0),
            num(d.ratio, 2),
            num(d.excess_tonne_km, 0),
        ]);
    }
    t
}

/// The top candidates in detail (from full re-routing).
pub fn details_text(
    network: &Network,
    demand: &Demand,
    candidates: &[Candidate],
    details: &[CandidateDetail],
) -> String {
    let mut s = String::new();
    for (i, d) in details.iter().enumerate() {
        let c = &candidates[d.evaluation.candidate];
        s.push_str(&format!(
            "{}. {}: {} km, USD {}; saves USD {} and {} tonne-hours a year\n",
            i + 1,
            c.name,
            num(c.length_km, 0),
            musd(c.construction_usd),
            num(d.evaluation.benefit_usd_per_year, 0),
            num(d.tonne_hours_saved, 0)
        ));
        if let Some((f, before, after)) = &d.biggest {
            let fl = &demand.flows[*f];
            s.push_str(&format!(
                "   biggest gain: {} -> {} ({}, {} t/yr)\n     before: {}\n     after:  {}\n",
                network.place(fl.origin).name,
                network.place(fl.destination).name,
                fl.commodity,
                num(fl.tonnes_per_year, 0),
                od_route_line(network, before),
                od_route_line(&d.network, after)
            ));
        }
    }
    s
}

/// JSON of the detailed candidates.
pub fn details_json(
    network: &Network,
    demand: &Demand,
    candidates: &[Candidate],
    details: &[CandidateDetail],
) -> Value {
    let route = |net: &Network, r: &OdRoute| {
        json!({"km": round(r.km, 1), "hours": round(r.hours, 2), "usd": round(r.usd, 2),
               "crossings": r.crossings.iter().map(|c| net.place(*c).id.0.clone()).collect::<Vec<_>>(),
               "links": r.links.iter().map(|l| net.link(*l).id.0.clone()).collect::<Vec<_>>()})
    };
    Value::Array(
        details
            .iter()
            .map(|d| {
                let c = &candidates[d.evaluation.candidate];
                let biggest = d.biggest.as_ref().map(|(f, b, a)| {
                    let fl = &demand.flows[*f];
                    json!({"origin": network.place(fl.origin).id.0, "destination": network.place(fl.destination).id.0,
                           "commodity": fl.commodity, "before": route(network, b), "after": route(&d.network, a)})
                });
                json!({"id": c.id, "tonne_hours_saved_per_year": round(d.tonne_hours_saved, 0),
                       "benefit_usd_per_year": round(d.evaluation.benefit_usd_per_year, 0), "biggest_gain": biggest})
            })
            .collect(),
    )
}

/// Improved routes of the detailed candidates (the biggest gain's route after), for maps.
pub fn improved_route_features(details: &[CandidateDetail]) -> Vec<geojson::Feature> {
    let mut out = Vec::new();
    for (i, d) in details.iter().enumerate() {
        let Some((_, _, after)) = &d.biggest else {
            continue;
        };
        for l in &after.links {
            let link = d.network.link(*l);
            let mut p = JsonObject::new();
            p.insert("type".into(), json!("improved route"));
            p.insert("rank".into(), json!(i + 1));
            p.insert("link".into(), json!(link.id.0));
            p.insert("stroke".into(), json!("#2171b5"));
            p.insert("stroke-width".into(), json!(2));
            p.insert("stroke-opacity".into(), json!(0.7));
            out.push(feature(
                Geometry::new(geojson::GeometryValue::from(&link.geometry)),
                p,
            ));
        }
    }
    out
}

/// Detours on a map: each O-D pair as a straight line, with its route km, ratio and excess
/// tonne-km; width by excess.
pub fn detours_geojson(
    network: &Network,
    demand: &Demand,
    detours: &[Detour],
    top: usize,
) -> String {
    let max = detours
        .iter()
        .map(|d| d.excess_tonne_km)
        .fold(0.0, f64::max)
        .max(1.0);
    let features = detours
        .iter()
        .take(top)
        .enumerate()
        .map(|(i, d)| {
            let f = &demand.flows[d.flow];
            let (a, b) = (network.place(f.origin), network.place(f.destination));
            let mut p = geojson::JsonObject::new();
            p.insert("rank".into(), json!(i + 1));
            p.insert("name".into(), json!(format!("{} -> {}", a.name, b.name)));
            p.insert("commodity".into(), json!(f.commodity));
            p.insert("tonnes_per_year".into(), json!(f.tonnes_per_year));
            p.insert("route_km".into(), json!(round(d.route_km, 1)));
            p.insert("straight_km".into(), json!(round(d.straight_km, 1)));
            p.insert("ratio".into(), json!(round(d.ratio, 3)));
            p.insert("excess_tonne_km".into(), json!(round(d.excess_tonne_km, 0)));
            p.insert("stroke".into(), json!("#e66101"));
            p.insert(
                "stroke-width".into(),
                json!(round(1.0 + 9.0 * d.excess_tonne_km / max, 1)),
            );
            let line = geo::LineString::from(vec![a.position.0, b.position.0]);
            geojson::Feature {
                bbox: None,
                geometry: Some(geojson::Geometry::new(geojson::GeometryValue::from(&line))),
                id: None,
                properties: Some(p),
                foreign_members: None,
            }
        })
        .collect();
    crate::output::geojson::to_text(&geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    })
}
