//! `steppe propose` and `steppe detours`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};

use steppe::analysis::propose::{
    Budget, Candidate, ProposeOptions, detail, detours, evaluate_all, file_candidates, generate,
    greedy_programme, network_projects,
};
use steppe::cost::profile::{ModeSet, Objective};
use steppe::graph::Weights;
use steppe::output::propose::{
    details_json, details_text, detours_table, programme_table, proposals_geojson, proposals_json,
    ranking_table,
};
use steppe::output::table::num;
use steppe::{Error, Result};

use crate::cli::many::DemandOptions;
use crate::cli::{Cli, RouteOptions, emit, load};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProposeFormat {
    Table,
    Json,
    Csv,
    Geojson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CandidateMode {
    Road,
    Rail,
}

#[derive(Debug, Args)]
pub struct ProposeArgs {
    /// Build a programme of candidates within this budget (USD), picked greedily.
    #[arg(long = "budget-usd", value_name = "USD", value_parser = |s: &str| crate::cli::finite_in(s, 0.0, 1e15))]
    pub budget_usd: Option<f64>,
    /// The programme picks only candidates with at least this benefit-cost ratio.
    #[arg(long = "min-bcr", default_value_t = 0.0, value_parser = |s: &str| crate::cli::finite_in(s, 0.0, 1e6))]
    pub min_bcr: f64,
    /// Rows of the ranking shown (and mapped).
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    /// Only generate candidates of this mode.
    #[arg(long, value_enum)]
    pub mode: Option<CandidateMode>,
    /// Longest straight line of a generated candidate, km.
    #[arg(long = "max-km", default_value_t = 400.0, value_parser = |s: &str| crate::cli::finite_in(s, 1.0, 2000.0))]
    pub max_km: f64,
    /// Generate candidates only where the best route is at least this many times the
    /// straight line.
    #[arg(long = "min-detour", default_value_t = 1.5, value_parser = |s: &str| crate::cli::finite_in(s, 1.0, 100.0))]
    pub min_detour: f64,
    /// More candidates: GeoJSON links in the network format, each with construction_cost_usd.
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,
    /// Re-route the whole demand with each top candidate added and check the fast benefit.
    #[arg(long)]
    pub verify: bool,
    #[command(flatten)]
    pub demand: DemandOptions,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ProposeFormat,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DetoursArgs {
    /// Rows shown.
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    /// Output format (geojson: each O-D pair as a straight line with its detour figures).
    #[arg(long, value_enum, default_value = "table")]
    pub format: DetoursFormat,
    #[command(flatten)]
    pub demand: DemandOptions,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetoursFormat {
    Table,
    Csv,
    Geojson,
}

pub fn run_propose(cli: &Cli, args: &ProposeArgs) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let demand = args.demand.load(&network)?;
    let mut profile = args.options.profile(&network)?;
    if profile.objective != Objective::Generalized {
        return Err(Error::Request(
            "propose measures benefits in generalized cost; drop --minimize".into(),
        ));
    }
    if profile.params.construction_usd_per_km.is_none() {
        return Err(Error::Request(format!(
            "{}: params.json has no construction_usd_per_km (road_flat, road_mountain, rail_flat, rail_mountain)",
            network.origin
        )));
    }
    profile.objective = Objective::Generalized;
    let options = ProposeOptions {
        max_km: args.max_km,
        min_detour: args.min_detour,
        modes: match args.mode {
            Some(CandidateMode::Road) => ModeSet {
                road: true,
                rail: false,
            },
            Some(CandidateMode::Rail) => ModeSet {
                road: false,
                rail: true,
            },
            None => profile.modes,
        },
        ..ProposeOptions::default()
    };
    let engine = super::engine(&cli.network, &network)?;
    let graph = &engine.graph;
    let mut candidates: Vec<Candidate> = network_projects(&network, &options);
    if let Some(f) = &args.candidates {
        candidates.extend(file_candidates(&network, f)?);
    }
    candidates.extend(generate(&network, &engine, &profile, &options)?);
    let all: Vec<usize> = (0..candidates.len()).collect();
    let evals = evaluate_all(&network, &profile, &demand, &candidates, &all, &options)?;
    let mut text = String::new();
    if args.format == ProposeFormat::Table {
        let generated = candidates.iter().filter(|c| c.single.is_some()).count();
        text.push_str(&format!(
            "{} candidates ({} generated within {} km where the best route is {}x the straight line or more; {} projects), evaluated over {} ({} t/yr), {}\n\n",
            candidates.len(),
            generated,
            num(options.max_km, 0),
            options.min_detour,
            candidates.len() - generated,
            demand.origin,
            num(demand.total_tonnes(), 0),
            profile.describe()
        ));
        text.push_str(&ranking_table(
            &network,
            &demand,
            &candidates,
            &evals,
            args.top,
        ));
        text.push_str(&format!(
            "\nBenefit: generalized cost saved per year over the demand. B/C: benefit over {} years discounted at {} % / construction cost.\n",
            options.years,
            options.discount_rate * 100.0
        ));
    }
    // The top candidates re-routed in full: tonne-hours saved, routes before and after, and
    // (with --verify) the check of the fast benefit.
    let weights = Weights::compile(&network, graph, &profile);
    let masks = steppe::analysis::many::MaskSet::new(&network, graph, &weights);
    let before =
        steppe::analysis::assign::routes_of(&network, &engine, &weights, &[], &masks, &demand);
    let shown = if args.verify {
        args.top
    } else {
        args.top.min(5)
    };
    let mut details = Vec::new();
    let mut worst: f64 = 0.0;
    for e in evals.iter().take(shown) {
        let d = detail(
            &network,
            &profile,
            &demand,
            &before,
            &candidates,
            e.candidate,
            &options,
        )?;
        worst = worst.max((d.evaluation.benefit_usd_per_year - e.benefit_usd_per_year).abs());
        details.push(d);
    }
    if args.verify {
        let line = format!(
            "verify: the top {} benefits re-computed by full re-routing differ by at most USD {:.2} per year\n",
            details.len(),
            worst
        );
        if worst > 0.01 {
            return Err(Error::Request(format!(
                "{line}the fast evaluation disagrees with re-routing; please report this"
            )));
        }
        eprint!("{line}");
    }
    details.truncate(5);
    if args.format == ProposeFormat::Table && !details.is_empty() {
        text.push_str("\nThe top candidates re-routed in full:\n");
        text.push_str(&details_text(&network, &demand, &candidates, &details));
    }
    let mut picks = Vec::new();
    if let Some(budget) = args.budget_usd {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(120));
        picks = greedy_programme(
            &network,
            &profile,
            &demand,
            &candidates,
            Budget {
                usd: budget,
                min_bcr: args.min_bcr,
            },
            &options,
            |k| {
                bar.set_message(format!(
                    "programme: {k} candidate(s) picked, re-evaluating the rest"
                ))
            },
        )?;
        bar.finish_and_clear();
        if args.format == ProposeFormat::Table {
            text.push_str(&format!(
                "\nProgramme within USD {} (greedy by benefit-cost ratio, B/C at least {}, re-evaluated after each pick):\n",
                num(budget, 0),
                args.min_bcr
            ));
            text.push_str(&programme_table(&candidates, &picks));
        }
    }
    let text = match args.format {
        ProposeFormat::Table => text,
        ProposeFormat::Json => {
            let mut v = proposals_json(&network, &demand, &candidates, &evals, &picks);
            v["top_in_detail"] = details_json(&network, &demand, &candidates, &details);
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        ProposeFormat::Geojson => {
            proposals_geojson(&network, &candidates, &evals, args.top, &details)
        }
        ProposeFormat::Csv => steppe::output::propose::ranking_rows(
            &network,
            &demand,
            &candidates,
            &evals,
            evals.len(),
        )
        .to_csv(),
    };
    emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_detours(cli: &Cli, args: &DetoursArgs) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let demand = args.demand.load(&network)?;
    let mut profile = args.options.profile(&network)?;
    profile.objective = args.options.minimize;
    let engine = super::engine(&cli.network, &network)?;
    let weights = Weights::compile(&network, &engine.graph, &profile);
    let list = detours(&network, &engine, &weights, &demand);
    let text = match args.format {
        DetoursFormat::Table => format!(
            "Detours of the demand's best routes, {}: where shorter routes are most missing (excess tonne-km = tonnes x (route km - straight km))\n\n{}",
            profile.describe(),
            detours_table(&network, &demand, &list, args.top)
        ),
        DetoursFormat::Csv => {
            steppe::output::propose::detours_rows(&network, &demand, &list, list.len()).to_csv()
        }
        DetoursFormat::Geojson => {
            steppe::output::propose::detours_geojson(&network, &demand, &list, args.top)
        }
    };
    emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}
