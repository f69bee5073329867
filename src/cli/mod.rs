//! The command line: clap definitions, and one file per command that calls the library and
//! prints. The library never imports this module.

pub mod import;
pub mod many;
pub mod network;
pub mod places;
pub mod propose;
pub mod route;
pub mod scenario;
pub mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use steppe::cost::params::RailService;
use steppe::cost::profile::{ModeSet, Objective, Profile};
use steppe::graph::engine::Engine;
use steppe::network::model::Country;
use steppe::network::{Network, load_dir, load_embedded};
use steppe::output::atomic::write_atomic;
use steppe::{Error, Result};

/// Freight route planner for the Mongolia-Kazakhstan corridors (road, rail, borders, gauges).
#[derive(Debug, Parser)]
#[command(
    name = "steppe",
    version,
    about,
    after_help = "Examples:\n  steppe route Ulaanbaatar Almaty\n  steppe route Olgii Oskemen --modes road --month 7\n  steppe route Ulaanbaatar Almaty --alternatives 3 --format geojson -o routes.geojson\n  steppe pareto Ulaanbaatar Almaty\n  steppe network info\n  steppe places --country MN --kind border_crossing"
)]
pub struct Cli {
    /// Network folder to use instead of the embedded Mongolia-Kazakhstan network.
    #[arg(long, global = true, value_name = "DIR")]
    pub network: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect, validate or export the network.
    #[command(subcommand)]
    Network(network::NetworkCommand),
    /// List places (towns, stations, terminals, border crossings).
    #[command(
        after_help = "Examples:\n  steppe places\n  steppe places --country KZ\n  steppe places --kind border_crossing\n  steppe places --country MN --format json"
    )]
    Places(places::PlacesArgs),
    /// The best route for a shipment between two places.
    #[command(
        after_help = "Examples:\n  steppe route Ulaanbaatar Almaty\n  steppe route Ulaanbaatar Almaty --modes rail\n  steppe route Ulaanbaatar Almaty --avoid-country RU\n  steppe route Olgii Oskemen --via Khovd --minimize time\n  steppe route Ulaanbaatar Almaty --alternatives 3\n  steppe route Ulaanbaatar Almaty --format geojson -o route.geojson\n  steppe route Olgii Semey --param transit.CN.road.allowed=false"
    )]
    Route(route::RouteCmd),
    /// Every route not beaten on both time and cost (exact Pareto set).
    #[command(
        after_help = "Examples:\n  steppe pareto Ulaanbaatar Almaty\n  steppe pareto Khovd Oskemen --modes road --format geojson -o pareto.geojson"
    )]
    Pareto(route::ParetoCmd),
    /// Time, cost and distance between many origins and destinations (parallel).
    #[command(
        after_help = "Examples:\n  steppe matrix --from-country MN --to-country KZ --format csv -o mn-kz.csv\n  steppe matrix --from Ulaanbaatar,Olgii,Khovd --to Almaty,Astana,Oskemen\n  steppe matrix --from-country MN --to-country KZ --modes rail --format json"
    )]
    Matrix(many::MatrixCmd),
    /// What is reachable within budgets of hours or USD, as a table or GeoJSON polygons.
    #[command(
        after_help = "Examples:\n  steppe isochrone Ulaanbaatar --hours 24,48,72\n  steppe isochrone Ulaanbaatar --hours 24,48,72 --format geojson -o ub-72h.geojson\n  steppe isochrone Olgii --usd 1000,2000 --goods-to KZ"
    )]
    Isochrone(many::IsochroneCmd),
    /// Assign the demand to best routes: loads on links, crossings and terminals.
    #[command(
        after_help = "Examples:\n  steppe assign\n  steppe assign --format geojson -o loads.geojson\n  steppe assign --demand my-demand.csv --modes rail --format csv"
    )]
    Assign(many::AssignCmd),
    /// Model against observed facts (calibration.csv): mode shares, crossing tonnes, transit
    /// days and route lengths, each within its tolerance (exit code 4 when one is not).
    #[command(
        after_help = "Examples:\n  steppe calibrate\n  steppe calibrate --format json\n  steppe calibrate --calibration my-facts.csv --demand my-demand.csv"
    )]
    Calibrate(many::CalibrateCmd),
    /// What-if scenarios: run one against the baseline, or compare several.
    #[command(subcommand)]
    Scenario(scenario::ScenarioCommand),
    /// Rank links, crossings and terminals by what removing each would cost the demand.
    #[command(
        after_help = "Examples:\n  steppe critical\n  steppe critical --kind crossing --top 10\n  steppe critical --kind link --format json -o critical.json"
    )]
    Critical(scenario::CriticalArgs),
    /// Propose new links that would shorten routes most, ranked by benefit and cost.
    #[command(
        after_help = "Examples:\n  steppe propose\n  steppe propose --budget-usd 2000000000 --top 10\n  steppe propose --mode rail --max-km 450 --verify\n  steppe propose --format geojson -o proposals.geojson"
    )]
    Propose(propose::ProposeArgs),
    /// Import other data into a network folder (OpenStreetMap extracts).
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Shell completions for bash, zsh, fish, elvish or powershell, on standard output.
    #[command(
        after_help = "Examples:\n  steppe completions bash > ~/.local/share/bash-completion/completions/steppe\n  steppe completions zsh > ~/.zfunc/_steppe\n  steppe completions fish > ~/.config/fish/completions/steppe.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff), generated from these definitions, on standard output.
    #[command(after_help = "Examples:\n  steppe man > steppe.1 && man ./steppe.1")]
    Man,
    /// The demand's O-D pairs whose best route is longest compared with the straight line.
    #[command(after_help = "Examples:\n  steppe detours\n  steppe detours --modes road --top 5")]
    Detours(propose::DetoursArgs),
    /// HTTP API (OSRM-compatible and native) and a map page, on one loaded network.
    #[command(
        after_help = "Examples:\n  steppe serve\n  steppe serve --bind 0.0.0.0:8080\n  curl 'http://127.0.0.1:5000/route/v1/driving/106.92,47.92;76.95,43.24?overview=false'"
    )]
    Serve(serve::ServeArgs),
}

