//! Cost matrices: time, money, distance and generalized cost between every origin and
//! destination, one search per origin, origins in parallel (rayon) with one reusable search
//! space per worker thread. Results do not depend on the number of threads.

use petgraph::stable_graph::NodeIndex;
use rayon::prelude::*;

use crate::analysis::many::{MaskSet, paths_from};
use crate::analysis::route::explain;
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::Weights;
use crate::network::model::{Country, Network};
use crate::search::dijkstra::SearchSpace;

/// One cell of a matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub km: f64,
    pub hours: f64,
    pub bad_day_hours: f64,
    pub usd: f64,
    pub generalized_usd: f64,
    /// Sum of compiled weights (the objective, integer units).
    pub weight: u64,
    pub transit: Vec<Country>,
    pub crossings: usize,
    pub gauge_changes: usize,
}

/// A matrix: `cells[i * destinations.len() + j]` is origin `i` to destination `j`; `None`
/// where there is no route (or the two are the same place).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub origins: Vec<NodeIndex>,
    pub destinations: Vec<NodeIndex>,
    pub cells: Vec<Option<Cell>>,
}

impl Matrix {
    pub fn get(&self, i: usize, j: usize) -> Option<&Cell> {
        self.cells.get(i * self.destinations.len() + j)?.as_ref()
    }
}

/// Computes the matrix. Parallel over origins.
pub fn matrix(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    origins: &[NodeIndex],
    destinations: &[NodeIndex],
) -> Matrix {
    let masks = MaskSet::new(network, graph, weights);
    let od_weights = weights_by_od(network, graph, weights, origins, destinations);
    let rows: Vec<Vec<Option<Cell>>> = origins
        .par_iter()
        .map_init(
            || SearchSpace::new(graph.node_count()),
            |space, &o| {
                let co = network.place(o).country;
                let mut found_all = vec![None; destinations.len()];
                let mut by_weights: std::collections::BTreeMap<_, Vec<usize>> = Default::default();
                for (j, d) in destinations.iter().enumerate() {
                    let cd = network.place(*d).country;
                    let key = od_weights.contains_key(&(co, cd)).then_some((co, cd));
                    by_weights.entry(key).or_default().push(j);
                }
                for (key, js) in by_weights {
                    let w = key.and_then(|k| od_weights.get(&k)).unwrap_or(weights);
                    let dests: Vec<NodeIndex> = js.iter().map(|&j| destinations[j]).collect();
                    let found = paths_from(network, graph, &w.weight, &masks, space, o, &dests);
                    for (&j, f) in js.iter().zip(found) {
                        found_all[j] = f.map(|f| (f, key));
                    }
                }
                found_all
                    .into_iter()
                    .zip(destinations)
                    .map(|(found, &d)| {
                        let (found, key) = found?;
                        let w = key.and_then(|k| od_weights.get(&k)).unwrap_or(weights);
                        let r = explain(network, graph, w, o, d, &[], &found.arcs);
                        Some(Cell {
                            km: r.totals.km,
                            hours: r.totals.hours,
                            bad_day_hours: r.totals.bad_day_hours,
                            usd: r.totals.usd,
                            generalized_usd: r.totals.generalized_usd,
                            weight: found.weight,
                            transit: r.transit_countries.clone(),
                            crossings: r.crossings().len(),
                            gauge_changes: r.gauge_changes(),
                        })
                    })
                    .collect()
            },
        )
        .collect();
    Matrix {
        origins: origins.to_vec(),
        destinations: destinations.to_vec(),
        cells: rows.into_iter().flatten().collect(),
    }
}

/// The matrix on the engine by the method that suits its size: with few destinations a
/// hierarchy query per cell ([`matrix_on_engine`]); with many, one sweep per origin with the
/// figures accumulated along its tree ([`matrix_by_sweeps`]; a query with its path costs
/// about as much as settling 500 nodes). The CLI, the server and the Python package use this.
pub fn matrix_for(
    network: &Network,
    engine: &crate::graph::engine::Engine,
    weights: &Weights,
    origins: &[NodeIndex],
    destinations: &[NodeIndex],
) -> crate::error::Result<Matrix> {
    if destinations.len() * 500 > engine.graph.node_count() {
        matrix_by_sweeps(network, engine, weights, origins, destinations)
    } else {
        matrix_on_engine(network, engine, weights, origins, destinations)
    }
}

