//! One shipment's route: searches on the compiled graph, then the path explained in real
//! units (legs, border crossings, transfers, per-country totals, caveats).

use std::collections::BTreeMap;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::cost::profile::Profile;
use crate::error::{Error, Result};
use crate::graph::csr::ArcIx;
use crate::graph::engine::{Engine, EngineMetric};
use crate::graph::restrictions::{od_mask, unconfirmed_transit};
use crate::graph::search_graph::{ArcKind, SearchGraph};
use crate::graph::weights::Weights;
use crate::network::model::{Country, Layer, Mode, Network};
use crate::search::cch::CchQuery;
use crate::search::dijkstra::{Direction, SearchSpace};
use crate::search::mask::NodeMask;

/// One step of a route.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Travel along a link.
    Link {
        arc: ArcIx,
        link: EdgeIndex,
        from: NodeIndex,
        to: NodeIndex,
        layer: Layer,
        country: Country,
        km: f64,
        hours: f64,
        usd: f64,
    },
    /// A border crossing passed.
    Border {
        place: NodeIndex,
        mode: Mode,
        hours: f64,
        bad_day_hours: f64,
        fee_usd: f64,
    },
    /// Loading at the origin or unloading at the destination of a rail shipment: the
    /// railway's terminal charge and the dwell before the train leaves or after it arrives.
    Terminal {
        place: NodeIndex,
        layer: Layer,
        loading: bool,
        hours: f64,
        usd: f64,
    },
    /// Daily rests of the truck driver on the road leg that ends at `place`.
    Rest {
        place: NodeIndex,
        stops: u32,
        hours: f64,
        usd: f64,
    },
    /// A transshipment or gauge change.
    Transfer {
        place: NodeIndex,
        from_layer: Layer,
        to_layer: Layer,
        hours: f64,
        bad_day_hours: f64,
        usd: f64,
    },
}

/// Totals of a route in real units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub km: f64,
    /// Typical door-to-door hours (moving, borders, transfers).
    pub hours: f64,
    /// Hours when every crossing and transfer on the way has a bad day.
    pub bad_day_hours: f64,
    pub usd: f64,
    /// USD + value of time x hours.
    pub generalized_usd: f64,
}

/// Km, hours and USD spent in one country (links and transfers in it).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CountryShare {
    pub km: f64,
    pub hours: f64,
    pub usd: f64,
}

/// A route explained.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub from: NodeIndex,
    pub to: NodeIndex,
    pub via: Vec<NodeIndex>,
    pub steps: Vec<Step>,
    pub arcs: Vec<ArcIx>,
    pub totals: Totals,
    /// Sum of the compiled weights (the objective, integer units).
    pub weight: u64,
    pub by_country: BTreeMap<Country, CountryShare>,
    /// Border crossings total (all crossings on the route).
    pub borders: CountryShare,
    /// Countries crossed that are neither the origin's nor the destination's.
    pub transit_countries: Vec<Country>,
    /// Caveats a planner must see (unconfirmed transit, seasonal or weekday-limited crossings).
    pub notes: Vec<String>,
}

impl Route {
    /// Number of gauge changes on the route.
    pub fn gauge_changes(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| {
                matches!(
                    s,
                    Step::Transfer {
                        from_layer: Layer::Rail { .. },
                        to_layer: Layer::Rail { .. },
                        ..
                    }
                )
            })
            .count()
    }
    /// Border crossings on the route, in order.
    pub fn crossings(&self) -> Vec<NodeIndex> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Border { place, .. } => Some(*place),
                _ => None,
            })
            .collect()
    }
    /// Links used, in order.
    pub fn links(&self) -> Vec<EdgeIndex> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Link { link, .. } => Some(*link),
                _ => None,
            })
            .collect()
    }
}

/// Why there is no route, and what would open one.
#[derive(Debug, Clone, PartialEq)]
pub struct NoRoute {
    pub reason: String,
    pub hints: Vec<String>,
}

/// A route, or the explanation of why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteOutcome {
    Found(Route),
    NoRoute(NoRoute),
}

/// A node of the next stop reached in one stage of a via search.
struct StageHit {
    node: u32,
    dist: u64,
    arcs: Vec<u32>,
    root: u32,
}

/// The routing engine a planner searches on, with its query buffers and the metrics it has
/// customized (one per O-D rule set, for the current weights).
struct OnEngine<'a> {
    engine: &'a Engine,
    query: CchQuery<'a>,
    /// Digest of the planner's current profile (see [`Profile::digest`]).
    digest: u64,
}

