//! Isochrones: what is reachable from a place within budgets of hours (or USD). One search on
//! time (or money) weights, stopped past the largest budget. Links are cut where a budget runs
//! out; each band's polygon is a buffer (in km, in a local equirectangular projection) around
//! the network reached within it, so bands are nested.

use geo::{
    Buffer, Coord, Distance, Haversine, InterpolatePoint, LineString, MultiLineString,
    MultiPolygon, Point,
};
use petgraph::stable_graph::NodeIndex;

use crate::error::Result;
use crate::graph::engine::Searcher;
use crate::graph::search_graph::ArcKind;
use crate::graph::weights::Weights;
use crate::network::model::{Country, Network};
use crate::search::cch::UNREACHABLE;
use crate::search::dijkstra::{Direction, SearchSpace};

/// What the budgets measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetKind {
    Hours,
    Usd,
}

/// One reached place.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    pub place: NodeIndex,
    /// Hours or USD to get there.
    pub amount: f64,
    /// Index of the smallest band whose budget covers it.
    pub band: usize,
}

/// One band: a budget and the network reached within it.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub budget: f64,
    /// Reached link pieces (whole links, or cut where the budget runs out).
    pub lines: Vec<LineString<f64>>,
    pub polygon: MultiPolygon<f64>,
}

/// An isochrone.
#[derive(Debug, Clone, PartialEq)]
pub struct Isochrone {
    pub origin: NodeIndex,
    pub kind: BudgetKind,
    pub bands: Vec<Band>,
    pub places: Vec<Reached>,
}

/// Distance of the polygon edge from the reached network, km.
pub const BUFFER_KM: f64 = 20.0;

/// Computes the isochrone of `origin` for `budgets` (ascending). `weights` must have been
/// compiled with the time (for hours) or cost (for USD) objective. Goods to each place follow
/// the O-D rules for that place's country, unless `destination_country` fixes one.
pub fn isochrone<'e>(
    network: &Network,
    search: impl Into<Searcher<'e>>,
    weights: &Weights,
    origin: NodeIndex,
    kind: BudgetKind,
    budgets: &[f64],
    destination_country: Option<Country>,
) -> Result<Isochrone> {
    let search = search.into();
    let graph = search.graph();
    let mut budgets: Vec<f64> = budgets
        .iter()
        .copied()
        .filter(|b| b.is_finite() && *b > 0.0)
        .collect();
    budgets.sort_by(f64::total_cmp);
    budgets.dedup();
    let unit = match kind {
        BudgetKind::Hours => 3600.0,
        BudgetKind::Usd => weights.money_per_usd,
    };
    let arc_amount: &[u32] = match kind {
        BudgetKind::Hours => &weights.time_s,
        BudgetKind::Usd => &weights.money,
    };
    let co = network.place(origin).country;
    let max = budgets.last().copied().unwrap_or(0.0) * unit;
    // One search per distinct O-D rule set: goods to each place obey the rules for that
    // place's country (or all for `destination_country`), exactly as `route` does.
    let masks = crate::analysis::many::MaskSet::new(network, graph, weights);
    let mask_for = |c: Country| masks.index_of(co, destination_country.unwrap_or(c));
    let mut wanted: Vec<usize> = network.places().map(|(_, p)| mask_for(p.country)).collect();
    wanted.sort();
    wanted.dedup();
    let mut amounts: std::collections::BTreeMap<usize, Vec<Option<f64>>> = Default::default();
    match search {
        // One sweep down the hierarchy per rule set (PHAST): every node's amount at once.
        Searcher::Engine(engine) => {
            let mut phast = engine.phast();
            let source = graph.source_of(origin);
            for m in wanted {
                let Some(source) = source else {
                    amounts.insert(m, vec![None; graph.node_count()]);
                    continue;
                };
                let metric = engine.customize(arc_amount, Some(masks.mask(m)))?;
                let all = engine.one_to_all(&mut phast, &metric, source.0)?;
                let settled = all
                    .iter()
                    .map(|&d| (d != UNREACHABLE).then_some(d as f64 / unit))
                    .collect();
                amounts.insert(m, settled);
            }
        }
        // Dijkstra, stopped past the largest budget.
        Searcher::Dijkstra(_) => {
            let mut space = SearchSpace::new(graph.node_count());
            for m in wanted {
                let mask = masks.mask(m);
                space.start(
                    Direction::Forward,
                    graph.source_of(origin).map(|n| (n.0, 0)),
                );
                while let Some((_, d)) = space.settle_next(&graph.csr, arc_amount, mask) {
                    if d as f64 > max {
                        break;
                    }
                }
                let settled: Vec<Option<f64>> = (0..graph.node_count() as u32)
                    .map(|n| {
                        space
                            .is_settled(n)
                            .then(|| space.distance(n))
                            .flatten()
                            .map(|d| d as f64 / unit)
                    })
                    .collect();
                amounts.insert(m, settled);
            }
        }
    }
    let settled_amount = |node: u32, country: Country| -> Option<f64> {
        amounts
            .get(&mask_for(country))
            .and_then(|v| v[node as usize])
    };
    // Places: reached when the shipment can be delivered there (its sink hub, after any
    // unloading dwell).
    let mut places = Vec::new();
    for (ix, p) in network.places() {
        let best = graph
            .sink_of(ix)
            .and_then(|n| settled_amount(n.0, p.country))
            .unwrap_or(f64::INFINITY);
        if let Some(band) = budgets.iter().position(|b| best <= *b) {
            places.push(Reached {
                place: ix,
                amount: best,
                band,
            });
        }
    }
    // Link pieces per band.
    let mut bands: Vec<Band> = budgets
        .iter()
        .map(|b| Band {
            budget: *b,
            lines: Vec::new(),
            polygon: MultiPolygon::new(vec![]),
        })
        .collect();
    for a in 0..graph.arc_count() {
        let ArcKind::Link { link, forward } = graph.arcs[a] else {
            continue;
        };
        let tail = graph.csr.tail[a];
        let (lf, lt) = network
            .graph
            .edge_endpoints(link)
            .unwrap_or((origin, origin));
        let country = crate::analysis::route::link_country(network, lf, lt);
        let Some(start) = settled_amount(tail, country) else {
            continue;
        };
        let cost = weights.cost[a];
        let m = masks.mask(mask_for(country));
        if !cost.open || m.is_blocked(graph.csr.head[a]) {
            continue;
        }
        let travel = match kind {
            BudgetKind::Hours => cost.hours,
            BudgetKind::Usd => cost.usd,
        };
        let l = network.link(link);
        let geometry = if forward {
            l.geometry.clone()
        } else {
            LineString::new(l.geometry.0.iter().rev().copied().collect())
        };
        for band in &mut bands {
            if start > band.budget {
                continue;
            }
            let fraction = if travel > 0.0 {
                ((band.budget - start) / travel).min(1.0)
            } else {
                1.0
            };
            if fraction >= 1.0 {
                band.lines.push(geometry.clone());
            } else if fraction > 0.0 {
                band.lines.push(cut(&geometry, fraction));
            }
        }
    }
    for band in &mut bands {
        // Reached places count too (a place with no reached link still shows).
        let points: Vec<Point<f64>> = places
            .iter()
            .filter(|r| r.amount <= band.budget)
            .map(|r| network.place(r.place).position)
            .collect();
        band.polygon = buffer_km(
            &MultiLineString::new(band.lines.clone()),
            &points,
            BUFFER_KM,
        );
    }
    Ok(Isochrone {
        origin,
        kind,
        bands,
        places,
    })
}

