//! Reading a network folder (`network.geojson` + `params.json`), or the embedded default,
//! into a validated [`Network`].

use std::collections::HashMap;
use std::path::Path;

use petgraph::stable_graph::StableDiGraph;

use crate::cost::params::Params;
use crate::error::{Error, Result};
use crate::network::cache::{self, Cached};
use crate::network::format::read_features;
use crate::network::model::Network;
use crate::network::validate::{Report, Severity, check_network};

/// The embedded Mongolia-Kazakhstan network (`networks/mn-kz`).
pub const EMBEDDED_NAME: &str = "mn-kz";
const EMBEDDED_GEOJSON: &str = include_str!("../../networks/mn-kz/network.geojson");
const EMBEDDED_PARAMS: &str = include_str!("../../networks/mn-kz/params.json");
const EMBEDDED_DEMAND: &str = include_str!("../../networks/mn-kz/demand.csv");
const EMBEDDED_CALIBRATION: &str = include_str!("../../networks/mn-kz/calibration.csv");

/// The embedded network's `params.json` text (importers copy it into the folders they write).
pub fn embedded_params_text() -> &'static str {
    EMBEDDED_PARAMS
}

/// Loads the network built into the binary.
pub fn load_embedded() -> Result<Network> {
    let mut network = load_from_text(
        &format!("embedded:{EMBEDDED_NAME}"),
        EMBEDDED_GEOJSON,
        &format!("embedded:{EMBEDDED_NAME}/network.geojson"),
        EMBEDDED_PARAMS,
        &format!("embedded:{EMBEDDED_NAME}/params.json"),
    )?;
    network.demand_csv = Some((
        format!("embedded:{EMBEDDED_NAME}/demand.csv"),
        EMBEDDED_DEMAND.to_string(),
    ));
    network.calibration_csv = Some((
        format!("embedded:{EMBEDDED_NAME}/calibration.csv"),
        EMBEDDED_CALIBRATION.to_string(),
    ));
    Ok(network)
}

/// Loads a network folder: `DIR/network.geojson` and `DIR/params.json`, from the binary
/// copy `DIR/network.bin` when it is there and matches the GeoJSON (see [`cache`]).
pub fn load_dir(dir: &Path) -> Result<Network> {
    let geo_path = dir.join("network.geojson");
    let params_path = dir.join("params.json");
    if !dir.is_dir() {
        return Err(Error::Input {
            path: dir.to_path_buf(),
            message: "not a folder; a network is a folder holding network.geojson and params.json"
                .into(),
        });
    }
    if !geo_path.is_file() {
        // The same error as reading it would give, before any about params.json.
        crate::inputs::read_text(&geo_path)?;
    }
    let params = crate::inputs::read_text(&params_path)?;
    let origin = dir.display().to_string();
    let mut cached = None;
    if let Ok(p) = Params::from_json(&params, &params_path.display().to_string()) {
        match cache::read(dir, p, &origin) {
            Cached::Fresh(n) => cached = Some(*n),
            Cached::Missing => {}
            Cached::Stale(why) => eprintln!(
                "note: {} {why}; ignoring it and reading network.geojson (re-import or delete it)",
                dir.join(cache::CACHE_FILE).display()
            ),
        }
    }
    let mut network = match cached {
        Some(n) => n,
        None => load_from_text_of(
            &origin,
            &geo_path,
            &params,
            &params_path.display().to_string(),
        )?,
    };
    let demand_path = dir.join("demand.csv");
    if demand_path.is_file() {
        let text = crate::inputs::read_text(&demand_path)?;
        network.demand_csv = Some((demand_path.display().to_string(), text));
    }
    let calibration_path = dir.join("calibration.csv");
    if calibration_path.is_file() {
        let text = crate::inputs::read_text(&calibration_path)?;
        network.calibration_csv = Some((calibration_path.display().to_string(), text));
    }
    Ok(network)
}

fn load_from_text_of(
    origin: &str,
    geo_path: &Path,
    params: &str,
    params_name: &str,
) -> Result<Network> {
    let geo = crate::inputs::read_text(geo_path)?;
    load_from_text(
        origin,
        &geo,
        &geo_path.display().to_string(),
        params,
        params_name,
    )
}

/// Loads a network from its two files' text. `*_name` name the files in problems.
pub fn load_from_text(
    origin: &str,
    geojson_text: &str,
    geojson_name: &str,
    params_text: &str,
    params_name: &str,
) -> Result<Network> {
    let mut report = Report::new(geojson_name);
    let mut params_report = Report::new(params_name);
    let params = match Params::from_json(params_text, params_name) {
        Ok(p) => Some(p),
        Err(e) => {
            let msg = match e {
                Error::Param { key, message } if key == params_name => message,
                Error::Param { key, message } => format!("{key}: {message}"),
                other => other.to_string(),
            };
            params_report.push(Severity::Error, None, None, msg);
            None
        }
    };

    let mut graph = StableDiGraph::new();
    let mut by_id = HashMap::new();
    let mut link_by_id = HashMap::new();
    {
        let (places, links) = read_features(geojson_text, &mut report);
        check_network(&places, &links, &mut report);
        if !report.has_errors() {
            for p in places {
                let id = p.place.id.0.clone();
                let ix = graph.add_node(p.place);
                by_id.insert(id, ix);
            }
            for l in links {
                if let (Some(a), Some(b)) = (by_id.get(&l.from), by_id.get(&l.to)) {
                    let id = l.link.id.0.clone();
                    let e = graph.add_edge(*a, *b, l.link);
                    link_by_id.insert(id, e);
                }
            }
        }
    }

    let mut problems = params_report.problems;
    problems.extend(report.problems);
    let failed = problems.iter().any(|p| p.is_error());
    match params {
        Some(params) if !failed => {
            let mut network = Network {
                origin: origin.to_string(),
                graph,
                params,
                warnings: problems,
                demand_csv: None,
                calibration_csv: None,
                by_id,
                link_by_id,
            };
            add_component_warnings(&mut network, geojson_name);
            Ok(network)
        }
        _ => Err(Error::InvalidNetwork {
            path: origin.into(),
            problems,
        }),
    }
}

fn add_component_warnings(network: &mut Network, file: &str) {
    let comps = network.components();
    if comps.len() <= 1 {
        return;
    }
    for c in comps.iter().skip(1) {
        let names: Vec<String> = c
            .iter()
            .take(5)
            .map(|ix| network.place(*ix).id.0.clone())
            .collect();
        let more = if c.len() > 5 {
            format!(" and {} more", c.len() - 5)
        } else {
            String::new()
        };
        network.warnings.push(crate::network::validate::Problem {
            severity: Severity::Warning,
            file: file.to_string(),
            line: None,
            feature: None,
            message: format!(
                "separate component of {} place(s), not joined to the main network: {}{more}",
                c.len(),
                names.join(", ")
            ),
        });
    }
}
