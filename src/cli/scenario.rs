//! `steppe scenario run | compare` and `steppe critical`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use rayon::prelude::*;

use steppe::Result;
use steppe::analysis::assign::assign;
use steppe::analysis::critical::{Kinds, criticality};
use steppe::analysis::scenario::{ScenarioRun, read_scenario, run_scenario};
use steppe::graph::Weights;
use steppe::output::scenario::{
    compare_text, critical_json, critical_text, scenario_geojson, scenario_json, scenario_text,
};

use crate::cli::many::DemandOptions;
use crate::cli::{Cli, RouteOptions, emit, load};

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Assign the demand under a scenario beside the baseline, and show what changed.
    #[command(
        after_help = "Examples:\n  steppe scenario run networks/mn-kz/scenarios/winter-altai-closure.json\n  steppe scenario run networks/mn-kz/scenarios/russia-transit-closed.json --format geojson -o diff.geojson"
    )]
    Run(RunArgs),
    /// Several scenarios side by side, evaluated in parallel.
    #[command(after_help = "Examples:\n  steppe scenario compare networks/mn-kz/scenarios/*.json")]
    Compare(CompareArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScenarioFormat {
    Table,
    Json,
    Csv,
    Geojson,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (JSON; see networks/README.md).
    pub file: PathBuf,
    #[command(flatten)]
    pub demand: DemandOptions,
    /// O-D pairs listed in the table.
    #[arg(long, default_value_t = 8)]
    pub top: usize,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ScenarioFormat,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub demand: DemandOptions,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format (geojson: every loaded link with its tonnes in the baseline and in
    /// each scenario).
    #[arg(long, value_enum, default_value = "table")]
    pub format: CompareFormat,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Table,
    Csv,
    Geojson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ElementKind {
    Link,
    Crossing,
    Terminal,
}

#[derive(Debug, Args)]
pub struct CriticalArgs {
    /// Rows shown.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Only elements of this kind (repeatable); default all.
    #[arg(long, value_enum)]
    pub kind: Vec<ElementKind>,
    #[command(flatten)]
    pub demand: DemandOptions,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CriticalFormat,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CriticalFormat {
    Table,
    Json,
    Csv,
    Geojson,
}

pub fn run(cli: &Cli, cmd: &ScenarioCommand) -> Result<ExitCode> {
    match cmd {
        ScenarioCommand::Run(args) => {
            let network = load(&cli.network)?;
            let scenario = read_scenario(&args.file)?;
            let demand = args.demand.load(&network)?;
            let profile = args.options.profile(&network)?;
            let engine = super::engine(&cli.network, &network)?;
            let graph = &engine.graph;
            let weights = Weights::compile(&network, graph, &profile);
            let baseline = assign(&network, &engine, &weights, &demand);
            let run = run_scenario(&network, &engine, &weights, &baseline, &demand, &scenario)?;
            let text = match args.format {
                ScenarioFormat::Table => scenario_text(&network, &run, args.top),
                ScenarioFormat::Json => format!(
                    "{}\n",
                    serde_json::to_string_pretty(&scenario_json(&network, &run))
                        .unwrap_or_default()
                ),
                ScenarioFormat::Csv => steppe::output::scenario::compare_rows(
                    &run.baseline,
                    std::slice::from_ref(&run),
                )
                .to_csv(),
                ScenarioFormat::Geojson => scenario_geojson(&run),
            };
            emit(&text, &args.output)?;
            Ok(ExitCode::SUCCESS)
        }
        ScenarioCommand::Compare(args) => {
            let network = load(&cli.network)?;
            let scenarios = args
                .files
                .iter()
                .map(|f| read_scenario(f))
                .collect::<Result<Vec<_>>>()?;
            let demand = args.demand.load(&network)?;
            let profile = args.options.profile(&network)?;
            let engine = super::engine(&cli.network, &network)?;
            let graph = &engine.graph;
            let weights = Weights::compile(&network, graph, &profile);
            let baseline = assign(&network, &engine, &weights, &demand);
            let runs: Vec<ScenarioRun> = scenarios
                .par_iter()
                .map(|s| run_scenario(&network, &engine, &weights, &baseline, &demand, s))
                .collect::<Result<Vec<_>>>()?;
            let text = match args.format {
                CompareFormat::Table => {
                    let mut t = String::from(
                        "Scenarios compared (values per year; change against the baseline in brackets):\n\n",
                    );
                    t.push_str(&compare_text(&baseline, &runs));
                    t
                }
                CompareFormat::Csv => {
                    steppe::output::scenario::compare_rows(&baseline, &runs).to_csv()
                }
                CompareFormat::Geojson => {
                    steppe::output::scenario::compare_geojson(&network, &baseline, &runs)
                }
            };
            emit(&text, &args.output)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn run_critical(cli: &Cli, args: &CriticalArgs) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let demand = args.demand.load(&network)?;
    let profile = args.options.profile(&network)?;
    let engine = super::engine(&cli.network, &network)?;
    let graph = &engine.graph;
    let weights = Weights::compile(&network, graph, &profile);
    let kinds = if args.kind.is_empty() {
        Kinds::ALL
    } else {
        Kinds {
            links: args.kind.contains(&ElementKind::Link),
            crossings: args.kind.contains(&ElementKind::Crossing),
            terminals: args.kind.contains(&ElementKind::Terminal),
        }
    };
    let (impacts, _) = criticality(&network, &engine, &weights, &demand, kinds);
    let text = match args.format {
        CriticalFormat::Table => format!(
            "Criticality over {} ({} t/yr): each element removed in turn; {} element(s) carry demand, worst first\n\n{}",
            demand.origin,
            steppe::output::table::num(demand.total_tonnes(), 0),
            impacts.len(),
            critical_text(&network, &impacts, args.top)
        ),
        CriticalFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&critical_json(&network, &impacts)).unwrap_or_default()
        ),
        CriticalFormat::Csv => steppe::output::scenario::critical_csv(&network, &impacts),
        CriticalFormat::Geojson => steppe::output::scenario::critical_geojson(&network, &impacts),
    };
    emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}
