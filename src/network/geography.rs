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
    grid: Grid,
}

/// Cells over an area's bounding box, each known to lie wholly inside the area, wholly
/// outside, or across its outline. A point in a cell of the first two kinds is answered
/// without testing the polygon; only points in outline cells are (a few per cent of an
/// import's nodes, against every node's test on polygons of thousands of vertices).
struct Grid {
    cols: usize,
    rows: usize,
    min: Coord<f64>,
    cell: Coord<f64>,
    /// Per cell: `OUTSIDE`, `INSIDE` or `ACROSS`.
    state: Vec<u8>,
}

const OUTSIDE: u8 = 0;
const INSIDE: u8 = 1;
const ACROSS: u8 = 2;
/// Cells per side of an area's grid, at most.
const GRID_CELLS: usize = 256;

impl Grid {
    fn new(shape: &MultiPolygon<f64>, bbox: Rect<f64>, outline: &MultiLineString<f64>) -> Grid {
        let (w, h) = (bbox.width().max(1e-9), bbox.height().max(1e-9));
        let (cols, rows) = (GRID_CELLS, GRID_CELLS);
        let cell = Coord {
            x: w / cols as f64,
            y: h / rows as f64,
        };
        let mut g = Grid {
            cols,
            rows,
            min: bbox.min(),
            cell,
            state: vec![u8::MAX; cols * rows],
        };
        // Cells the outline passes through, sampled at half the smaller cell side; then
        // their neighbours too, so a corner clipped between two samples is still caught.
        let step = cell.x.min(cell.y) / 2.0;
        let mut across = vec![false; cols * rows];
        for line in &outline.0 {
            for seg in line.lines() {
                let (dx, dy) = (seg.end.x - seg.start.x, seg.end.y - seg.start.y);
                let n = ((dx.hypot(dy) / step).ceil() as usize).max(1);
                for i in 0..=n {
                    let t = i as f64 / n as f64;
                    if let Some(k) = g.index(seg.start.x + t * dx, seg.start.y + t * dy) {
                        across[k] = true;
                    }
                }
            }
        }
        for r in 0..rows {
            for c in 0..cols {
                if !across[r * cols + c] {
                    continue;
                }
                for rr in r.saturating_sub(1)..=(r + 1).min(rows - 1) {
                    for cc in c.saturating_sub(1)..=(c + 1).min(cols - 1) {
                        g.state[rr * cols + cc] = ACROSS;
                    }
                }
            }
        }
        // The other cells fall into regions the outline does not cross: each region is
        // wholly inside or wholly outside, so one test of one cell's centre decides it.
        let mut queue = Vec::new();
        for start in 0..cols * rows {
            if g.state[start] != u8::MAX {
                continue;
            }
            let (c, r) = (start % cols, start / cols);
            let centre = Point::new(
                g.min.x + (c as f64 + 0.5) * cell.x,
                g.min.y + (r as f64 + 0.5) * cell.y,
            );
            let value = if shape.contains(&centre) {
                INSIDE
            } else {
                OUTSIDE
            };
            g.state[start] = value;
            queue.clear();
            queue.push(start);
            while let Some(k) = queue.pop() {
                let (c, r) = (k % cols, k / cols);
                let mut next = |k: usize| {
                    if g.state[k] == u8::MAX {
                        g.state[k] = value;
                        queue.push(k);
                    }
                };
                if c > 0 {
                    next(k - 1);
                }
                if c + 1 < cols {
                    next(k + 1);
                }
                if r > 0 {
                    next(k - cols);
                }
                if r + 1 < rows {
                    next(k + cols);
                }
            }
        }
        g
    }