/// Computes the matrix on the routing engine: one customization per O-D rule set among the
/// pairs, then a hierarchy query per cell with its path unpacked and explained (parallel over
/// origins, one query object per thread). Equal to [`matrix`] cell by cell.
pub fn matrix_on_engine(
    network: &Network,
    engine: &crate::graph::engine::Engine,
    weights: &Weights,
    origins: &[NodeIndex],
    destinations: &[NodeIndex],
) -> crate::error::Result<Matrix> {
    let graph = &engine.graph;
    let masks = MaskSet::new(network, graph, weights);
    let mut router = crate::analysis::router::Router::new(network, engine, weights, &masks, &[]);
    router.prepare(
        origins
            .iter()
            .flat_map(|&o| destinations.iter().map(move |&d| (o, d))),
    )?;
    let rows: Vec<crate::error::Result<Vec<Option<Cell>>>> = origins
        .par_iter()
        .map_init(
            || router.query(),
            |q, &o| {
                let mut row = Vec::with_capacity(destinations.len());
                for &d in destinations {
                    let cell = router
                        .path(q, o, d)?
                        .map(|p| summarize(network, graph, p.weights, o, d, p.weight, &p.arcs));
                    row.push(cell);
                }
                Ok(row)
            },
        )
        .collect();
    let mut cells = Vec::with_capacity(origins.len() * destinations.len());
    for r in rows {
        cells.extend(r?);
    }
    Ok(Matrix {
        origins: origins.to_vec(),
        destinations: destinations.to_vec(),
        cells,
    })
}

/// A cell's figures from its path: the totals `explain` reports (driver rest scheduled per
/// road leg), without building the route's steps.
fn summarize(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    o: NodeIndex,
    d: NodeIndex,
    weight: u64,
    arcs: &[crate::graph::csr::ArcIx],
) -> Cell {
    use crate::graph::search_graph::ArcKind;
    let profile = &weights.profile;
    let (co, cd) = (network.place(o).country, network.place(d).country);
    let (mut km, mut hours, mut bad, mut usd) = (0.0, 0.0, 0.0, 0.0);
    let (mut crossings, mut gauge_changes) = (0, 0);
    let mut transit: Vec<crate::network::model::Country> = Vec::new();
    let mut leg_drive = 0.0;
    let end_leg = |drive: f64, hours: &mut f64, bad: &mut f64, usd: &mut f64| {
        let (_, h, u) = crate::cost::formulas::rest_stops(profile, &weights.rates, drive);
        *hours += h;
        *bad += h;
        *usd += u;
    };
    for &a in arcs {
        let c = weights.cost[a.index()];
        km += c.km;
        hours += c.total_hours();
        bad += c.total_bad_day_hours();
        usd += c.total_usd();
        if c.border.is_some() {
            crossings += 1;
        }
        if c.drive_hours > 0.0 {
            leg_drive += c.drive_hours;
        } else if leg_drive > 0.0 {
            end_leg(leg_drive, &mut hours, &mut bad, &mut usd);
            leg_drive = 0.0;
        }
        match graph.arcs[a.index()] {
            ArcKind::Link { link, forward } => {
                let (lf, lt) = network.graph.edge_endpoints(link).unwrap_or((o, d));
                let (pf, pt) = if forward { (lf, lt) } else { (lt, lf) };
                let country = network.link_country(pf, pt);
                if country != co && country != cd && !transit.contains(&country) {
                    transit.push(country);
                }
            }
            ArcKind::Transfer { place, transfer } => {
                if network.place(place).transfers[transfer].is_gauge_change() {
                    gauge_changes += 1;
                }
            }
            ArcKind::Load { .. } | ArcKind::Unload { .. } => {}
        }
    }
    if leg_drive > 0.0 {
        end_leg(leg_drive, &mut hours, &mut bad, &mut usd);
    }
    Cell {
        km,
        hours,
        bad_day_hours: bad,
        usd,
        generalized_usd: usd + weights.rates.value_of_time_usd_per_hour * hours,
        weight,
        transit,
        crossings,
        gauge_changes,
    }
}

