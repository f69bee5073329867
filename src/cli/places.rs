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
    /// Write to this file instead of standard output (`-` for standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlacesFormat {
    Table,
    Json,
    Csv,
    Geojson,
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
    let text = match args.format {
        PlacesFormat::Json => {
            let list: Vec<_> = places
                .iter()
                .map(|p| {
                    json!({"id": p.id.0, "name": p.name, "aliases": p.aliases, "country": p.country.as_str(),
                           "kind": p.kind.as_str(), "status": p.status.as_str(),
                           "lon": p.position.x(), "lat": p.position.y()})
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(
                    &json!({"schema": "steppe.places.v1", "places": list})
                )
                .unwrap_or_default()
            )
        }
        PlacesFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record([
                "id",
                "name",
                "country",
                "countries",
                "kind",
                "status",
                "lat",
                "lon",
                "aliases",
            ]);
            for p in &places {
                let _ = w.write_record([
                    p.id.0.clone(),
                    p.name.clone(),
                    p.country.to_string(),
                    p.countries()
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join("/"),
                    p.kind.as_str().to_string(),
                    p.status.as_str().to_string(),
                    format!("{:.5}", p.position.y()),
                    format!("{:.5}", p.position.x()),
                    p.aliases.join("; "),
                ]);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        PlacesFormat::Geojson => {
            let features: Vec<geojson::Feature> = places
                .iter()
                .map(|p| geojson::Feature {
                    bbox: None,
                    geometry: Some(geojson::Geometry::new(geojson::GeometryValue::from(
                        &p.position,
                    ))),
                    id: None,
                    properties: Some(steppe::output::geojson::place_properties(p)),
                    foreign_members: None,
                })
                .collect();
            steppe::output::geojson::to_text(&geojson::FeatureCollection {
                bbox: None,
                features,
                foreign_members: None,
            })
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
            format!("{}{} place(s)\n", t.render(), places.len())
        }
    };
    crate::cli::emit(&text, &args.output)?;
    Ok(ExitCode::SUCCESS)
}
