//! `steppe route` and `steppe pareto`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use steppe::Result;
use steppe::analysis::alternatives::{AlternativeOptions, alternatives};
use steppe::analysis::pareto::pareto_routes;
use steppe::analysis::route::{NoRoute, Planner, Route, RouteOutcome};
use steppe::cost::profile::Profile;
use steppe::graph::SearchGraph;
use steppe::network::{Network, names};
use steppe::output::geojson::{collection, to_text};
use steppe::output::route::route_text;
use steppe::output::table::{Table, num};

use crate::cli::{Cli, EXIT_NO_ROUTE, Format, RouteOptions, emit, load};

#[derive(Debug, Args)]
pub struct RouteCmd {
    /// Origin: a place name, alias or id (case and diacritics do not matter).
    pub from: String,
    /// Destination.
    pub to: String,
    /// Pass through this place (repeatable, in order).
    #[arg(long, value_name = "PLACE")]
    pub via: Vec<String>,
    /// Up to K routes that are really different (share at most half of the shorter one's
    /// km); K from 1 to 20.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(1..=20))]
    pub alternatives: Option<u16>,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ParetoCmd {
    /// Origin: a place name, alias or id.
    pub from: String,
    /// Destination.
    pub to: String,
    #[command(flatten)]
    pub options: RouteOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Output file (written atomically); default standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Reports "no route": the reason on standard error, and with `--format json` the same JSON
/// shape as an answer (`routes` empty, `no_route` set); exit code 3.
fn no_route(
    network: &Network,
    from: petgraph::stable_graph::NodeIndex,
    to: petgraph::stable_graph::NodeIndex,
    profile: &Profile,
    why: &NoRoute,
    format: Format,
    output: &Option<PathBuf>,
) -> Result<ExitCode> {
    eprintln!("{}", why.reason);
    for h in &why.hints {
        eprintln!("  {h}");
    }
    if format == Format::Json {
        let v = steppe::output::route::routes_answer(
            network,
            from,
            to,
            &profile.describe(),
            &[],
            Some(why),
        );
        emit(
            &format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()),
            output,
        )?;
    }
    Ok(ExitCode::from(EXIT_NO_ROUTE))
}

fn render(
    network: &Network,
    routes: &[Route],
    profile: &Profile,
    format: Format,
    titles: &[String],
) -> String {
    match format {
        Format::Table => routes
            .iter()
            .zip(titles)
            .map(|(r, t)| route_text(network, r, profile, t))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => {
            let (from, to) = (routes[0].from, routes[0].to);
            let v = steppe::output::route::routes_answer(
                network,
                from,
                to,
                &profile.describe(),
                routes,
                None,
            );
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Csv => steppe::output::route::routes_csv(network, routes),
        Format::Geojson => to_text(&collection(steppe::output::route::routes_features(
            network, routes,
        ))),
    }
}

/// The modes a profile allows, as the snapping of coordinates wants them.
fn modes_of(profile: &steppe::cost::profile::Profile) -> Vec<steppe::network::Mode> {
    let mut modes = Vec::new();
    if profile.modes.road {
        modes.push(steppe::network::Mode::Road);
    }
    if profile.modes.rail {
        modes.push(steppe::network::Mode::Rail);
    }
    modes
}

pub fn run_route(cli: &Cli, args: &RouteCmd) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let profile = args.options.profile(&network)?;
    // Coordinates snap to a place the request's modes reach.
    let modes = modes_of(&profile);
    let from = names::resolve_for_modes(&network, &args.from, &modes)?;
    let to = names::resolve_for_modes(&network, &args.to, &modes)?;
    let via = args
        .via
        .iter()
        .map(|v| names::resolve_for_modes(&network, v, &modes))
        .collect::<Result<Vec<_>>>()?;
    let engine = super::engine(&cli.network, &network)?;
    let mut planner = Planner::on_engine(&network, &engine, &profile);
    let routes = match args.alternatives {
        Some(k) if k > 1 => {
            match alternatives(
                &mut planner,
                from,
                to,
                &via,
                AlternativeOptions::new(usize::from(k)),
            )? {
                Ok(routes) => routes,
                Err(why) => {
                    return no_route(
                        &network,
                        from,
                        to,
                        &profile,
                        &why,
                        args.format,
                        &args.output,
                    );
                }
            }
        }
        _ => match planner.route(from, to, &via)? {
            RouteOutcome::Found(r) => vec![r],
            RouteOutcome::NoRoute(why) => {
                return no_route(
                    &network,
                    from,
                    to,
                    &profile,
                    &why,
                    args.format,
                    &args.output,
                );
            }
        },
    };
    let titles: Vec<String> = if routes.len() > 1 {
        (1..=routes.len())
            .map(|i| format!("Route {i} of {}: ", routes.len()))
            .collect()
    } else {
        vec![String::new()]
    };
    let mut text = render(&network, &routes, &profile, args.format, &titles);
    if args.format == Format::Table && routes.len() > 1 {
        text.push_str(&format!("\n{}", comparison(&network, &routes)));
    }
    emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}

/// Side-by-side summary of several routes.
fn comparison(network: &Network, routes: &[Route]) -> String {
    let mut t = Table::new([
        "#",
        "km",
        "hours",
        "bad-day h",
        "USD",
        "generalized",
        "crossings",
        "gauge changes",
        "transit",
    ]);
    for (i, r) in routes.iter().enumerate() {
        t.row([
            (i + 1).to_string(),
            num(r.totals.km, 0),
            num(r.totals.hours, 1),
            num(r.totals.bad_day_hours, 0),
            num(r.totals.usd, 0),
            num(r.totals.generalized_usd, 0),
            r.crossings()
                .iter()
                .map(|c| network.place(*c).name.clone())
                .collect::<Vec<_>>()
                .join("; "),
            r.gauge_changes().to_string(),
            r.transit_countries
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(","),
        ]);
    }
    format!("Summary:\n{}", t.render())
}

pub fn run_pareto(cli: &Cli, args: &ParetoCmd) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let profile = args.options.profile(&network)?;
    let modes = modes_of(&profile);
    let from = names::resolve_for_modes(&network, &args.from, &modes)?;
    let to = names::resolve_for_modes(&network, &args.to, &modes)?;
    let graph = SearchGraph::build(&network);
    let mut planner = Planner::new(&network, &graph, &profile);
    let routes = match pareto_routes(&mut planner, from, to)? {
        Ok(r) => r,
        Err(why) => {
            return no_route(
                &network,
                from,
                to,
                &profile,
                &why,
                args.format,
                &args.output,
            );
        }
    };
    let text = match args.format {
        Format::Table => {
            let mut s = format!(
                "Pareto set (time vs cost) {} -> {}, {}: {} route(s) no other route beats on both\n\n",
                network.place(from).name,
                network.place(to).name,
                profile.describe(),
                routes.len()
            );
            let mut t = Table::new([
                "#",
                "hours",
                "days",
                "USD",
                "km",
                "bad-day h",
                "crossings",
                "gauge changes",
                "modes",
            ]);
            for (i, r) in routes.iter().enumerate() {
                let mut modes: Vec<String> = r
                    .steps
                    .iter()
                    .filter_map(|s| match s {
                        steppe::analysis::Step::Link { layer, .. } => {
                            Some(steppe::output::route::layer_label(*layer))
                        }
                        _ => None,
                    })
                    .collect();
                modes.sort();
                modes.dedup();
                t.row([
                    (i + 1).to_string(),
                    num(r.totals.hours, 1),
                    num(r.totals.hours / 24.0, 1),
                    num(r.totals.usd, 0),
                    num(r.totals.km, 0),
                    num(r.totals.bad_day_hours, 0),
                    r.crossings()
                        .iter()
                        .map(|c| network.place(*c).name.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    r.gauge_changes().to_string(),
                    modes.join(" + "),
                ]);
            }
            s.push_str(&t.render());
            s
        }
        other => {
            let titles: Vec<String> = (1..=routes.len())
                .map(|i| format!("Pareto route {i}: "))
                .collect();
            render(&network, &routes, &profile, other, &titles)
        }
    };
    emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}