/// Figures accumulated along a shortest-path tree, per node.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    km: f64,
    hours: f64,
    bad: f64,
    usd: f64,
    crossings: u32,
    gauge_changes: u32,
    /// Countries the path's links lie in, one bit each (see `country_bits`).
    countries: u64,
    /// Driving hours of the road leg still open at this node.
    leg_drive: f64,
    /// Rest of the legs already closed (hours, USD).
    rest_hours: f64,
    rest_usd: f64,
}

/// An arc's figures packed for the tree walk: the totals of its [`ArcCost`] (border
/// included), its country bit and whether it crosses a border or changes gauge. A third of
/// the bytes of the cost it is made from, so a sweep's walk reads less memory.
///
/// [`ArcCost`]: crate::cost::formulas::ArcCost
#[derive(Debug, Clone, Copy, Default)]
struct ArcFig {
    km: f64,
    hours: f64,
    bad: f64,
    usd: f64,
    drive_hours: f64,
    countries: u64,
    crossing: bool,
    gauge: bool,
}

/// What tree accumulation needs, made once per matrix: each arc's country bit and whether it
/// is a gauge change, and each country pair's weights where costs depend on the O-D.
struct TreeFigures<'a> {
    network: &'a Network,
    weights: &'a Weights,
    masks: MaskSet,
    countries: Vec<Country>,
    arc_country: Vec<u64>,
    arc_gauge: Vec<bool>,
    od_weights: std::collections::BTreeMap<(Country, Country), Weights>,
}

/// Destinations of one origin that share an O-D rule set and weights: (mask, country pair
/// with own weights) -> destination positions.
type Groups = std::collections::BTreeMap<(usize, Option<(Country, Country)>), Vec<usize>>;