    /// The cell of a point, if it lies in the grid.
    fn index(&self, x: f64, y: f64) -> Option<usize> {
        let c = ((x - self.min.x) / self.cell.x).floor();
        let r = ((y - self.min.y) / self.cell.y).floor();
        if !(c >= 0.0 && r >= 0.0) {
            return None;
        }
        // A point on the box's far edge belongs to the last cell.
        let (c, r) = (
            (c as usize).min(self.cols - 1),
            (r as usize).min(self.rows - 1),
        );
        Some(r * self.cols + c)
    }
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
        let name = props
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_string();
        if let Some(area) = Area::of(name, shape) {
            out.push((props, area));
        }
    }
    Ok(out)
}

impl Area {
    /// An area from its polygons (`None` when they are empty).
    fn of(name: String, shape: MultiPolygon<f64>) -> Option<Area> {
        let bbox = shape.bounding_rect()?;
        let outline = MultiLineString(
            shape
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior().clone()).chain(p.interiors().to_vec()))
                .collect(),
        );
        Some(Area::new(name, shape, bbox, outline))
    }

    fn new(
        name: String,
        shape: MultiPolygon<f64>,
        bbox: Rect<f64>,
        outline: MultiLineString<f64>,
    ) -> Area {
        let grid = Grid::new(&shape, bbox, &outline);
        Area {
            name,
            shape,
            bbox,
            outline,
            grid,
        }
    }

    fn contains(&self, p: Point<f64>) -> bool {
        if !self.bbox.contains(&p) {
            return false;
        }
        match self.grid.index(p.x(), p.y()).map(|k| self.grid.state[k]) {
            Some(INSIDE) => true,
            Some(OUTSIDE) => false,
            _ => self.shape.contains(&p),
        }
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

    /// These countries' polygons first, in place of their polygons here (an extract's own
    /// boundaries, exact where the shipped ones are generalised or absent).
    pub fn with_countries_first(
        self,
        exact: Vec<(Country, String, MultiPolygon<f64>)>,
    ) -> Geography {
        let codes: Vec<Country> = exact.iter().map(|(c, _, _)| *c).collect();
        let mut countries: Vec<(Country, Area)> = exact
            .into_iter()
            .filter_map(|(c, name, shape)| Some((c, Area::of(name, shape)?)))
            .collect();
        countries.extend(
            self.countries
                .into_iter()
                .filter(|(c, _)| !codes.contains(c)),
        );
        Geography {
            countries,
            lakes: self.lakes,
        }
    }

    /// The country a point lies in, if any polygon holds it.
    pub fn country_at(&self, p: Point<f64>) -> Option<Country> {
        self.countries
            .iter()
            .find(|(_, a)| a.contains(p))
            .map(|(c, _)| *c)
    }

    /// [`Geography::country_at`] by testing the polygons alone, without the grids: the
    /// reference the grids are measured and tested against.
    pub fn country_at_exact(&self, p: Point<f64>) -> Option<Country> {
        self.countries
            .iter()
            .find(|(_, a)| a.bbox.contains(&p) && a.shape.contains(&p))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The grid answers as the polygon test does, on points all over the region (and on the
    /// vertices of the outlines, where the two could disagree if a cell were misjudged).
    #[test]
    fn the_grid_answers_as_the_polygons_do() {
        let geo = Geography::embedded().expect("shipped polygons");
        let mut state: u64 = 7;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut checked = 0;
        let areas: Vec<&Area> = geo
            .countries
            .iter()
            .map(|(_, a)| a)
            .chain(geo.lakes.iter())
            .collect();
        for a in areas {
            let (min, max) = (a.bbox.min(), a.bbox.max());
            let mut points: Vec<Point<f64>> = (0..4000)
                .map(|_| {
                    Point::new(
                        min.x + next() * (max.x - min.x),
                        min.y + next() * (max.y - min.y),
                    )
                })
                .collect();
            // Points just off the outline's vertices.
            for line in a.outline.0.iter().take(3) {
                for c in line.0.iter().step_by(7) {
                    points.push(Point::new(c.x + 1e-4, c.y - 1e-4));
                }
            }
            for p in points {
                let plain = a.bbox.contains(&p) && a.shape.contains(&p);
                assert_eq!(a.contains(p), plain, "{} at {p:?}", a.name);
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }
}
