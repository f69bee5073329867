//! From OSM ways and nodes to places and links: ways are cut into stretches at junctions,
//! at nodes shared by several ways and where they pass from one country to another (a
//! border crossing place there); chains of degree-2 nodes become one link keeping their
//! geometry; stations join the rail layers and the nearest road.

use std::collections::{BTreeMap, HashMap, HashSet};

use geo::{Distance, Haversine, Point};
use rstar::RTree;
use rstar::primitives::GeomWithData;

pub use crate::import::osm::collect::{
    Collected, PointNode, RawBoundary, RawRestriction, RawWay, WayKind,
};
use crate::import::osm::restrictions::attach_turn_restrictions;
use crate::import::osm::tags::{Oneway, usual_gauge_mm};
use crate::network::geography::Geography;
use crate::network::model::{Country, Layer, Mode, PlaceKind, RoadClass};
use crate::network::snap::sphere;

/// How far a station may be from its railway, and a road from the station, metres.
pub const STATION_RADIUS_M: f64 = 300.0;
/// How far a `barrier=border_control` node may be from a crossing to name it, metres.
pub const BORDER_POST_RADIUS_M: f64 = 5_000.0;
/// How far a named place may be from a crossing to name it ("border near ..."), metres.
pub const NAMED_PLACE_RADIUS_M: f64 = 50_000.0;

/// A place of the imported network.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlace {
    pub id: String,
    pub name: String,
    pub country: Country,
    pub kind: PlaceKind,
    /// Longitude, latitude.
    pub pos: [f64; 2],
    pub transfers: Vec<[Layer; 2]>,
    /// Turn restrictions at this junction: (from link, to link, `no_left_turn`...).
    pub turn_restrictions: Vec<(String, String, String)>,
    /// For a border crossing: its two countries and the modes crossing there.
    pub crossing: Option<NewCrossing>,
}

/// A border crossing found where a way passes between countries.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCrossing {
    pub countries: [Country; 2],
    pub road: bool,
    pub rail: bool,
}

/// A link of the imported network.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLink {
    pub id: String,
    pub from: String,
    pub to: String,
    pub mode: Mode,
    pub gauge_mm: Option<u16>,
    pub class: Option<RoadClass>,
    pub speed_kmh: Option<f64>,
    pub oneway: bool,
    pub name: Option<String>,
    pub route_ref: Option<String>,
    /// Longitude, latitude from `from` to `to`.
    pub coords: Vec<[f64; 2]>,
    pub length_km: f64,
    /// The OSM way it is a stretch of (none for station connectors).
    pub way_id: Option<i64>,
}

/// The imported network before it is written.
#[derive(Debug, Default)]
pub struct Built {
    pub places: Vec<NewPlace>,
    pub links: Vec<NewLink>,
    pub warnings: Vec<String>,
    pub crossings: usize,
    pub stations: usize,
    pub gauge_changes: usize,
}

/// Bounding box filter, degrees: west, south, east, north.
pub type BBox = [f64; 4];

fn inside(b: &Option<BBox>, p: [f64; 2]) -> bool {
    b.is_none_or(|b| p[0] >= b[0] && p[1] >= b[1] && p[0] <= b[2] && p[1] <= b[3])
}

/// Great-circle distance, metres.
pub fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
    Haversine.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]))
}

/// A vertex of a stretch: an OSM node, or a crossing point inserted between two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum V {
    Node(i64),
    Cross(usize),
}

struct Stretch {
    way: usize,
    vertices: Vec<V>,
    gauges: Vec<u16>,
}

struct CrossPoint {
    key: (i64, i64),
    pos: [f64; 2],
    countries: [Country; 2],
    road: bool,
    rail: bool,
}

/// Station where it joins the network: its place node, the gauges reaching it and the road.
struct StationAt {
    station: usize,
    gauges: Vec<u16>,
    road: bool,
}

type Tree = RTree<GeomWithData<[f64; 3], i64>>;

fn nearest(tree: &Tree, p: [f64; 2], coords: &HashMap<i64, [f64; 2]>, max_m: f64) -> Option<i64> {
    let hit = tree.nearest_neighbor(&sphere(p[0], p[1]))?;
    let q = coords.get(&hit.data)?;
    (metres(p, *q) <= max_m).then_some(hit.data)
}