impl<'a> TreeFigures<'a> {
    fn new(
        network: &'a Network,
        graph: &'a SearchGraph,
        weights: &'a Weights,
        origins: &[NodeIndex],
        destinations: &[NodeIndex],
    ) -> TreeFigures<'a> {
        use crate::graph::search_graph::ArcKind;
        let masks = MaskSet::new(network, graph, weights);
        let mut countries: Vec<Country> = network.places().map(|(_, p)| p.country).collect();
        countries.sort();
        countries.dedup();
        let bit = |c: Country| -> u64 {
            countries
                .iter()
                .position(|x| *x == c)
                .filter(|i| *i < 64)
                .map_or(0, |i| 1u64 << i)
        };
        let arc_country: Vec<u64> = (0..graph.arc_count())
            .map(|a| match graph.arcs[a] {
                ArcKind::Link { link, forward } => {
                    let arc = crate::graph::csr::ArcIx(a as u32);
                    let (lf, lt) = network.graph.edge_endpoints(link).unwrap_or((
                        graph.node(graph.tail(arc)).place,
                        graph.node(graph.head(arc)).place,
                    ));
                    let (pf, pt) = if forward { (lf, lt) } else { (lt, lf) };
                    bit(network.link_country(pf, pt))
                }
                _ => 0,
            })
            .collect();
        let arc_gauge: Vec<bool> = (0..graph.arc_count())
            .map(|a| match graph.arcs[a] {
                ArcKind::Transfer { place, transfer } => {
                    network.place(place).transfers[transfer].is_gauge_change()
                }
                _ => false,
            })
            .collect();
        let od_weights = weights_by_od(network, graph, weights, origins, destinations);
        TreeFigures {
            network,
            weights,
            masks,
            countries,
            arc_country,
            arc_gauge,
            od_weights,
        }
    }

    /// The destinations of origin `o`, grouped by rule set and weights.
    /// The destinations (other than `origin`, when given) from an origin in country `co`,
    /// grouped by rule set and weights.
    fn groups(&self, origin: Option<NodeIndex>, co: Country, destinations: &[NodeIndex]) -> Groups {
        let mut groups = Groups::new();
        for (j, d) in destinations.iter().enumerate() {
            if Some(*d) != origin {
                let cd = self.network.place(*d).country;
                let key = self.od_weights.contains_key(&(co, cd)).then_some((co, cd));
                groups
                    .entry((self.masks.index_of(co, cd), key))
                    .or_default()
                    .push(j);
            }
        }
        groups
    }

    /// The weights of a group.
    fn weights_of(&self, key: Option<(Country, Country)>) -> &Weights {
        key.and_then(|k| self.od_weights.get(&k))
            .unwrap_or(self.weights)
    }

    /// Every arc's packed figures under `weights`.
    fn arc_figs(&self, weights: &Weights) -> Vec<ArcFig> {
        (0..weights.cost.len())
            .map(|a| self.arc_fig(weights, a))
            .collect()
    }

    /// Arc `a`'s packed figures under `weights`.
    #[inline]
    fn arc_fig(&self, weights: &Weights, a: usize) -> ArcFig {
        let c = &weights.cost[a];
        ArcFig {
            km: c.km,
            hours: c.total_hours(),
            bad: c.total_bad_day_hours(),
            usd: c.total_usd(),
            drive_hours: c.drive_hours,
            countries: self.arc_country[a],
            crossing: c.border.is_some(),
            gauge: self.arc_gauge[a],
        }
    }

    /// The figures at the head of an arc from those at its tail and the arc's packed figures.
    #[inline]
    fn extend_packed(&self, weights: &Weights, mut s: Acc, f: &ArcFig) -> Acc {
        s.km += f.km;
        s.hours += f.hours;
        s.bad += f.bad;
        s.usd += f.usd;
        s.crossings += u32::from(f.crossing);
        s.gauge_changes += u32::from(f.gauge);
        s.countries |= f.countries;
        if f.drive_hours > 0.0 {
            s.leg_drive += f.drive_hours;
        } else if s.leg_drive > 0.0 {
            let (_, h, u) = crate::cost::formulas::rest_stops(
                &self.weights.profile,
                &weights.rates,
                s.leg_drive,
            );
            s.rest_hours += h;
            s.rest_usd += u;
            s.leg_drive = 0.0;
        }
        s
    }

    /// The figures at the head of arc `a` from those at its tail.
    #[inline]
    fn extend(&self, weights: &Weights, s: Acc, a: usize) -> Acc {
        self.extend_packed(weights, s, &self.arc_fig(weights, a))
    }

    /// The cell of a destination reached with figures `s` and search weight `weight`.
    fn cell(&self, weights: &Weights, s: Acc, weight: u64, o: NodeIndex, d: NodeIndex) -> Cell {
        let (co, cd) = (self.network.place(o).country, self.network.place(d).country);
        let (_, h, u) =
            crate::cost::formulas::rest_stops(&self.weights.profile, &weights.rates, s.leg_drive);
        let hours = s.hours + s.rest_hours + h;
        let usd = s.usd + s.rest_usd + u;
        let transit = self
            .countries
            .iter()
            .enumerate()
            .filter(|(i, c)| *i < 64 && s.countries & (1 << i) != 0 && **c != co && **c != cd)
            .map(|(_, c)| *c)
            .collect();
        Cell {
            km: s.km,
            hours,
            bad_day_hours: s.bad + s.rest_hours + h,
            usd,
            generalized_usd: usd + weights.rates.value_of_time_usd_per_hour * hours,
            weight,
            transit,
            crossings: s.crossings as usize,
            gauge_changes: s.gauge_changes as usize,
        }
    }
}