/// Output formats of commands that produce routes or lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Geojson,
}

/// Options shared by every command that searches.
#[derive(Debug, Clone, Args)]
pub struct RouteOptions {
    /// What to minimise: time, cost, distance, or generalized (cost + value of time x hours).
    #[arg(long, value_name = "OBJECTIVE", default_value = "generalized", value_parser = parse_objective)]
    pub minimize: Objective,
    /// Modes allowed, comma-separated: road, rail.
    #[arg(long, value_name = "MODES", default_value = "road,rail", value_parser = parse_modes)]
    pub modes: ModeSet,
    /// Country the route must not enter (ISO code, repeatable).
    #[arg(long = "avoid-country", value_name = "CC", value_parser = parse_country)]
    pub avoid_country: Vec<Country>,
    /// Place the route must not pass (repeatable).
    #[arg(long = "avoid", value_name = "PLACE")]
    pub avoid: Vec<String>,
    /// Month of travel (1-12): seasonal crossings and links count only when open. Without
    /// it, only elements open all year are used.
    #[arg(long, value_name = "1..12", value_parser = clap::value_parser!(u8).range(1..=12))]
    pub month: Option<u8>,
    /// Also use links and places under construction.
    #[arg(long)]
    pub include_under_construction: bool,
    /// Also use proposed links and places (implies nothing about under construction).
    #[arg(long)]
    pub include_proposed: bool,
    /// Commodity class whose costs to use (e.g. petroleum, grain, dry_bulk, containers,
    /// general, perishables; see `steppe network info`). Default: params.json's
    /// `default_commodity`.
    #[arg(long, value_name = "NAME")]
    pub commodity: Option<String>,
    /// Rail service: wagonload or block (block, unit or container trains). Default: the
    /// commodity's.
    #[arg(long = "rail-service", value_name = "SERVICE", value_parser = parse_rail_service)]
    pub rail_service: Option<RailService>,
    /// Shipment size in tonnes, greater than 0 and at most 1e8 (default from params.json:
    /// one 20 t load).
    #[arg(long, value_name = "T", value_parser = parse_tonnes)]
    pub tonnes: Option<f64>,
    /// Value of time of the whole shipment, USD per hour (0 to 1e9), instead of the
    /// commodity's value per tonne-hour.
    #[arg(long = "value-of-time", value_name = "USD_PER_H", value_parser = parse_value_of_time)]
    pub value_of_time: Option<f64>,
    /// Override any parameter of params.json, e.g. tariff_usd_per_tkm.road=0.12 or
    /// transit.CN.road.allowed=false (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub param: Vec<String>,
}

fn parse_objective(s: &str) -> std::result::Result<Objective, String> {
    Objective::parse(s).ok_or_else(|| {
        format!("unknown objective \"{s}\"; use time, cost, distance or generalized")
    })
}

pub(crate) fn parse_modes(s: &str) -> std::result::Result<ModeSet, String> {
    let mut m = ModeSet {
        road: false,
        rail: false,
    };
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "road" => m.road = true,
            "rail" => m.rail = true,
            other => {
                return Err(format!(
                    "unknown mode \"{other}\"; use road, rail or road,rail"
                ));
            }
        }
    }
    if !m.road && !m.rail {
        return Err("give at least one mode: road, rail".into());
    }
    Ok(m)
}

/// A finite number in `[min, max]` (what every numeric option takes).
pub fn finite_in(s: &str, min: f64, max: f64) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && (min..=max).contains(&x) => Ok(x),
        Ok(x) => Err(format!("{x} is outside {min} to {max}")),
        Err(_) => Err(format!("\"{s}\" is not a number")),
    }
}

/// Options' limits, documented in `--help` and the README.
pub mod limits {
    /// Most isochrone bands.
    pub const MAX_BANDS: usize = 12;
    /// Largest shipment, tonnes.
    pub const MAX_TONNES: f64 = 1.0e8;
    /// Largest value of time of a shipment, USD per hour.
    pub const MAX_VALUE_OF_TIME: f64 = 1.0e9;
}