/// The first `fraction` (0..1) of a line, by geodesic length.
pub fn cut(line: &LineString<f64>, fraction: f64) -> LineString<f64> {
    let pts: Vec<Point<f64>> = line.points().collect();
    let total: f64 = pts.windows(2).map(|w| Haversine.distance(w[0], w[1])).sum();
    let want = total * fraction.clamp(0.0, 1.0);
    let mut out: Vec<Coord<f64>> = vec![pts.first().map_or(Coord { x: 0.0, y: 0.0 }, |p| p.0)];
    let mut done = 0.0;
    for w in pts.windows(2) {
        let seg = Haversine.distance(w[0], w[1]);
        if done + seg >= want {
            let r = if seg > 0.0 { (want - done) / seg } else { 0.0 };
            out.push(Haversine.point_at_ratio_between(w[0], w[1], r).0);
            return LineString::new(out);
        }
        done += seg;
        out.push(w[1].0);
    }
    LineString::new(out)
}

/// Buffers lon/lat lines and points by `km` in a local equirectangular projection (centred on
/// their mean latitude), so the buffer is about `km` wide in every direction.
pub fn buffer_km(
    lines: &MultiLineString<f64>,
    points: &[Point<f64>],
    km: f64,
) -> MultiPolygon<f64> {
    let coords: Vec<Coord<f64>> = lines
        .0
        .iter()
        .flat_map(|l| l.0.iter().copied())
        .chain(points.iter().map(|p| p.0))
        .collect();
    if coords.is_empty() {
        return MultiPolygon::new(vec![]);
    }
    let lat0 = coords.iter().map(|c| c.y).sum::<f64>() / coords.len() as f64;
    let kx = 111.320 * lat0.to_radians().cos();
    let ky = 110.574;
    let project = |c: Coord<f64>| Coord {
        x: c.x * kx,
        y: c.y * ky,
    };
    let unproject = |c: Coord<f64>| Coord {
        x: c.x / kx,
        y: c.y / ky,
    };
    let projected = MultiLineString::new(
        lines
            .0
            .iter()
            .map(|l| LineString::new(l.0.iter().map(|c| project(*c)).collect()))
            .collect(),
    );
    let projected_points =
        geo::MultiPoint::new(points.iter().map(|p| Point(project(p.0))).collect());
    let collection = geo::GeometryCollection::new_from(vec![
        geo::Geometry::MultiLineString(projected),
        geo::Geometry::MultiPoint(projected_points),
    ]);
    let buffered = collection.buffer(km);
    use geo::MapCoords;
    buffered.map_coords(unproject)
}