/// The matrix from one full search per origin (and O-D rule set): every node's figures are
/// accumulated once along the search tree, in the order the nodes were settled, so a cell
/// costs a lookup, not a path walk. Equal to [`matrix`] cell by cell; faster when there are
/// many destinations.
pub fn matrix_by_trees(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    origins: &[NodeIndex],
    destinations: &[NodeIndex],
) -> Matrix {
    use crate::search::dijkstra::Direction;
    let figures = TreeFigures::new(network, graph, weights, origins, destinations);
    let n = graph.node_count();
    let rows: Vec<Vec<Option<Cell>>> = origins
        .par_iter()
        .map_init(
            || {
                (
                    SearchSpace::new(n),
                    vec![Acc::default(); n],
                    Vec::with_capacity(n),
                )
            },
            |(space, acc, order), &o| {
                let mut row = vec![None; destinations.len()];
                let Some(source) = graph.source_of(o) else {
                    return row;
                };
                for ((m, key), js) in
                    figures.groups(Some(o), network.place(o).country, destinations)
                {
                    let weights = figures.weights_of(key);
                    space.start(Direction::Forward, [(source.0, 0)]);
                    order.clear();
                    while let Some((v, _)) =
                        space.settle_next(&graph.csr, &weights.weight, figures.masks.mask(m))
                    {
                        order.push(v);
                    }
                    acc[source.index()] = Acc::default();
                    for &v in order.iter() {
                        let Some(a) = space.parent_arc(v) else {
                            continue;
                        };
                        let u = graph.csr.tail[a as usize] as usize;
                        acc[v as usize] = figures.extend(weights, acc[u], a as usize);
                    }
                    for j in js {
                        let d = destinations[j];
                        let Some(t) = graph.sink_of(d) else { continue };
                        let Some(weight) = space.distance(t.0) else {
                            continue;
                        };
                        row[j] = Some(figures.cell(weights, acc[t.index()], weight, o, d));
                    }
                }
                row
            },
        )
        .collect();
    Matrix {
        origins: origins.to_vec(),
        destinations: destinations.to_vec(),
        cells: rows.into_iter().flatten().collect(),
    }
}