/// Compiled network and request, with a reusable search space: answers many route queries.
/// Built with [`Planner::on_engine`] it searches the engine's hierarchy (closures and O-D
/// rules customized into the metric); built with [`Planner::new`] it runs Dijkstra with
/// node masks, the oracle the engine is tested against.
pub struct Planner<'a> {
    pub network: &'a Network,
    pub graph: &'a SearchGraph,
    pub weights: Weights,
    space: SearchSpace,
    masks: BTreeMap<(Country, Country), NodeMask>,
    engine: Option<OnEngine<'a>>,
}

impl<'a> Planner<'a> {
    /// Compiles the weights of `profile` over `graph`.
    pub fn new(network: &'a Network, graph: &'a SearchGraph, profile: &Profile) -> Planner<'a> {
        Planner::with_weights(network, graph, Weights::compile(network, graph, profile))
    }

    /// Uses weights compiled (and perhaps edited) elsewhere.
    pub fn with_weights(
        network: &'a Network,
        graph: &'a SearchGraph,
        weights: Weights,
    ) -> Planner<'a> {
        Planner {
            network,
            graph,
            weights,
            space: SearchSpace::new(graph.node_count()),
            masks: BTreeMap::new(),
            engine: None,
        }
    }

    /// A planner that searches on `engine` (its hierarchy) under `profile`.
    pub fn on_engine(network: &'a Network, engine: &'a Engine, profile: &Profile) -> Planner<'a> {
        let graph = &engine.graph;
        let mut planner = Planner::new(network, graph, profile);
        planner.engine = Some(OnEngine {
            engine,
            query: engine.query(),
            digest: profile.digest(),
        });
        planner
    }

    /// True when searches run on the routing engine.
    pub fn uses_engine(&self) -> bool {
        self.engine.is_some()
    }

    pub fn profile(&self) -> &Profile {
        &self.weights.profile
    }

    /// The node mask for goods between two countries (cached).
    pub fn mask(&mut self, origin: Country, destination: Country) -> &NodeMask {
        let (network, graph, profile) = (self.network, self.graph, &self.weights.profile);
        self.masks
            .entry((origin, destination))
            .or_insert_with(|| od_mask(network, graph, profile, origin, destination))
    }

    /// Checks the request makes sense under the profile (e.g. an origin in an avoided country).
    pub fn check_request(&self, from: NodeIndex, to: NodeIndex, via: &[NodeIndex]) -> Result<()> {
        // Ids of another network (a place index this one does not have) are refused here,
        // before anything indexes with them.
        for ix in [from, to].iter().chain(via) {
            if !self.network.graph.contains_node(*ix) {
                return Err(Error::Request(format!(
                    "place #{} is not a place of the network {} (an id from another network?)",
                    ix.index(),
                    self.network.origin
                )));
            }
        }
        let p = self.profile();
        for (role, ix) in [("origin", from), ("destination", to)]
            .into_iter()
            .chain(via.iter().map(|v| ("via point", *v)))
        {
            let place = self.network.place(ix);
            if let Some(c) = p.avoid_countries.iter().find(|c| place.in_country(**c)) {
                return Err(Error::Request(format!(
                    "the {role} {} is in {c}, which --avoid-country excludes",
                    place.name
                )));
            }
            if p.avoid_places.contains(&ix) {
                return Err(Error::Request(format!(
                    "the {role} {} is also given to --avoid",
                    place.name
                )));
            }
        }
        if from == to && via.is_empty() {
            return Err(Error::Request(format!(
                "origin and destination are the same place ({})",
                self.network.place(from).name
            )));
        }
        Ok(())
    }

    /// Recompiles the weights for goods between the countries of `from` and `to` when the
    /// network's railways charge transit rates (so costs depend on the O-D).
    pub fn set_od(&mut self, from: NodeIndex, to: NodeIndex) {
        let (co, cd) = (
            self.network.place(from).country,
            self.network.place(to).country,
        );
        if let Some(p) = self.weights.profile.for_od(co, cd)
            && p != self.weights.profile
        {
            self.weights = Weights::compile(self.network, self.graph, &p);
            if let Some(e) = &mut self.engine {
                e.digest = p.digest();
            }
        }
    }

    /// The best path's arcs and weight from `from` to `to` through `via` in order, or `None`.
    /// Exact: each stage starts from the previous stage's distances, so a change of layer at
    /// a via point is paid like anywhere else. `weight` replaces the planner's weights for
    /// this search (alternatives penalise used links).
    pub fn best_arcs(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        via: &[NodeIndex],
        weight: Option<&[u32]>,
    ) -> Result<Option<(u64, Vec<ArcIx>)>> {
        if self.engine.is_some() {
            self.engine_arcs(from, to, via, weight)
        } else {
            Ok(self.dijkstra_arcs(from, to, via, weight))
        }
    }

    /// [`Planner::best_arcs`] on the engine: the metric of the O-D's rule set (customized
    /// once and kept, or for an overriding `weight` customized for this search), then one
    /// hierarchy query per pair of layers at consecutive stops.
    fn engine_arcs(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        via: &[NodeIndex],
        weight: Option<&[u32]>,
    ) -> Result<Option<(u64, Vec<ArcIx>)>> {
        let co = self.network.place(from).country;
        let cd = self.network.place(to).country;
        self.mask(co, cd);
        let graph = self.graph;
        let Planner {
            weights,
            masks,
            engine,
            ..
        } = self;
        let Some(OnEngine {
            engine,
            query,
            digest,
        }) = engine.as_mut()
        else {
            return Ok(None);
        };
        let mask = masks.get(&(co, cd));
        // The request's own metric per O-D rule set is shared through the engine's cache
        // (a server answering the same profile again skips customization); an overriding
        // `weight` (alternatives) is customized for this search alone.
        let metric: std::sync::Arc<EngineMetric> = match weight {
            Some(w) => std::sync::Arc::new(engine.customize(w, mask)?),
            None => {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (*digest, co, cd).hash(&mut h);
                engine.cached_metric(h.finish(), || engine.customize(&weights.weight, mask))?
            }
        };
        let metric = &*metric;
        // Stage by stage: the best way to each node of the next stop from every node
        // reached at this one (a place has one node per layer, so this stays small).
        let stops: Vec<NodeIndex> = std::iter::once(from)
            .chain(via.iter().copied())
            .chain(std::iter::once(to))
            .collect();
        // (node, distance, arcs so far)
        let mut reached: Vec<(u32, u64, Vec<ArcIx>)> = graph
            .source_of(from)
            .map(|n| (n.0, 0, Vec::new()))
            .into_iter()
            .collect();
        let last_stage = stops.len() - 2;
        for (k, window) in stops.windows(2).enumerate() {
            let targets: Vec<u32> = if k == last_stage {
                graph.sink_of(window[1]).map(|n| n.0).into_iter().collect()
            } else {
                graph.nodes_of(window[1]).iter().map(|n| n.0).collect()
            };
            let mut next: Vec<(u32, u64, Vec<ArcIx>)> = Vec::new();
            for &t in &targets {
                let mut best: Option<(u64, usize, Vec<ArcIx>)> = None;
                for (i, (s, d0, _)) in reached.iter().enumerate() {
                    let found = if *s == t {
                        Some((0, Vec::new()))
                    } else {
                        engine.path(query, metric, *s, t)?
                    };
                    if let Some((d, arcs)) = found {
                        let total = d0 + d;
                        if best.as_ref().is_none_or(|(b, _, _)| total < *b) {
                            best = Some((total, i, arcs));
                        }
                    }
                }
                if let Some((total, i, arcs)) = best {
                    let mut path = reached[i].2.clone();
                    path.extend(arcs);
                    next.push((t, total, path));
                }
            }
            if next.is_empty() {
                return Ok(None);
            }
            reached = next;
        }
        Ok(reached
            .into_iter()
            .min_by_key(|(node, d, _)| (*d, *node))
            .map(|(_, d, arcs)| (d, arcs)))
    }

    /// [`Planner::best_arcs`] by Dijkstra with the O-D's node mask (multi-source stages).
    fn dijkstra_arcs(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        via: &[NodeIndex],
        weight: Option<&[u32]>,
    ) -> Option<(u64, Vec<ArcIx>)> {
        let co = self.network.place(from).country;
        let cd = self.network.place(to).country;
        self.mask(co, cd);
        let graph = self.graph;
        // Borrow the fields apart: the search space is mutated while weights and mask are read.
        let Planner {
            weights,
            space,
            masks,
            ..
        } = self;
        let mask = masks.get(&(co, cd))?;
        let weight: &[u32] = weight.unwrap_or(&weights.weight);
        let stops: Vec<NodeIndex> = std::iter::once(from)
            .chain(via.iter().copied())
            .chain(std::iter::once(to))
            .collect();
        // A shipment starts at the origin's source hub and ends at the destination's sink
        // hub; a via point is passed on any of its layers.
        let mut starts: Vec<(u32, u64)> = graph
            .source_of(from)
            .map(|n| (n.0, 0))
            .into_iter()
            .collect();
        let mut stages: Vec<Vec<StageHit>> = Vec::new();
        let last_stage = stops.len() - 2;
        for (k, window) in stops.windows(2).enumerate() {
            let targets: Vec<u32> = if k == last_stage {
                graph.sink_of(window[1]).map(|n| n.0).into_iter().collect()
            } else {
                graph.nodes_of(window[1]).iter().map(|n| n.0).collect()
            };
            space.start(Direction::Forward, starts.iter().copied());
            space.run_to_all_of(&graph.csr, weight, mask, &targets);
            let mut reached = Vec::new();
            for &t in &targets {
                if let Some(d) = space.distance(t) {
                    let arcs = space.path_arcs(&graph.csr, t);
                    let root = space.root_of(&graph.csr, t);
                    reached.push(StageHit {
                        node: t,
                        dist: d,
                        arcs,
                        root,
                    });
                }
            }
            if reached.is_empty() {
                return None;
            }
            starts = reached.iter().map(|h| (h.node, h.dist)).collect();
            stages.push(reached);
        }
        // Backtrack from the cheapest target of the last stage.
        let last = stages.last()?;
        let best = last.iter().min_by_key(|h| (h.dist, h.node))?;
        let (mut node, total) = (best.node, best.dist);
        let mut pieces: Vec<Vec<u32>> = Vec::new();
        for stage in stages.iter().rev() {
            let hit = stage.iter().find(|h| h.node == node)?;
            pieces.push(hit.arcs.clone());
            node = hit.root;
        }
        pieces.reverse();
        Some((total, pieces.into_iter().flatten().map(ArcIx).collect()))
    }

    /// The best route, explained; or why there is none.
    pub fn route(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        via: &[NodeIndex],
    ) -> Result<RouteOutcome> {
        self.check_request(from, to, via)?;
        self.set_od(from, to);
        match self.best_arcs(from, to, via, None)? {
            Some((_, arcs)) => Ok(RouteOutcome::Found(self.explain(from, to, via, &arcs))),
            None => Ok(RouteOutcome::NoRoute(
                crate::analysis::diagnose::why_no_route(
                    self.network,
                    self.graph,
                    self.profile(),
                    from,
                    to,
                    via,
                ),
            )),
        }
    }

    /// Explains a path (arcs in order) in real units.
    pub fn explain(
        &self,
        from: NodeIndex,
        to: NodeIndex,
        via: &[NodeIndex],
        arcs: &[ArcIx],
    ) -> Route {
        explain(self.network, self.graph, &self.weights, from, to, via, arcs)
    }
}

