//! Geography checks: links must stay in the countries of their ends and keep off large
//! lakes, and border crossings must sit on the border they cross. Country and lake polygons
//! are Natural Earth's (public domain), clipped to the region and shipped in
//! `networks/naturalearth/`.

use geo::{
    BoundingRect, ClosestPoint, Contains, Coord, Distance, Haversine, InterpolatePoint, LineString,
    MultiLineString, MultiPolygon, Point, Rect,
};

use crate::error::{Error, Result};
use crate::network::model::{Country, Network};
use crate::network::validate::{Problem, Severity};

/// How much of a link may run through a third country before a warning, km.
pub const FOREIGN_WARN_KM: f64 = 2.0;
/// ... and before an error, km.
pub const FOREIGN_ERROR_KM: f64 = 10.0;
/// How much of a link may lie in a lake before an error, km (shore roads graze them).
pub const LAKE_ERROR_KM: f64 = 1.0;
/// How far a border crossing may sit from the border it crosses, km.
pub const CROSSING_MAX_KM: f64 = 3.0;
/// Spacing of the points at which links are tested, km.
const STEP_KM: f64 = 1.0;

const COUNTRIES: &str = include_str!("../../networks/naturalearth/countries.geojson");
const LAKES: &str = include_str!("../../networks/naturalearth/lakes.geojson");

struct Area {
    name: String,
    shape: MultiPolygon<f64>,
    bbox: Rect<f64>,
    outline: MultiLineString<f64>,
}

/// Country and lake polygons.
pub struct Geography {
    countries: Vec<(Country, Area)>,
    lakes: Vec<Area>,
}

fn areas(
    text: &str,
    origin: &str,
) -> Result<Vec<(serde_json::Map<String, serde_json::Value>, Area)>> {
    let bad = |m: String| Error::Input {
        path: origin.into(),
        message: m,
    };
    let fc: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .map_err(|e| bad(e.to_string()))?
        .try_into()
        .map_err(|e: geojson::Error| bad(e.to_string()))?;
    let mut out = Vec::new();
    for f in fc.features {
        let props = f.properties.clone().unwrap_or_default();
        let Some(g) = f.geometry else { continue };
        let shape: MultiPolygon<f64> =
            match geo::Geometry::<f64>::try_from(g.value).map_err(|e| bad(e.to_string()))? {
                geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(m) => m,
                _ => continue,
            };
        let Some(bbox) = shape.bounding_rect() else {
            continue;
        };
        let outline = MultiLineString(
            shape
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior().clone()).chain(p.interiors().to_vec()))
                .collect(),
        );
        let name = props
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_string();
        out.push((
            props,
            Area {
                name,
                shape,
                bbox,
                outline,
            },
        ));
    }
    Ok(out)
}

impl Area {
    fn contains(&self, p: Point<f64>) -> bool {
        self.bbox.contains(&p) && self.shape.contains(&p)
    }

    /// Distance from `p` to the area's outline, km.
    fn outline_km(&self, p: Point<f64>) -> f64 {
        match self.outline.closest_point(&p) {
            geo::Closest::Intersection(q) | geo::Closest::SinglePoint(q) => {
                Haversine.distance(p, q) / 1000.0
            }
            geo::Closest::Indeterminate => f64::INFINITY,
        }
    }
}

impl Geography {
    /// The shipped Natural Earth polygons.
    pub fn embedded() -> Result<Geography> {
        let countries = areas(COUNTRIES, "networks/naturalearth/countries.geojson")?
            .into_iter()
            .filter_map(|(props, a)| {
                let code = props.get("iso_a2")?.as_str()?;
                Some((Country::parse(code)?, a))
            })
            .collect();
        let lakes = areas(LAKES, "networks/naturalearth/lakes.geojson")?
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        Ok(Geography { countries, lakes })
    }

    /// Country polygons from a GeoJSON file (Polygon or MultiPolygon features with an ISO
    /// 3166-1 alpha-2 code in `iso_a2`, `ISO_A2`, `iso` or `ISO3166-1:alpha2`), no lakes.
    /// `origin` names the file in errors.
    pub fn countries_from_geojson(text: &str, origin: &str) -> Result<Geography> {
        let mut countries = Vec::new();
        for (i, (props, a)) in areas(text, origin)?.into_iter().enumerate() {
            let code = ["iso_a2", "ISO_A2", "iso", "ISO3166-1:alpha2"]
                .iter()
                .find_map(|k| props.get(*k).and_then(|v| v.as_str()));
            match code.and_then(Country::parse) {
                Some(c) => countries.push((c, a)),
                None => {
                    return Err(Error::Input {
                        path: origin.into(),
                        message: format!(
                            "polygon feature {i} has no two-letter ISO code in `iso_a2` (got {code:?})"
                        ),
                    });
                }
            }
        }
        if countries.is_empty() {
            return Err(Error::Input {
                path: origin.into(),
                message: "no Polygon or MultiPolygon feature with an ISO code".into(),
            });
        }
        Ok(Geography {
            countries,
            lakes: Vec::new(),
        })
    }

