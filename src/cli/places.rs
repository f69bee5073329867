//! `steppe places`: list places, filtered by country and kind.

use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use steppe::network::model::{Country, PlaceKind};
use steppe::output::table::Table;
use steppe::{Error, Result};

use crate::cli::{Cli, load};

#[derive(Debug, Args)]
pub struct PlacesArgs {
    /// Only places in this country (ISO code; a crossing counts in both its countries).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Only places of this kind (city, town, rail_station, terminal, border_crossing,
    /// border_post, port, mine).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: PlacesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlacesFormat {
    Table,
    Json,
}

pub fn run(cli: &Cli, args: &PlacesArgs) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let country = match &args.country {
        Some(c) => Some(Country::parse(c).ok_or_else(|| {
            Error::Request(format!(
                "\"{c}\" is not a two-letter country code (e.g. MN, KZ)"
            ))
        })?),
        None => None,
    };
    let kind = match &args.kind {
        Some(k) => Some(PlaceKind::parse(k).ok_or_else(|| {
            let known: Vec<&str> = PlaceKind::ALL.iter().map(PlaceKind::as_str).collect();
            Error::Request(format!(
                "unknown kind \"{k}\"; use one of {}",
                known.join(", ")
            ))
        })?),
        None => None,
    };
    let mut places: Vec<_> = network
        .places()
        .filter(|(_, p)| country.is_none_or(|c| p.in_country(c)))
        .filter(|(_, p)| kind.is_none_or(|k| p.kind == k))
        .map(|(_, p)| p)
        .collect();
    places.sort_by(|a, b| (a.country, &a.name).cmp(&(b.country, &b.name)));
    match args.format {
        PlacesFormat::Json => {
            let list: Vec<_> = places
                .iter()
                .map(|p| {
                    json!({"id": p.id.0, "name": p.name, "aliases": p.aliases, "country": p.country.as_str(),
                           "kind": p.kind.as_str(), "status": p.status.as_str(),
                           "lon": p.position.x(), "lat": p.position.y()})
                })
                .collect();
            crate::cli::outln!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        PlacesFormat::Table => {
            let mut t = Table::new([
                "id",
                "name",
                "country",
                "kind",
                "lat",
                "lon",
                "also known as",
            ]);
            for p in &places {
                t.row([
                    p.id.0.clone(),
                    p.name.clone(),
                    p.countries()
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join("/"),
                    p.kind.as_str().to_string(),
                    format!("{:.4}", p.position.y()),
                    format!("{:.4}", p.position.x()),
                    p.aliases.join(", "),
                ]);
            }
            crate::cli::out(&t.render())?;
            crate::cli::outln!("{} place(s)", places.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}
