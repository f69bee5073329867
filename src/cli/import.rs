//! `steppe import osm`: an OpenStreetMap extract to a network folder.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use steppe::Result;
use steppe::import::osm::{ImportOptions, Vehicle, import, parse_bbox};
use steppe::network::load_dir;

use super::Cli;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// An OpenStreetMap extract (.osm.pbf, or .osm XML) to a network folder usable with
    /// --network: junctions, roads and railways, stations with road-rail and gauge-change
    /// transfers, border crossings where ways pass between countries.
    #[command(
        after_help = "Examples:\n  steppe import osm mongolia-latest.osm.pbf -o networks/mn-osm\n  steppe import osm extract.osm.pbf -o out --bbox 89.5,49.5,90.5,50.5 --modes road\n  steppe --network networks/mn-osm route 47.918,106.917 49.98,92.07"
    )]
    Osm(OsmArgs),
}

#[derive(Debug, Args)]
pub struct OsmArgs {
    /// The extract: .osm.pbf, or .osm XML.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The network folder to write (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Keep only what lies inside this box: west,south,east,north in degrees.
    #[arg(long, value_name = "W,S,E,N", value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// Country polygons (GeoJSON with `iso_a2`) instead of the shipped Natural Earth ones.
    #[arg(long, value_name = "FILE")]
    pub boundaries: Option<PathBuf>,
    /// Modes to import, comma-separated: road, rail.
    #[arg(long, value_name = "MODES", default_value = "road,rail", value_parser = super::parse_modes)]
    pub modes: steppe::cost::profile::ModeSet,
    /// Whose access rules to follow: truck (tracks kept, hgv tags, 12 t and 4 m limits)
    /// or car (as OSRM's car profile: no tracks, motorcar tags; to compare with car routers).
    #[arg(long, value_name = "VEHICLE", default_value = "truck")]
    pub vehicle: Vehicle,
}

pub fn run(_cli: &Cli, cmd: &ImportCommand) -> Result<ExitCode> {
    let ImportCommand::Osm(args) = cmd;
    let summary = import(&ImportOptions {
        input: args.file.clone(),
        output: args.output.clone(),
        bbox: args.bbox,
        boundaries: args.boundaries.clone(),
        road: args.modes.road,
        rail: args.modes.rail,
        vehicle: args.vehicle,
        progress: true,
    })?;
    const SHOWN: usize = 20;
    for w in summary.warnings.iter().take(SHOWN) {
        eprintln!("warning: {w}");
    }
    if summary.warnings.len() > SHOWN {
        eprintln!(
            "warning: ... and {} more like these",
            summary.warnings.len() - SHOWN
        );
    }
    if !summary.countries_from_extract.is_empty() {
        eprintln!(
            "countries from the extract's own boundaries: {}",
            summary.countries_from_extract.join(", ")
        );
    }
    for (reason, n) in &summary.excluded {
        eprintln!("left out {n} way(s): {reason}");
    }
    // The folder must load as any network does; say so now rather than at the first route.
    let network = load_dir(&args.output)?;
    super::out(&format!(
        "Imported {} ({}) into {}: {} places ({} stations, {} border crossings, {} gauge-change transfers), {} links; {} warning(s) on loading\n",
        args.file.display(),
        summary.timestamp.as_deref().unwrap_or("date unknown"),
        args.output.display(),
        network.place_count(),
        summary.stations,
        summary.crossings,
        summary.gauge_changes,
        network.link_count(),
        network.warnings.len(),
    ))?;
    Ok(ExitCode::SUCCESS)
}
