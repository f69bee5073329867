//! `steppe network info | validate | export`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};

use steppe::network::model::{Layer, Network, PlaceKind, Regime, Status};
use steppe::output::geojson::{network_collection, to_text};
use steppe::output::table::{Table, num};
use steppe::{Error, Result};

use crate::cli::{Cli, emit, load};

#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Counts of places and links by country, mode and status; border crossings; components.
    #[command(
        after_help = "Examples:\n  steppe network info\n  steppe --network networks/mn-kz network info"
    )]
    Info,
    /// Check a network folder and list every problem; exit 0 when valid.
    #[command(
        after_help = "Examples:\n  steppe network validate\n  steppe network validate networks/mn-kz\n  steppe network validate my-network/"
    )]
    Validate {
        /// Network folder (default: --network, else the embedded network).
        dir: Option<PathBuf>,
    },
    /// Write the network as styled GeoJSON (geojson.io, QGIS, GDAL, kepler.gl).
    #[command(
        after_help = "Examples:\n  steppe network export -o mn-kz.geojson\n  steppe network export > mn-kz.geojson"
    )]
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value = "geojson")]
        format: ExportFormat,
        /// Output file (written atomically); default standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Geojson,
}

pub fn run(cli: &Cli, cmd: &NetworkCommand) -> Result<ExitCode> {
    match cmd {
        NetworkCommand::Info => {
            let network = load(&cli.network)?;
            crate::cli::out(&info_text(&network))?;
            Ok(ExitCode::SUCCESS)
        }
        NetworkCommand::Validate { dir } => {
            let dir = dir.clone().or_else(|| cli.network.clone());
            match load(&dir) {
                Ok(network) => {
                    for w in &network.warnings {
                        crate::cli::outln!("{w}");
                    }
                    let geo = steppe::network::geography::Geography::embedded()?;
                    let file = match &dir {
                        Some(d) => d.join("network.geojson").display().to_string(),
                        None => "embedded:mn-kz/network.geojson".to_string(),
                    };
                    let problems = steppe::network::geography::check(&network, &geo, &file);
                    for p in &problems {
                        crate::cli::outln!("{p}");
                    }
                    let errors = problems.iter().filter(|p| p.is_error()).count();
                    let warnings = network.warnings.len() + problems.len() - errors;
                    if errors > 0 {
                        crate::cli::outln!(
                            "invalid: {} ({errors} geography error(s), {warnings} warning(s))",
                            network.origin
                        );
                        return Ok(ExitCode::FAILURE);
                    }
                    crate::cli::outln!(
                        "valid: {} ({} places, {} links, 0 geography errors, {warnings} warning(s))",
                        network.origin,
                        network.place_count(),
                        network.link_count(),
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(Error::InvalidNetwork { path, problems }) => {
                    for p in &problems {
                        crate::cli::outln!("{p}");
                    }
                    let errors = problems.iter().filter(|p| p.is_error()).count();
                    crate::cli::outln!(
                        "invalid: {} ({errors} error(s), {} warning(s))",
                        path.display(),
                        problems.len() - errors
                    );
                    Ok(ExitCode::FAILURE)
                }
                Err(other) => Err(other),
            }
        }
        NetworkCommand::Export {
            format: ExportFormat::Geojson,
            output,
        } => {
            let network = load(&cli.network)?;
            emit(&to_text(&network_collection(&network)), output)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn layer_name(l: Layer) -> String {
    match l {
        Layer::Road => "road".into(),
        Layer::Rail { gauge_mm } => format!("rail {gauge_mm} mm"),
    }
}

/// The `network info` report.
pub fn info_text(network: &Network) -> String {
    let mut s = format!(
        "Network {}: {} places, {} links, {} component(s)\n\n",
        network.origin,
        network.place_count(),
        network.link_count(),
        network.components().len()
    );
    // Places by country and kind.
    // The junction column only for networks that have junctions (imported ones).
    let has_junctions = network.places().any(|(_, p)| p.kind == PlaceKind::Junction);
    let kinds: Vec<PlaceKind> = PlaceKind::ALL
        .into_iter()
        .filter(|k| *k != PlaceKind::Junction || has_junctions)
        .collect();
    let mut counts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (_, p) in network.places() {
        let row = counts
            .entry(p.country.to_string())
            .or_insert_with(|| vec![0; kinds.len()]);
        if let Some(k) = kinds.iter().position(|k| *k == p.kind) {
            row[k] += 1;
        }
    }
    let mut header = vec!["country".to_string()];
    header.extend(kinds.iter().map(|k| k.as_str().to_string()));
    header.push("total".into());
    let mut t = Table::new(header);
    for (c, row) in &counts {
        let mut cells = vec![c.clone()];
        cells.extend(row.iter().map(|n| n.to_string()));
        cells.push(row.iter().sum::<usize>().to_string());
        t.row(cells);
    }
    s.push_str(
        "Places by country and kind (a crossing counts in the country its point lies in):\n",
    );
    s.push_str(&t.render());

    // Links by layer and status, with km.
    let mut by_layer: BTreeMap<Layer, [(usize, f64); 3]> = BTreeMap::new();
    for (_, _, _, l) in network.links() {
        let e = by_layer.entry(l.layer()).or_insert([(0, 0.0); 3]);
        let i = Status::ALL.iter().position(|s| *s == l.status).unwrap_or(0);
        e[i].0 += 1;
        e[i].1 += l.length_km;
    }
    let mut t = Table::new([
        "mode",
        "existing",
        "km",
        "under construction",
        "km",
        "proposed",
        "km",
    ]);
    for (layer, e) in &by_layer {
        t.row([
            layer_name(*layer),
            e[0].0.to_string(),
            num(e[0].1, 0),
            e[1].0.to_string(),
            num(e[1].1, 0),
            e[2].0.to_string(),
            num(e[2].1, 0),
        ]);
    }
    s.push_str("\nLinks by mode and status (both directions unless one-way):\n");
    s.push_str(&t.render());

    // Links by country.
    let mut by_country: BTreeMap<String, (usize, f64, usize, f64)> = BTreeMap::new();
    for (_, a, b, l) in network.links() {
        let c = steppe::analysis::route::link_country(network, a, b).to_string();
        let e = by_country.entry(c).or_default();
        if l.layer() == Layer::Road {
            e.0 += 1;
            e.1 += l.length_km;
        } else {
            e.2 += 1;
            e.3 += l.length_km;
        }
    }
    let mut t = Table::new(["country", "road links", "road km", "rail links", "rail km"]);
    for (c, e) in &by_country {
        t.row([
            c.clone(),
            e.0.to_string(),
            num(e.1, 0),
            e.2.to_string(),
            num(e.3, 0),
        ]);
    }
    s.push_str("\nLinks by country:\n");
    s.push_str(&t.render());

    // Border crossings.
    let mut t = Table::new([
        "crossing",
        "id",
        "countries",
        "modes",
        "road h (bad day)",
        "rail h (bad day)",
        "regime",
        "open",
        "status",
    ]);
    let profile = steppe::cost::profile::Profile::new(network.params.clone());
    let rates = profile.rates();
    let hours = |p: &steppe::network::Place, m: steppe::network::Mode| -> String {
        steppe::graph::weights::border_charge(&profile, &rates, p, m)
            .map(|b| format!("{} ({})", num(b.hours, 1), num(b.bad_day_hours, 0)))
            .unwrap_or_default()
    };
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for (_, p) in network.places() {
        if let Some(c) = &p.crossing {
            let countries = format!("{}-{}", c.countries[0], c.countries[1]);
            rows.push((
                countries.clone(),
                vec![
                    p.name.clone(),
                    p.id.0.clone(),
                    countries,
                    c.modes()
                        .iter()
                        .map(|m| m.as_str())
                        .collect::<Vec<_>>()
                        .join("+"),
                    hours(p, steppe::network::Mode::Road),
                    hours(p, steppe::network::Mode::Rail),
                    match c.regime {
                        Regime::International => "international".into(),
                        Regime::Bilateral => "bilateral".into(),
                    },
                    c.months_open.describe(),
                    p.status.as_str().to_string(),
                ],
            ));
        }
    }
    rows.sort();
    for (_, r) in rows {
        t.row(r);
    }
    s.push_str("\nBorder crossings:\n");
    s.push_str(&t.render());

    let comps = network.components();
    s.push_str(&format!("\nComponents: {}", comps.len()));
    if comps.len() > 1 {
        let sizes: Vec<String> = comps.iter().map(|c| c.len().to_string()).collect();
        s.push_str(&format!(" (sizes {})", sizes.join(", ")));
    }
    s.push('\n');
    if !network.warnings.is_empty() {
        s.push_str(&format!(
            "Warnings: {} (see `steppe network validate`)\n",
            network.warnings.len()
        ));
    }
    s
}