/// Builds places and links from what the passes collected. `countries` gives every node its
/// country; `class_speed_kmh` caps posted limits at the network's truck speed by class.
pub fn build(
    c: &Collected,
    countries: &Geography,
    bbox: &Option<BBox>,
    class_speed_kmh: &dyn Fn(RoadClass) -> f64,
) -> Built {
    let mut out = Built {
        warnings: c.warnings.clone(),
        ..Built::default()
    };
    let zz = Country::UNKNOWN;
    let mut country_cache: HashMap<i64, Country> = HashMap::new();
    let mut country_of = |n: i64, p: [f64; 2]| -> Country {
        *country_cache
            .entry(n)
            .or_insert_with(|| countries.country_at(Point::new(p[0], p[1])).unwrap_or(zz))
    };

    // Stretches: runs of consecutive nodes present in the extract and inside the box.
    let mut stretches: Vec<Stretch> = Vec::new();
    let mut untagged_gauge = 0usize;
    for (wi, w) in c.ways.iter().enumerate() {
        let mut refs = w.refs.clone();
        refs.dedup();
        if let WayKind::Road(r) = &w.kind
            && r.oneway == Oneway::Backward
        {
            refs.reverse();
        }
        let missing: Vec<i64> = refs
            .iter()
            .copied()
            .filter(|r| !c.coords.contains_key(r))
            .collect();
        let mut runs: Vec<Vec<i64>> = vec![Vec::new()];
        for r in &refs {
            match c.coords.get(r) {
                // A barrier cuts the way: the stretches on either side stop short of it.
                Some(p) if inside(bbox, *p) && !c.blocked.contains(r) => {
                    if let Some(run) = runs.last_mut() {
                        run.push(*r);
                    }
                }
                _ => runs.push(Vec::new()),
            }
        }
        runs.retain(|r| r.len() >= 2);
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().take(3).map(|m| m.to_string()).collect();
            out.warnings.push(format!(
                "way {}: {} node(s) not in the extract ({}{}); {}",
                w.id,
                missing.len(),
                shown.join(", "),
                if missing.len() > 3 { ", ..." } else { "" },
                if runs.is_empty() {
                    "way skipped".to_string()
                } else {
                    format!("kept the {} stretch(es) between them", runs.len())
                }
            ));
        }
        for run in runs {
            let gauges = match &w.kind {
                WayKind::Rail(r) if r.gauges_mm.is_empty() => {
                    untagged_gauge += 1;
                    let p = c.coords.get(&run[0]).copied().unwrap_or([0.0, 0.0]);
                    vec![usual_gauge_mm(country_of(run[0], p).as_str())]
                }
                WayKind::Rail(r) => r.gauges_mm.clone(),
                WayKind::Road(_) => Vec::new(),
            };
            stretches.push(Stretch {
                way: wi,
                vertices: run.into_iter().map(V::Node).collect(),
                gauges,
            });
        }
    }
    let barriers = c.blocked.iter().filter(|n| c.needed.contains(n)).count();
    if barriers > 0 {
        out.warnings.push(format!(
            "{barriers} barrier node(s) (bollards, gates, blocks) close the ways they are on"
        ));
    }
    if untagged_gauge > 0 {
        out.warnings.push(format!(
            "{untagged_gauge} railway stretch(es) without a readable gauge took their country's usual gauge (1520 mm in the former USSR and Mongolia, 1435 mm elsewhere)"
        ));
    }

    // Border crossings between consecutive nodes in different countries.
    let mut crossings: Vec<CrossPoint> = Vec::new();
    let mut crossing_at: HashMap<(i64, i64), usize> = HashMap::new();
    for s in &mut stretches {
        let is_road = matches!(c.ways[s.way].kind, WayKind::Road(_));
        let mut vs: Vec<V> = Vec::with_capacity(s.vertices.len());
        for pair in s.vertices.windows(2) {
            let (V::Node(a), V::Node(b)) = (pair[0], pair[1]) else {
                continue;
            };
            if vs.is_empty() {
                vs.push(pair[0]);
            }
            let (pa, pb) = match (c.coords.get(&a), c.coords.get(&b)) {
                (Some(pa), Some(pb)) => (*pa, *pb),
                _ => continue,
            };
            let (ca, cb) = (country_of(a, pa), country_of(b, pb));
            // A border joins two known countries: leaving every polygon is no crossing.
            if ca != cb && ca != zz && cb != zz {
                let key = (a.min(b), a.max(b));
                let ix = *crossing_at.entry(key).or_insert_with(|| {
                    crossings.push(CrossPoint {
                        key,
                        pos: border_point(countries, pa, pb, ca),
                        countries: [ca, cb],
                        road: false,
                        rail: false,
                    });
                    crossings.len() - 1
                });
                if is_road {
                    crossings[ix].road = true;
                } else {
                    crossings[ix].rail = true;
                }
                vs.push(V::Cross(ix));
            }
            vs.push(pair[1]);
        }
        s.vertices = vs;
    }

    // How often each node is used: a node of two ways (or twice in one) is a junction.
    let mut uses: HashMap<i64, u32> = HashMap::new();
    let mut road_nodes: Vec<GeomWithData<[f64; 3], i64>> = Vec::new();
    let mut rail_nodes: BTreeMap<u16, Vec<GeomWithData<[f64; 3], i64>>> = BTreeMap::new();
    let mut node_gauges: HashMap<i64, Vec<u16>> = HashMap::new();
    for s in &stretches {
        for v in &s.vertices {
            let V::Node(n) = v else { continue };
            let count = uses.entry(*n).or_default();
            *count += 1;
            let Some(p) = c.coords.get(n) else { continue };
            if s.gauges.is_empty() {
                road_nodes.push(GeomWithData::new(sphere(p[0], p[1]), *n));
            } else {
                for g in &s.gauges {
                    rail_nodes
                        .entry(*g)
                        .or_default()
                        .push(GeomWithData::new(sphere(p[0], p[1]), *n));
                    let gs = node_gauges.entry(*n).or_default();
                    if !gs.contains(g) {
                        gs.push(*g);
                    }
                }
            }
        }
    }
    let road_tree: Tree = RTree::bulk_load(road_nodes);
    let rail_trees: BTreeMap<u16, Tree> = rail_nodes
        .into_iter()
        .map(|(g, v)| (g, RTree::bulk_load(v)))
        .collect();

    // Stations: the nearest rail node of each gauge, the nearest road node.
    let mut splits: HashSet<i64> = HashSet::new();
    let mut station_at: HashMap<i64, StationAt> = HashMap::new();
    let mut connectors: Vec<NewLink> = Vec::new();
    for (si, st) in c.stations.iter().enumerate() {
        if !inside(bbox, st.pos) {
            continue;
        }
        let mut by_gauge: Vec<(u16, i64, f64)> = Vec::new();
        for (g, tree) in &rail_trees {
            if let Some(n) = nearest(tree, st.pos, &c.coords, STATION_RADIUS_M)
                && let Some(p) = c.coords.get(&n)
            {
                by_gauge.push((*g, n, metres(st.pos, *p)));
            }
        }
        let Some(&(_, anchor, _)) = by_gauge
            .iter()
            .min_by(|a, b| a.2.total_cmp(&b.2).then(a.1.cmp(&b.1)))
        else {
            out.warnings.push(format!(
                "station node {} ({}): no railway within {STATION_RADIUS_M} m; left out",
                st.id,
                st.name.as_deref().unwrap_or("unnamed")
            ));
            continue;
        };
        if station_at.contains_key(&anchor) {
            continue;
        }
        let Some(anchor_pos) = c.coords.get(&anchor).copied() else {
            continue;
        };
        let anchor_country = country_of(anchor, anchor_pos);
        splits.insert(anchor);
        let anchor_gauges = node_gauges.get(&anchor).cloned().unwrap_or_default();
        let mut gauges = anchor_gauges.clone();
        for (g, n, _) in &by_gauge {
            if anchor_gauges.contains(g) {
                continue;
            }
            let Some(p) = c.coords.get(n).copied() else {
                continue;
            };
            if country_of(*n, p) != anchor_country {
                continue;
            }
            splits.insert(*n);
            gauges.push(*g);
            connectors.push(connector(
                format!("osm_n{}_g{g}", st.id),
                anchor,
                anchor_pos,
                *n,
                p,
                Mode::Rail,
                Some(*g),
            ));
        }
        let mut road = false;
        if c.road
            && let Some(r) = nearest(&road_tree, anchor_pos, &c.coords, STATION_RADIUS_M)
            && let Some(p) = c.coords.get(&r).copied()
            && country_of(r, p) == anchor_country
        {
            road = true;
            if r != anchor {
                splits.insert(r);
                connectors.push(connector(
                    format!("osm_n{}_road", st.id),
                    anchor,
                    anchor_pos,
                    r,
                    p,
                    Mode::Road,
                    None,
                ));
            }
        }
        gauges.sort_unstable();
        station_at.insert(
            anchor,
            StationAt {
                station: si,
                gauges,
                road,
            },
        );
    }

    // Cut stretches at junctions, crossings and stations; close loops at their middle node.
    let is_split = |v: &V, splits: &HashSet<i64>| match v {
        V::Cross(_) => true,
        V::Node(n) => splits.contains(n) || uses.get(n).is_some_and(|u| *u >= 2),
    };
    let mut names_at: HashMap<i64, Vec<String>> = HashMap::new();
    let mut used: Vec<V> = Vec::new();
    let mut used_set: HashSet<V> = HashSet::new();
    let mut piece_no: HashMap<usize, usize> = HashMap::new();
    for s in &stretches {
        let vs = &s.vertices;
        let cuts = loop {
            let cuts: Vec<usize> = (0..vs.len())
                .filter(|&i| i == 0 || i + 1 == vs.len() || is_split(&vs[i], &splits))
                .collect();
            let mut fixed = false;
            for w in cuts.windows(2) {
                if vs[w[0]] == vs[w[1]]
                    && w[1] > w[0] + 1
                    && let V::Node(n) = vs[(w[0] + w[1]) / 2]
                {
                    fixed |= splits.insert(n);
                }
            }
            if !fixed {
                break cuts;
            }
        };
        let way = &c.ways[s.way];
        for w in cuts.windows(2) {
            let k = piece_no.entry(s.way).or_default();
            let index = *k;
            *k += 1;
            let (a, b) = (vs[w[0]], vs[w[1]]);
            if a == b {
                continue;
            }
            let coords: Vec<[f64; 2]> = vs[w[0]..=w[1]]
                .iter()
                .filter_map(|v| match v {
                    V::Node(n) => c.coords.get(n).copied(),
                    V::Cross(x) => Some(crossings[*x].pos),
                })
                .collect();
            let length_km = coords.windows(2).map(|p| metres(p[0], p[1])).sum::<f64>() / 1000.0;
            for v in [a, b] {
                if used_set.insert(v) {
                    used.push(v);
                }
                if let (V::Node(n), Some(name)) = (v, &way.name) {
                    let names = names_at.entry(n).or_default();
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
            }
            let base = NewLink {
                id: format!("osm_w{}_{index}", way.id),
                from: place_id(a, &crossings),
                to: place_id(b, &crossings),
                mode: Mode::Road,
                gauge_mm: None,
                class: None,
                speed_kmh: None,
                oneway: false,
                name: way.name.clone(),
                route_ref: way.route_ref.clone(),
                coords,
                length_km: length_km.max(0.001),
                way_id: Some(way.id),
            };
            match &way.kind {
                WayKind::Road(r) => {
                    let cap = class_speed_kmh(r.class);
                    out.links.push(NewLink {
                        class: Some(r.class),
                        speed_kmh: r.maxspeed_kmh.map(|m| m.min(cap)),
                        oneway: r.oneway != Oneway::Both,
                        ..base
                    });
                }
                WayKind::Rail(_) => {
                    for (gi, g) in s.gauges.iter().enumerate() {
                        let id = if gi == 0 {
                            base.id.clone()
                        } else {
                            format!("{}_g{g}", base.id)
                        };
                        out.links.push(NewLink {
                            id,
                            mode: Mode::Rail,
                            gauge_mm: Some(*g),
                            ..base.clone()
                        });
                    }
                }
            }
        }
    }
    for l in &connectors {
        for id in [&l.from, &l.to] {
            if let Some(n) = id.strip_prefix("osm_n").and_then(|s| s.parse::<i64>().ok())
                && used_set.insert(V::Node(n))
            {
                used.push(V::Node(n));
            }
        }
    }
    out.links.extend(connectors);

    // Places: junctions, stations and crossings.
    for v in used {
        match v {
            V::Cross(x) => {
                let cp = &crossings[x];
                out.crossings += 1;
                out.places.push(NewPlace {
                    id: place_id(v, &crossings),
                    name: crossing_name(c, cp),
                    country: cp.countries[0],
                    kind: PlaceKind::BorderCrossing,
                    pos: cp.pos,
                    transfers: Vec::new(),
                    turn_restrictions: Vec::new(),
                    crossing: Some(NewCrossing {
                        countries: cp.countries,
                        road: cp.road,
                        rail: cp.rail,
                    }),
                });
            }
            V::Node(n) => {
                let Some(pos) = c.coords.get(&n).copied() else {
                    continue;
                };
                let country = country_of(n, pos);
                if let Some(sa) = station_at.get(&n) {
                    let st = &c.stations[sa.station];
                    let mut transfers = Vec::new();
                    let layers: Vec<Layer> = sa
                        .gauges
                        .iter()
                        .map(|g| Layer::Rail { gauge_mm: *g })
                        .collect();
                    if sa.road {
                        for l in &layers {
                            transfers.push([Layer::Road, *l]);
                        }
                    }
                    for (i, a) in layers.iter().enumerate() {
                        for b in &layers[i + 1..] {
                            transfers.push([*a, *b]);
                            out.gauge_changes += 1;
                        }
                    }
                    out.stations += 1;
                    out.places.push(NewPlace {
                        id: place_id(v, &crossings),
                        name: st
                            .name
                            .clone()
                            .unwrap_or_else(|| format!("station node {}", st.id)),
                        country,
                        kind: if st.freight {
                            PlaceKind::Terminal
                        } else {
                            PlaceKind::RailStation
                        },
                        pos,
                        transfers,
                        turn_restrictions: Vec::new(),
                        crossing: None,
                    });
                } else {
                    let names = names_at.get(&n).map(|v| v.as_slice()).unwrap_or(&[]);
                    let name = match names {
                        [] => format!("node {n}"),
                        [one] => one.clone(),
                        [a, b, ..] => format!("{a} / {b}"),
                    };
                    out.places.push(NewPlace {
                        id: place_id(v, &crossings),
                        name,
                        country,
                        kind: PlaceKind::Junction,
                        pos,
                        transfers: Vec::new(),
                        turn_restrictions: Vec::new(),
                        crossing: None,
                    });
                }
            }
        }
    }
    attach_turn_restrictions(c, &mut out);
    out
}

