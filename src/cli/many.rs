//! `steppe matrix`, `steppe isochrone` and `steppe assign`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use petgraph::stable_graph::NodeIndex;

use steppe::analysis::assign::assign;
use steppe::analysis::calibrate::parse_facts;
use steppe::analysis::demand::{Demand, network_demand, read_demand};
use steppe::analysis::isochrone::{BudgetKind, isochrone};
use steppe::cost::profile::Objective;
use steppe::graph::Weights;
use steppe::network::model::{Country, PlaceKind};
use steppe::network::{Network, names};
use steppe::output::many::{
    assignment_csv, assignment_geojson, assignment_json_with, assignment_table, calibration_csv,
    calibration_json, calibration_table, isochrone_geojson, isochrone_table, matrix_csv,
    matrix_json, matrix_table,
};
use steppe::{Error, Result};

use crate::cli::{Cli, RouteOptions, emit, load};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AssignFormat {
    Table,
    Csv,
    Json,
    Geojson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapFormat {
    Table,
    Csv,
    Geojson,
}

#[derive(Debug, Args)]
pub struct MatrixCmd {
    /// Origins by name or id, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "PLACES")]
    pub from: Vec<String>,
    /// Origins: every place of this country (with --from-kind, default city).
    #[arg(long = "from-country", value_name = "CC")]
    pub from_country: Option<String>,
    /// Origins: every place of this kind (default city when --from is not given).
    #[arg(long = "from-kind", value_name = "KIND")]
    pub from_kind: Option<String>,
    /// Destinations by name or id, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "PLACES")]
    pub to: Vec<String>,
    /// Destinations: every place of this country.
    #[arg(long = "to-country", value_name = "CC")]
    pub to_country: Option<String>,
    /// Destinations: every place of this kind (default city).
    #[arg(long = "to-kind", value_name = "KIND")]
    pub to_kind: Option<String>,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format (geojson: one straight O-D line per pair with its figures).
    #[arg(long, value_enum, default_value = "table")]
    pub format: MatrixFormat,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Table,
    Csv,
    Json,
    Geojson,
}

#[derive(Debug, Args)]
pub struct IsochroneCmd {
    /// Origin place.
    pub from: String,
    /// Hour budgets, comma-separated (e.g. 24,48,72); at most 12 bands, each above 0 and at
    /// most 8760 h.
    #[arg(long, value_delimiter = ',', value_name = "H", conflicts_with = "usd", value_parser = parse_hours_budget)]
    pub hours: Vec<f64>,
    /// USD budgets instead of hours, comma-separated (each above 0 and at most 1e12).
    #[arg(long, value_delimiter = ',', value_name = "USD", value_parser = parse_usd_budget)]
    pub usd: Vec<f64>,
    /// Country the goods go to, for transit and bilateral rules (default: the origin's).
    #[arg(long = "goods-to", value_name = "CC")]
    pub goods_to: Option<String>,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: MapFormat,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AssignCmd {
    #[command(flatten)]
    pub demand: DemandOptions,
    /// Rows in the busiest-links table.
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: AssignFormat,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_cc(s: &str) -> Result<Country> {
    Country::parse(s)
        .ok_or_else(|| Error::Request(format!("\"{s}\" is not a two-letter country code")))
}

fn parse_kind(s: &str) -> Result<PlaceKind> {
    PlaceKind::parse(s).ok_or_else(|| {
        let known: Vec<&str> = PlaceKind::ALL.iter().map(PlaceKind::as_str).collect();
        Error::Request(format!(
            "unknown kind \"{s}\"; use one of {}",
            known.join(", ")
        ))
    })
}

/// Places named, or selected by country and kind (kind default: city).
pub fn select(
    network: &Network,
    list: &[String],
    country: &Option<String>,
    kind: &Option<String>,
    role: &str,
) -> Result<Vec<NodeIndex>> {
    if !list.is_empty() {
        return list.iter().map(|n| names::resolve(network, n)).collect();
    }
    let country = country.as_deref().map(parse_cc).transpose()?;
    let kind = parse_kind(kind.as_deref().unwrap_or("city"))?;
    let out: Vec<NodeIndex> = network
        .places()
        .filter(|(_, p)| p.kind == kind && country.is_none_or(|c| p.country == c))
        .map(|(ix, _)| ix)
        .collect();
    if out.is_empty() {
        return Err(Error::Request(format!(
            "no {role} places match the selection"
        )));
    }
    Ok(out)
}

pub fn run_matrix(cli: &Cli, args: &MatrixCmd) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let origins = select(
        &network,
        &args.from,
        &args.from_country,
        &args.from_kind,
        "origin",
    )?;
    let destinations = select(
        &network,
        &args.to,
        &args.to_country,
        &args.to_kind,
        "destination",
    )?;
    let profile = args.options.profile(&network)?;
    let engine = super::engine(&cli.network, &network)?;
    let weights = Weights::compile(&network, &engine.graph, &profile);
    let m =
        steppe::analysis::matrix::matrix_for(&network, &engine, &weights, &origins, &destinations)?;
    let text = match args.format {
        MatrixFormat::Table => format!(
            "Matrix: {} origins x {} destinations, {}\n\n{}",
            origins.len(),
            destinations.len(),
            profile.describe(),
            matrix_table(&network, &m)
        ),
        MatrixFormat::Csv => matrix_csv(&network, &m),
        MatrixFormat::Geojson => steppe::output::many::matrix_geojson(&network, &m),
        MatrixFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&matrix_json(&network, &m)).unwrap_or_default()
        ),
    };
    emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_isochrone(cli: &Cli, args: &IsochroneCmd) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let from = names::resolve(&network, &args.from)?;
    let (kind, budgets) = if !args.usd.is_empty() {
        (BudgetKind::Usd, args.usd.clone())
    } else if !args.hours.is_empty() {
        (BudgetKind::Hours, args.hours.clone())
    } else {
        (BudgetKind::Hours, vec![24.0, 48.0, 72.0])
    };
    if budgets.iter().any(|b| !b.is_finite() || *b <= 0.0) {
        return Err(Error::Request("budgets must be positive numbers".into()));
    }
    if budgets.len() > crate::cli::limits::MAX_BANDS {
        return Err(Error::Request(format!(
            "at most {} budgets (bands) per isochrone, got {}",
            crate::cli::limits::MAX_BANDS,
            budgets.len()
        )));
    }
    let mut profile = args.options.profile(&network)?;
    profile.objective = match kind {
        BudgetKind::Hours => Objective::Time,
        BudgetKind::Usd => Objective::Cost,
    };
    let goods_to = args.goods_to.as_deref().map(parse_cc).transpose()?;
    let engine = super::engine(&cli.network, &network)?;
    let graph = &engine.graph;
    let weights = Weights::compile(&network, graph, &profile);
    let iso = isochrone(&network, &engine, &weights, from, kind, &budgets, goods_to)?;
    let text = match args.format {
        MapFormat::Table => isochrone_table(&network, &iso),
        MapFormat::Csv => steppe::output::many::isochrone_csv(&network, &iso),
        MapFormat::Geojson => isochrone_geojson(&network, &iso),
    };
    emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}