/// Explains a path (arcs in order) in real units under `weights`.
pub fn explain(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    from: NodeIndex,
    to: NodeIndex,
    via: &[NodeIndex],
    arcs: &[ArcIx],
) -> Route {
    let profile = &weights.profile;
    let vot = weights.rates.value_of_time_usd_per_hour;
    let mut steps = Vec::new();
    let mut totals = Totals::default();
    let mut weight = 0u64;
    let mut by_country: BTreeMap<Country, CountryShare> = BTreeMap::new();
    let mut borders = CountryShare::default();
    let mut transit_modes: Vec<(Country, Mode)> = Vec::new();
    let co = network.place(from).country;
    let cd = network.place(to).country;
    let mut notes = Vec::new();
    let rates = &weights.rates;
    let mut leg_drive = 0.0;
    // Schedules the driver's daily rests at the end of a road leg (at its last place).
    // Driving hours of the current road leg, by country: the leg's rest is shared out in
    // proportion, so a leg that crosses borders books its rest where the driving was.
    let mut leg_countries: Vec<(Country, f64)> = Vec::new();
    let end_leg = |steps: &mut Vec<Step>,
                   totals: &mut Totals,
                   by_country: &mut BTreeMap<Country, CountryShare>,
                   leg: &mut Vec<(Country, f64)>,
                   drive: f64| {
        let shares = std::mem::take(leg);
        let (stops, hours, usd) = crate::cost::formulas::rest_stops(profile, rates, drive);
        if stops == 0 {
            return;
        }
        let last = steps.iter().rev().find_map(|s| match s {
            Step::Link { to, .. } => Some(*to),
            _ => None,
        });
        if let Some(place) = last {
            steps.push(Step::Rest {
                place,
                stops,
                hours,
                usd,
            });
            totals.hours += hours;
            totals.bad_day_hours += hours;
            totals.usd += usd;
            for (country, h) in shares {
                let f = if drive > 0.0 { h / drive } else { 0.0 };
                let share = by_country.entry(country).or_default();
                share.hours += hours * f;
                share.usd += usd * f;
            }
        }
    };
    for &a in arcs {
        let c = weights.cost[a.index()];
        weight += u64::from(weights.weight[a.index()]);
        totals.km += c.km;
        totals.hours += c.total_hours();
        totals.bad_day_hours += c.total_bad_day_hours();
        totals.usd += c.total_usd();
        if c.drive_hours > 0.0 {
            leg_drive += c.drive_hours;
        } else if leg_drive > 0.0 {
            end_leg(
                &mut steps,
                &mut totals,
                &mut by_country,
                &mut leg_countries,
                leg_drive,
            );
            leg_drive = 0.0;
        }
        match graph.arcs[a.index()] {
            ArcKind::Link { link, forward } => {
                let (lf, lt) = network.graph.edge_endpoints(link).unwrap_or((from, to));
                let (pf, pt) = if forward { (lf, lt) } else { (lt, lf) };
                let country = link_country(network, pf, pt);
                if c.drive_hours > 0.0 {
                    match leg_countries.iter_mut().find(|(x, _)| *x == country) {
                        Some(e) => e.1 += c.drive_hours,
                        None => leg_countries.push((country, c.drive_hours)),
                    }
                }
                let l = network.link(link);
                steps.push(Step::Link {
                    arc: a,
                    link,
                    from: pf,
                    to: pt,
                    layer: l.layer(),
                    country,
                    km: c.km,
                    hours: c.hours,
                    usd: c.usd,
                });
                let share = by_country.entry(country).or_default();
                share.km += c.km;
                share.hours += c.hours;
                share.usd += c.usd;
                if country != co && country != cd && !transit_modes.contains(&(country, l.mode)) {
                    transit_modes.push((country, l.mode));
                }
                if let Some(b) = c.border {
                    steps.push(Step::Border {
                        place: pt,
                        mode: l.mode,
                        hours: b.hours,
                        bad_day_hours: b.bad_day_hours,
                        fee_usd: b.fee_usd,
                    });
                    borders.hours += b.hours;
                    borders.usd += b.fee_usd;
                    let place = network.place(pt);
                    if let Some(x) = &place.crossing {
                        if !x.months_open.is_all() {
                            notes.push(format!(
                                "{} is open only in {}",
                                place.name,
                                x.months_open.describe()
                            ));
                        }
                        if let Some(days) = &x.weekdays_open
                            && days.len() < 7
                        {
                            notes.push(format!(
                                "{} works only on {} (plan for a wait; see its bad-day hours)",
                                place.name,
                                days.join(", ")
                            ));
                        }
                    }
                }
            }
            ArcKind::Load { place } | ArcKind::Unload { place } => {
                if c.hours > 0.0 || c.usd > 0.0 {
                    let loading = matches!(graph.arcs[a.index()], ArcKind::Load { .. });
                    let layer = if loading {
                        graph.node(graph.head(a)).layer
                    } else {
                        graph.node(graph.tail(a)).layer
                    };
                    steps.push(Step::Terminal {
                        place,
                        layer,
                        loading,
                        hours: c.hours,
                        usd: c.usd,
                    });
                    let share = by_country.entry(network.place(place).country).or_default();
                    share.hours += c.hours;
                    share.usd += c.usd;
                }
            }
            ArcKind::Transfer { place, .. } => {
                let tail = graph.node(graph.tail(a));
                let head = graph.node(graph.head(a));
                steps.push(Step::Transfer {
                    place,
                    from_layer: tail.layer,
                    to_layer: head.layer,
                    hours: c.hours,
                    bad_day_hours: c.bad_day_hours,
                    usd: c.usd,
                });
                let p = network.place(place);
                if p.crossing.is_some() {
                    borders.hours += c.hours;
                    borders.usd += c.usd;
                } else {
                    let share = by_country.entry(p.country).or_default();
                    share.hours += c.hours;
                    share.usd += c.usd;
                }
            }
        }
    }
    if leg_drive > 0.0 {
        end_leg(
            &mut steps,
            &mut totals,
            &mut by_country,
            &mut leg_countries,
            leg_drive,
        );
    }
    totals.generalized_usd = totals.usd + vot * totals.hours;
    let mut transit_countries: Vec<Country> = Vec::new();
    for (c, _) in &transit_modes {
        if !transit_countries.contains(c) {
            transit_countries.push(*c);
        }
    }
    notes.extend(unconfirmed_transit(profile, &transit_modes));
    notes.dedup();
    Route {
        from,
        to,
        via: via.to_vec(),
        steps,
        arcs: arcs.to_vec(),
        totals,
        weight,
        by_country,
        borders,
        transit_countries,
        notes,
    }
}

/// The country a link lies in (see [`Network::link_country`]).
pub fn link_country(network: &Network, a: NodeIndex, b: NodeIndex) -> Country {
    network.link_country(a, b)
}