fn connector(
    id: String,
    a: i64,
    pa: [f64; 2],
    b: i64,
    pb: [f64; 2],
    mode: Mode,
    gauge_mm: Option<u16>,
) -> NewLink {
    NewLink {
        id,
        from: format!("osm_n{a}"),
        to: format!("osm_n{b}"),
        mode,
        gauge_mm,
        class: (mode == Mode::Road).then_some(RoadClass::Paved),
        speed_kmh: None,
        oneway: false,
        name: None,
        route_ref: None,
        coords: vec![pa, pb],
        length_km: (metres(pa, pb) / 1000.0).max(0.001),
        way_id: None,
    }
}

fn place_id(v: V, crossings: &[CrossPoint]) -> String {
    match v {
        V::Node(n) => format!("osm_n{n}"),
        V::Cross(x) => {
            let (a, b) = crossings.get(x).map_or((0, 0), |c| c.key);
            format!("osm_x{a}_{b}")
        }
    }
}

/// Where the segment from `a` (in country `ca`) to `b` meets the border: bisection on the
/// country polygons, to about a metre.
fn border_point(countries: &Geography, a: [f64; 2], b: [f64; 2], ca: Country) -> [f64; 2] {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let at = |t: f64| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    let steps = ((metres(a, b).max(1.0)).log2().ceil() as usize).clamp(1, 40);
    for _ in 0..steps {
        let mid = (lo + hi) / 2.0;
        let p = at(mid);
        if countries.country_at(Point::new(p[0], p[1])) == Some(ca) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    at((lo + hi) / 2.0)
}

/// A crossing's name: the nearest named border post within 5 km, else "border near" the
/// nearest named place within 50 km, else its two countries.
fn crossing_name(c: &Collected, cp: &CrossPoint) -> String {
    let closest = |nodes: &[PointNode], max_m: f64| {
        nodes
            .iter()
            .filter_map(|n| Some((metres(n.pos, cp.pos), n.name.as_ref()?)))
            .filter(|(d, _)| *d <= max_m)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, name)| name.clone())
    };
    if let Some(name) = closest(&c.border_posts, BORDER_POST_RADIUS_M) {
        return name;
    }
    let pair = format!("{}-{}", cp.countries[0], cp.countries[1]);
    match closest(&c.named_places, NAMED_PLACE_RADIUS_M) {
        Some(name) => format!("{pair} border near {name}"),
        None => format!("{pair} border (nodes {} and {})", cp.key.0, cp.key.1),
    }
}