fn parse_hours_budget(s: &str) -> std::result::Result<f64, String> {
    let x = crate::cli::finite_in(s, 0.0, 8760.0)?;
    if x <= 0.0 {
        return Err("must be greater than 0".into());
    }
    Ok(x)
}

fn parse_usd_budget(s: &str) -> std::result::Result<f64, String> {
    let x = crate::cli::finite_in(s, 0.0, 1e12)?;
    if x <= 0.0 {
        return Err("must be greater than 0".into());
    }
    Ok(x)
}

/// Which demand a command assigns.
#[derive(Debug, Clone, Args)]
pub struct DemandOptions {
    /// Demand CSV (origin,destination,tonnes_per_year, optional commodity and flow_type);
    /// default the network's own demand.csv.
    #[arg(long, value_name = "FILE")]
    pub demand: Option<PathBuf>,
    /// Keep only rows of these flow types (the demand file's `flow_type` column), e.g.
    /// `mn_kz,kz_mn` for Mongolia-Kazakhstan trade without other countries' transit flows.
    #[arg(long = "flow-type", value_delimiter = ',', value_name = "TYPES")]
    pub flow_type: Vec<String>,
}

impl DemandOptions {
    /// The demand given on the command line (or the network's own), filtered by flow type.
    pub fn load(&self, network: &Network) -> Result<Demand> {
        let mut d = match &self.demand {
            Some(p) => read_demand(network, p)?,
            None => network_demand(network)?,
        };
        if !self.flow_type.is_empty() {
            d.flows.retain(|f| {
                f.flow_type
                    .as_ref()
                    .is_some_and(|t| self.flow_type.contains(t))
            });
            if d.flows.is_empty() {
                return Err(Error::Request(format!(
                    "no demand row of flow type {} in {}",
                    self.flow_type.join(", "),
                    d.origin
                )));
            }
            d.origin = format!("{} (flow types {})", d.origin, self.flow_type.join(", "));
        }
        Ok(d.merged())
    }
}