    /// The country a point lies in, if any polygon holds it.
    pub fn country_at(&self, p: Point<f64>) -> Option<Country> {
        self.countries
            .iter()
            .find(|(_, a)| a.contains(p))
            .map(|(c, _)| *c)
    }

    /// The lake a point lies in, if any.
    pub fn lake_at(&self, p: Point<f64>) -> Option<&str> {
        self.lakes
            .iter()
            .find(|a| a.contains(p))
            .map(|a| a.name.as_str())
    }

    /// How far `p` is from the border between `a` and `b`, km: the larger of its distances
    /// to the two countries' outlines (both are near zero only on their shared border).
    pub fn border_km(&self, p: Point<f64>, a: Country, b: Country) -> Option<f64> {
        let da = self
            .countries
            .iter()
            .find(|(c, _)| *c == a)?
            .1
            .outline_km(p);
        let db = self
            .countries
            .iter()
            .find(|(c, _)| *c == b)?
            .1
            .outline_km(p);
        Some(da.max(db))
    }
}

/// Points along a line every [`STEP_KM`] or so, each with the length it stands for, km.
fn samples(line: &LineString<f64>) -> Vec<(Point<f64>, f64)> {
    let mut out = Vec::new();
    for seg in line.lines() {
        let (a, b) = (Point::from(seg.start), Point::from(seg.end));
        let km = Haversine.distance(a, b) / 1000.0;
        let n = (km / STEP_KM).ceil().max(1.0) as usize;
        for i in 0..n {
            let t = (i as f64 + 0.5) / n as f64;
            let c: Coord<f64> = Haversine.point_at_ratio_between(a, b, t).into();
            out.push((Point::from(c), km / n as f64));
        }
    }
    out
}

/// Km of a line in each third country, and in each lake.
pub type LineReport = (Vec<(Country, f64)>, Vec<(String, f64)>);

/// Km of `line` in each country not in `allowed`, and in each lake.
pub fn line_report(geo: &Geography, line: &LineString<f64>, allowed: &[Country]) -> LineReport {
    let mut foreign: Vec<(Country, f64)> = Vec::new();
    let mut lakes: Vec<(String, f64)> = Vec::new();
    for (p, km) in samples(line) {
        if let Some(c) = geo.country_at(p)
            && !allowed.contains(&c)
        {
            match foreign.iter_mut().find(|(x, _)| *x == c) {
                Some(e) => e.1 += km,
                None => foreign.push((c, km)),
            }
        }
        if let Some(name) = geo.lake_at(p) {
            match lakes.iter_mut().find(|(x, _)| x == name) {
                Some(e) => e.1 += km,
                None => lakes.push((name.to_string(), km)),
            }
        }
    }
    (foreign, lakes)
}

/// Whether a line could be built as drawn: no more than the error thresholds through a
/// third country or across a lake.
pub fn line_acceptable(geo: &Geography, line: &LineString<f64>, allowed: &[Country]) -> bool {
    let (foreign, lakes) = line_report(geo, line, allowed);
    foreign.iter().all(|(_, km)| *km <= FOREIGN_ERROR_KM)
        && lakes.iter().all(|(_, km)| *km <= LAKE_ERROR_KM)
}

/// Every geography problem of a network: links through third countries or across lakes,
/// crossings away from their border. `file` names the network file in the problems.
pub fn check(network: &Network, geo: &Geography, file: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut push = |severity, id: &str, message: String| {
        out.push(Problem {
            severity,
            file: file.to_string(),
            line: None,
            feature: None,
            message: format!("\"{id}\": {message}"),
        })
    };
    for (_, a, b, link) in network.links() {
        let allowed: Vec<Country> = network
            .place(a)
            .countries()
            .into_iter()
            .chain(network.place(b).countries())
            .collect();
        let (foreign, lakes) = line_report(geo, &link.geometry, &allowed);
        for (c, km) in foreign {
            let severity = if km > FOREIGN_ERROR_KM {
                Severity::Error
            } else if km > FOREIGN_WARN_KM {
                Severity::Warning
            } else {
                continue;
            };
            push(
                severity,
                &link.id.0,
                format!(
                    "{} link runs {km:.1} km through {c}, a country neither end is in (warning beyond {FOREIGN_WARN_KM} km, error beyond {FOREIGN_ERROR_KM} km); redraw it through the towns it really passes",
                    link.mode
                ),
            );
        }
        for (name, km) in lakes {
            if km > LAKE_ERROR_KM {
                push(
                    Severity::Error,
                    &link.id.0,
                    format!(
                        "{} link crosses {name} for {km:.1} km; redraw it along the shore",
                        link.mode
                    ),
                );
            }
        }
    }
    for (_, p) in network.places() {
        let Some(x) = &p.crossing else { continue };
        if let Some(km) = geo.border_km(p.position, x.countries[0], x.countries[1])
            && km > CROSSING_MAX_KM
        {
            push(
                Severity::Error,
                &p.id.0,
                format!(
                    "border crossing lies {km:.1} km from the {}-{} border (at most {CROSSING_MAX_KM} km); move it onto the border",
                    x.countries[0], x.countries[1]
                ),
            );
        }
    }
    out
}
