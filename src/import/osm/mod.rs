//! OpenStreetMap extract (`.osm.pbf`, or `.osm` XML) -> steppe network folder
//! (`network.geojson` + `params.json`).
//!
//! One way through: [`read`] streams the file twice (ways and tagged nodes first, then the
//! coordinates of the nodes those ways use), [`tags`] decides what each way is for freight,
//! [`build`] cuts ways into links between junctions, crossings and stations, and [`write`]
//! writes the folder. Every node gets its country from the boundary polygons (Natural Earth
//! by default); points outside every polygon get `ZZ`.

pub mod access;
pub mod boundaries;
pub mod build;
pub mod collect;
pub mod read;
pub mod restrictions;
pub mod tags;
pub mod write;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cost::params::Params;
use crate::error::{Error, Result};
use crate::network::geography::Geography;
use crate::network::model::RoadClass;
use crate::output::atomic::write_atomic;

pub use build::BBox;
pub use tags::Vehicle;

/// What to import and where to.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The extract: `.osm.pbf`, or `.osm` XML.
    pub input: PathBuf,
    /// The network folder to write (created if missing).
    pub output: PathBuf,
    /// Keep only nodes inside west, south, east, north (degrees).
    pub bbox: Option<BBox>,
    /// A GeoJSON file of country polygons (property `iso_a2`) instead of Natural Earth's.
    pub boundaries: Option<PathBuf>,
    pub road: bool,
    pub rail: bool,
    /// Whose access rules decide which roads are kept: trucks, or cars as OSRM's car
    /// profile sees them (for comparing with car routers).
    pub vehicle: Vehicle,
    /// Draw progress bars on standard error (only when it is a terminal).
    pub progress: bool,
}

/// What an import produced.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub places: usize,
    pub links: usize,
    pub crossings: usize,
    pub stations: usize,
    pub gauge_changes: usize,
    /// Roads and railways left out, by reason.
    pub excluded: Vec<(String, usize)>,
    /// Things skipped or guessed, one line each, for people.
    pub warnings: Vec<String>,
    /// When the data was current, if the file says.
    pub timestamp: Option<String>,
    /// Countries whose polygons came from the extract's own boundaries ("MC (Monaco)").
    pub countries_from_extract: Vec<String>,
}

fn bar(progress: bool, what: &str) -> ProgressBar {
    if !progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg}: {human_pos} elements ({per_sec}) {elapsed}")
    {
        b.set_style(style);
    }
    b.set_message(what.to_string());
    b.enable_steady_tick(Duration::from_millis(120));
    b
}

/// The embedded network's parameters, copied into every imported folder so costs work.
fn params_text() -> &'static str {
    crate::network::load::embedded_params_text()
}

/// Imports an extract into a network folder and returns what it made. The folder's
/// `network.geojson` and `params.json` are written atomically.
pub fn import(opts: &ImportOptions) -> Result<ImportSummary> {
    let params = Params::from_json(params_text(), "embedded:mn-kz/params.json")?;
    let mut countries = match &opts.boundaries {
        Some(path) => {
            let text = crate::inputs::read_text(path)?;
            Geography::countries_from_geojson(&text, &path.display().to_string())?
        }
        None => Geography::embedded()?,
    };
    if !opts.input.is_file() {
        return Err(Error::Input {
            path: opts.input.clone(),
            message: "no such file; give an OpenStreetMap extract (.osm.pbf or .osm)".into(),
        });
    }
    let mut collected = build::Collected {
        road: opts.road,
        rail: opts.rail,
        vehicle: opts.vehicle,
        ..Default::default()
    };
    let b = bar(opts.progress, "pass 1/2: ways");
    let header = read::scan(&opts.input, read::Pass::Ways, &mut collected, &b)?;
    b.finish_and_clear();
    // The extract's own country boundaries, unless polygons were given: their member
    // ways' nodes in a pass of their own, then their coordinates with the rest.
    let use_extract_boundaries = opts.boundaries.is_none() && !collected.boundaries.is_empty();
    if use_extract_boundaries {
        let b = bar(opts.progress, "pass 1b: boundary ways");
        read::scan(&opts.input, read::Pass::BoundaryWays, &mut collected, &b)?;
        b.finish_and_clear();
    }
    let b = bar(opts.progress, "pass 2/2: node coordinates");
    read::scan(&opts.input, read::Pass::Nodes, &mut collected, &b)?;
    b.finish_and_clear();
    let mut countries_from_extract = Vec::new();
    let mut boundary_warnings = Vec::new();
    if use_extract_boundaries {
        let found = boundaries::extract_countries(&collected);
        countries_from_extract = found
            .countries
            .iter()
            .map(|(c, name, _)| format!("{} ({name})", c.as_str()))
            .collect();
        boundary_warnings = found.warnings;
        countries = countries.with_countries_first(found.countries);
    }

    let speeds = &params.speed_kmh.road;
    let class_speed = |c: RoadClass| match c {
        RoadClass::Motorway => speeds.motorway,
        RoadClass::Paved => speeds.paved,
        RoadClass::Gravel => speeds.gravel,
        RoadClass::Earth => speeds.earth,
    };
    let mut built = build::build(&collected, &countries, &opts.bbox, &class_speed);
    // Boundary warnings first: they say where countries came from.
    boundary_warnings.append(&mut built.warnings);
    built.warnings = boundary_warnings;
    let file_name = opts
        .input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| opts.input.display().to_string());
    let source = format!(
        "OpenStreetMap extract {file_name} (data as of {}); © OpenStreetMap contributors, ODbL",
        header.timestamp.as_deref().unwrap_or("unknown date")
    );
    let text = write::geojson(&built, &params, &source);

    std::fs::create_dir_all(&opts.output).map_err(|e| Error::io(&opts.output, e))?;
    write_atomic(&opts.output.join("network.geojson"), text.as_bytes())?;
    write_atomic(&opts.output.join("params.json"), params_text().as_bytes())?;
    // The binary copy of the validated network, for fast loading.
    let cache_path = opts.output.join(crate::network::cache::CACHE_FILE);
    if cache_path.exists() {
        std::fs::remove_file(&cache_path).map_err(|e| Error::io(&cache_path, e))?;
    }
    let network = crate::network::load_dir(&opts.output)?;
    crate::network::cache::write(&opts.output, text.as_bytes(), &network)?;

    Ok(ImportSummary {
        places: built.places.len(),
        links: built.links.len(),
        crossings: built.crossings,
        stations: built.stations,
        gauge_changes: built.gauge_changes,
        excluded: collected
            .excluded
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        warnings: built.warnings,
        timestamp: header.timestamp,
        countries_from_extract,
    })
}

/// Parses `W,S,E,N` in degrees.
pub fn parse_bbox(s: &str) -> std::result::Result<BBox, String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| format!("\"{s}\" is not four numbers W,S,E,N"))?;
    match v.as_slice() {
        [w, s_, e, n]
            if (-180.0..=180.0).contains(w)
                && (-180.0..=180.0).contains(e)
                && (-90.0..=90.0).contains(s_)
                && (-90.0..=90.0).contains(n)
                && w < e
                && s_ < n =>
        {
            Ok([*w, *s_, *e, *n])
        }
        _ => Err(format!(
            "\"{s}\" is not a box W,S,E,N in degrees (west < east, south < north)"
        )),
    }
}

/// Whether `path` looks like an extract this importer reads.
pub fn readable(path: &Path) -> bool {
    read::is_xml(path)
        || path
            .to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".pbf")
}