/// The matrix on the engine with many destinations: per origin and rule set, one sweep down
/// the hierarchy (PHAST) gives every node's distance; a walk from the origin along tight arcs
/// (those with `d(tail) + w = d(head)`) then forms a shortest-path tree with parents before
/// children, along which every node's figures are accumulated, as [`matrix_by_trees`] does
/// with Dijkstra's tree. No priority queue at all.
pub fn matrix_by_sweeps(
    network: &Network,
    engine: &crate::graph::engine::Engine,
    weights: &Weights,
    origins: &[NodeIndex],
    destinations: &[NodeIndex],
) -> crate::error::Result<Matrix> {
    use crate::graph::weights::CLOSED;
    use crate::search::cch::UNREACHABLE;
    let graph = &engine.graph;
    let figures = TreeFigures::new(network, graph, weights, origins, destinations);
    // Destinations grouped by rule set depend on the origin's country only: grouped once per
    // origin country (an origin skips itself when filling its row).
    let mut groups_of: std::collections::HashMap<Country, Groups> =
        std::collections::HashMap::new();
    for &o in origins {
        let co = network.place(o).country;
        groups_of
            .entry(co)
            .or_insert_with(|| figures.groups(None, co, destinations));
    }
    // One metric per (rule set, weights) any origin needs.
    let mut keys: Vec<_> = groups_of.values().flat_map(|g| g.keys().copied()).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut metrics = std::collections::BTreeMap::new();
    let mut packed = std::collections::BTreeMap::new();
    for (m, key) in keys {
        let w = figures.weights_of(key);
        let metric = engine.customize(&w.weight, Some(figures.masks.mask(m)))?;
        metrics.insert((m, key), metric);
        packed.entry(key).or_insert_with(|| figures.arc_figs(w));
    }
    let n = graph.node_count();
    let csr = &graph.csr;
    // Sinks are not walked into: a destination's sink takes its figures from the tight arc
    // into it when its cell is filled, so the walk skips the sinks of places no one asked for.
    let is_sink: Vec<bool> = (0..n)
        .map(|v| {
            graph.node(crate::graph::csr::NodeIx(v as u32)).hub
                == Some(crate::graph::search_graph::Hub::Sink)
        })
        .collect();
    // Rows are filled in place: no row is allocated and copied again.
    let mut cells: Vec<Option<Cell>> = vec![None; origins.len() * destinations.len()];
    let empty = Groups::new();
    cells
        .par_chunks_mut(destinations.len().max(1))
        .zip(origins.par_iter())
        .try_for_each_init(
            || {
                (
                    engine.phast(),
                    vec![Acc::default(); n],
                    vec![false; n],
                    Vec::with_capacity(n),
                )
            },
            |(phast, acc, seen, stack), (row, &o)| -> crate::error::Result<()> {
                let Some(source) = graph.source_of(o) else {
                    return Ok(());
                };
                let groups = groups_of.get(&network.place(o).country).unwrap_or(&empty);
                for (key, js) in groups {
                    let key = *key;
                    let weights = figures.weights_of(key.1);
                    let (Some(metric), Some(figs)) = (metrics.get(&key), packed.get(&key.1)) else {
                        continue;
                    };
                    let dist = engine.one_to_all(phast, metric, source.0)?;
                    seen.fill(false);
                    seen[source.index()] = true;
                    acc[source.index()] = Acc::default();
                    stack.clear();
                    stack.push(source.0);
                    while let Some(u) = stack.pop() {
                        let du = dist[u as usize];
                        let range = csr.out_range(u);
                        for a in range {
                            let v = csr.head[a] as usize;
                            let w = weights.weight[a];
                            if seen[v] || is_sink[v] || w == CLOSED || dist[v] == UNREACHABLE {
                                continue;
                            }
                            if du + u64::from(w) == dist[v] {
                                seen[v] = true;
                                acc[v] = figures.extend_packed(weights, acc[u as usize], &figs[a]);
                                stack.push(v as u32);
                            }
                        }
                    }
                    for &j in js {
                        let d = destinations[j];
                        if d == o {
                            continue;
                        }
                        let Some(t) = graph.sink_of(d) else { continue };
                        let weight = dist[t.index()];
                        if weight == UNREACHABLE {
                            continue;
                        }
                        let into = csr
                            .in_range(t.0)
                            .map(|k| csr.in_arc[k] as usize)
                            .find(|&a| {
                                let u = csr.tail[a] as usize;
                                let w = weights.weight[a];
                                seen[u] && w != CLOSED && dist[u] + u64::from(w) == weight
                            });
                        let Some(a) = into else { continue };
                        let s = figures.extend_packed(weights, acc[csr.tail[a] as usize], &figs[a]);
                        row[j] = Some(figures.cell(weights, s, weight, o, d));
                    }
                }
                Ok(())
            },
        )?;
    Ok(Matrix {
        origins: origins.to_vec(),
        destinations: destinations.to_vec(),
        cells,
    })
}

/// Where railways charge transit rates, each country pair among the O-D pairs has its own
/// weights (costs depend on where the goods go); empty otherwise.
fn weights_by_od(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    origins: &[NodeIndex],
    destinations: &[NodeIndex],
) -> std::collections::BTreeMap<(Country, Country), Weights> {
    let mut out = std::collections::BTreeMap::new();
    if !network.params.has_transit_rates() {
        return out;
    }
    // Distinct country pairs first: a profile (with its parameters) is cloned per pair, not
    // per cell.
    let set = |places: &[NodeIndex]| -> std::collections::BTreeSet<Country> {
        places.iter().map(|&p| network.place(p).country).collect()
    };
    let (from, to) = (set(origins), set(destinations));
    for &co in &from {
        for &cd in &to {
            if let Some(p) = weights.profile.for_od(co, cd) {
                out.insert((co, cd), Weights::compile(network, graph, &p));
            }
        }
    }
    out
}