#[derive(Debug, Args)]
pub struct CalibrateCmd {
    /// Observed facts (id,kind,subject,filter,observed,tolerance,unit,source); default the
    /// network's own calibration.csv.
    #[arg(long, value_name = "FILE")]
    pub calibration: Option<PathBuf>,
    #[command(flatten)]
    pub demand: DemandOptions,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Exit code when a calibration row is outside its tolerance.
pub const EXIT_OUT_OF_TOLERANCE: u8 = 4;

pub fn run_calibrate(cli: &Cli, args: &CalibrateCmd) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let demand = args.demand.load(&network)?;
    let facts = match &args.calibration {
        Some(p) => {
            let text = steppe::inputs::read_text(p)?;
            parse_facts(&text, &p.display().to_string())?
        }
        None => match &network.calibration_csv {
            Some((origin, text)) => parse_facts(text, origin)?,
            None => {
                return Err(Error::Request(format!(
                    "network {} has no calibration.csv; give one with --calibration FILE",
                    network.origin
                )));
            }
        },
    };
    let profile = args.options.profile(&network)?;
    let engine = super::engine(&cli.network, &network)?;
    let graph = &engine.graph;
    let weights = Weights::compile(&network, graph, &profile);
    let a = assign(&network, &engine, &weights, &demand);
    let checks =
        steppe::analysis::calibrate::check(&network, graph, &profile, &demand, &a, &facts)?;
    let text = match args.format {
        TableFormat::Table => format!(
            "Calibration against {} facts, demand {} ({} flows), each flow at its commodity's costs\n\n{}",
            facts.len(),
            demand.origin,
            demand.flows.len(),
            calibration_table(&checks)
        ),
        TableFormat::Csv => calibration_csv(&checks),
        TableFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&calibration_json(&checks)).unwrap_or_default()
        ),
    };
    emit(&text, &args.output)?;
    if checks.iter().all(|c| c.acceptable()) {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(EXIT_OUT_OF_TOLERANCE))
    }
}

pub fn run_assign(cli: &Cli, args: &AssignCmd) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let demand = args.demand.load(&network)?;
    let profile = args.options.profile(&network)?;
    let engine = super::engine(&cli.network, &network)?;
    let graph = &engine.graph;
    let weights = Weights::compile(&network, graph, &profile);
    let a = assign(&network, &engine, &weights, &demand);
    let text = match args.format {
        AssignFormat::Table => format!(
            "Assignment of {} ({} flows, {} t/yr), each flow at its commodity's costs (rows without one: {}), {}\n\n{}",
            demand.origin,
            demand.flows.len(),
            steppe::output::table::num(demand.total_tonnes(), 0),
            weights.rates.commodity_key,
            profile.describe(),
            assignment_table(&network, &a, args.top)
        ),
        AssignFormat::Csv => assignment_csv(&network, &a),
        AssignFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&assignment_json_with(&network, &a, Some(&demand)))
                .unwrap_or_default()
        ),
        AssignFormat::Geojson => assignment_geojson(&network, &a),
    };
    emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}