fn parse_tonnes(s: &str) -> std::result::Result<f64, String> {
    let t = finite_in(s, 0.0, limits::MAX_TONNES)?;
    if t <= 0.0 {
        return Err("must be greater than 0".into());
    }
    Ok(t)
}

fn parse_value_of_time(s: &str) -> std::result::Result<f64, String> {
    finite_in(s, 0.0, limits::MAX_VALUE_OF_TIME)
}

fn parse_rail_service(s: &str) -> std::result::Result<RailService, String> {
    RailService::parse(s)
        .ok_or_else(|| format!("unknown rail service \"{s}\"; use wagonload or block"))
}

fn parse_country(s: &str) -> std::result::Result<Country, String> {
    Country::parse(s)
        .ok_or_else(|| format!("\"{s}\" is not a two-letter country code (e.g. RU, CN)"))
}

impl RouteOptions {
    /// The request these options state (the library turns it into a profile).
    pub fn request(&self) -> steppe::cost::request::Request {
        steppe::cost::request::Request {
            objective: self.minimize,
            modes: self.modes,
            commodity: self.commodity.clone(),
            rail_service: self.rail_service,
            avoid_countries: self.avoid_country.clone(),
            avoid_places: self.avoid.clone(),
            month: self.month,
            include_under_construction: self.include_under_construction,
            include_proposed: self.include_proposed,
            tonnes: self.tonnes,
            value_of_time_usd_per_hour: self.value_of_time,
            params: self.param.clone(),
        }
    }

    /// The profile these options ask for on `network`.
    pub fn profile(&self, network: &Network) -> Result<Profile> {
        self.request().profile(network)
    }
}

/// Loads the network the user asked for.
pub fn load(cli_network: &Option<PathBuf>) -> Result<Network> {
    match cli_network {
        Some(dir) => load_dir(dir),
        None => load_embedded(),
    }
}

/// The routing engine of the network the user asked for: for a network folder, with its
/// node order cached in the folder (a stale or unusable cache is said on standard error).
pub fn engine(cli_network: &Option<PathBuf>, network: &Network) -> Result<Engine> {
    let (engine, status) = Engine::build_cached(network, cli_network.as_deref())?;
    if let Some(m) = status.message() {
        eprintln!("note: {m}");
    }
    Ok(engine)
}

/// Writes `text` to `-o FILE` safely (see `steppe::output::atomic`), or to standard output.
pub fn emit(text: &str, output: &Option<PathBuf>) -> Result<()> {
    match output {
        Some(path) if path.as_os_str() != "-" => {
            write_atomic(path, text.as_bytes())?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        _ => out(text),
    }
}

/// Prints to standard output. A closed pipe (`steppe ... | head`) ends the run quietly with
/// success, as command-line tools do.
pub fn out(text: &str) -> Result<()> {
    use std::io::Write;
    let text = steppe::output::escape_controls(text);
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::io(std::path::Path::new("standard output"), e)),
    }
}

/// `println!` through [`out`], returning its error with `?` (use in functions that return
/// a `Result`).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::out(&format!("{}\n", format!($($arg)*)))?
    };
}
pub(crate) use outln;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Network(cmd) => network::run(&cli, cmd),
        Command::Places(args) => places::run(&cli, args),
        Command::Route(args) => route::run_route(&cli, args),
        Command::Pareto(args) => route::run_pareto(&cli, args),
        Command::Matrix(args) => many::run_matrix(&cli, args),
        Command::Isochrone(args) => many::run_isochrone(&cli, args),
        Command::Assign(args) => many::run_assign(&cli, args),
        Command::Calibrate(args) => many::run_calibrate(&cli, args),
        Command::Scenario(cmd) => scenario::run(&cli, cmd),
        Command::Critical(args) => scenario::run_critical(&cli, args),
        Command::Propose(args) => propose::run_propose(&cli, args),
        Command::Detours(args) => propose::run_detours(&cli, args),
        Command::Import(cmd) => import::run(&cli, cmd),
        Command::Serve(args) => serve::run_serve(&cli, args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "steppe", &mut buf);
            out(&String::from_utf8_lossy(&buf))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            use clap::CommandFactory;
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| Error::io(std::path::Path::new("standard output"), e))?;
            out(&String::from_utf8_lossy(&buf))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Exit code for "no route under these constraints".
pub const EXIT_NO_ROUTE: u8 = 3;

/// Turns an error into the text printed for people.
pub fn report(e: &Error) -> String {
    steppe::output::escape_controls(&format!("error: {e}")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_option_and_command_has_help() {
        Cli::command().debug_assert();
        fn walk(c: &clap::Command, path: &str, missing: &mut Vec<String>) {
            if c.get_about().is_none() && path != "steppe" {
                missing.push(format!("{path} (command)"));
            }
            for a in c.get_arguments() {
                let id = a.get_id().as_str();
                if a.is_hide_set() || id == "help" || id == "version" {
                    continue;
                }
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for s in c.get_subcommands() {
                walk(s, &format!("{path} {}", s.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "steppe", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:?}");
    }
}
