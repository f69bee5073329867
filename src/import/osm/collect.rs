//! The first passes over an extract: what the importer keeps of its ways (roads and
//! railways for the import's vehicle), tagged nodes (stations, border posts, named places,
//! barriers), relations (turn restrictions, country boundaries) and, in the last pass, the
//! coordinates of the nodes all these use. Memory grows with the routable graph, not with
//! the file.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::import::osm::read::{Member, MemberKind, Sink};
use crate::import::osm::tags::{
    RailTags, RoadTags, Tags, Vehicle, WayClass, barrier_blocks, classify_way, country_code,
    is_country_boundary, is_turn_restriction,
};

/// A road or railway kept from the first pass.
#[derive(Debug, Clone)]
pub struct RawWay {
    pub id: i64,
    pub refs: Vec<i64>,
    pub kind: WayKind,
    /// `name` (or `name:en`, or `ref`) for naming junctions.
    pub name: Option<String>,
    pub route_ref: Option<String>,
}

/// What a kept way carries.
#[derive(Debug, Clone)]
pub enum WayKind {
    Road(RoadTags),
    Rail(RailTags),
}

/// A tagged node: a station, a border post or a named place.
#[derive(Debug, Clone)]
pub struct PointNode {
    pub id: i64,
    /// Longitude, latitude.
    pub pos: [f64; 2],
    pub name: Option<String>,
    /// A freight station (`station=freight`): a terminal.
    pub freight: bool,
}

/// A country boundary as read (`boundary=administrative`, `admin_level=2`).
#[derive(Debug, Clone)]
pub struct RawBoundary {
    pub id: i64,
    /// ISO 3166-1 alpha-2, upper case.
    pub code: String,
    pub name: Option<String>,
    /// Member ways with role `outer` (or none), and `inner`.
    pub outer: Vec<i64>,
    pub inner: Vec<i64>,
}

/// A turn restriction as read: from a way, via a node, to a way.
#[derive(Debug, Clone)]
pub struct RawRestriction {
    pub id: i64,
    pub from_way: i64,
    pub via_node: i64,
    pub to_way: i64,
    /// `no_left_turn`, `only_straight_on`...
    pub restriction: String,
}

/// Everything the two passes keep: kept ways, the nodes they use with coordinates, and the
/// tagged nodes. Memory grows with the routable graph, not with the file.
#[derive(Debug, Default)]
pub struct Collected {
    pub road: bool,
    pub rail: bool,
    /// Whose access rules decide which roads and barriers are open.
    pub vehicle: Vehicle,
    pub ways: Vec<RawWay>,
    pub stations: Vec<PointNode>,
    pub border_posts: Vec<PointNode>,
    pub named_places: Vec<PointNode>,
    pub needed: HashSet<i64>,
    /// Barrier nodes that close their ways to the vehicle (bollards, `access=no`...).
    pub blocked: HashSet<i64>,
    pub coords: HashMap<i64, [f64; 2]>,
    /// Turn restrictions for the vehicle with a node as via.
    pub restrictions: Vec<RawRestriction>,
    /// Turn restrictions with a way as via (not modelled; counted).
    pub via_way_restrictions: usize,
    /// Country boundaries in the extract, their member ways, and those ways' nodes (read in
    /// a pass of their own, only when there are boundaries).
    pub boundaries: Vec<RawBoundary>,
    pub boundary_ways: HashSet<i64>,
    pub boundary_refs: HashMap<i64, Vec<i64>>,
    /// Roads and railways left out, by reason.
    pub excluded: BTreeMap<&'static str, usize>,
    pub warnings: Vec<String>,
}

fn clean_text(s: &str) -> Option<String> {
    let t: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let t = t.trim().to_string();
    (!t.is_empty()).then_some(t)
}

impl Collected {
    /// A turn restriction for the vehicle, with a node as via (via ways are counted).
    fn restriction(&mut self, id: i64, members: &[Member], tags: Tags) {
        if !self.road {
            return;
        }
        let Some(value) = self.vehicle.turn_restriction(&tags) else {
            return;
        };
        if !(value.starts_with("no_") || value.starts_with("only_")) {
            return;
        }
        let one = |role: &str, kind: MemberKind| -> Option<i64> {
            let mut it = members.iter().filter(|m| m.role == role);
            let m = it.next()?;
            (it.next().is_none() && m.kind == kind).then_some(m.id)
        };
        if members
            .iter()
            .any(|m| m.role == "via" && m.kind == MemberKind::Way)
        {
            self.via_way_restrictions += 1;
            return;
        }
        let (Some(from_way), Some(via_node), Some(to_way)) = (
            one("from", MemberKind::Way),
            one("via", MemberKind::Node),
            one("to", MemberKind::Way),
        ) else {
            self.warnings.push(format!(
                "turn restriction {id} needs one from way, one via node and one to way; skipped"
            ));
            return;
        };
        self.restrictions.push(RawRestriction {
            id,
            from_way,
            via_node,
            to_way,
            restriction: value.to_string(),
        });
    }

    /// A country boundary: its code and member ways, whose nodes a further pass reads.
    fn boundary(&mut self, id: i64, members: &[Member], tags: &Tags) {
        let Some(code) = country_code(tags) else {
            return;
        };
        let ways = |role: &str| -> Vec<i64> {
            members
                .iter()
                .filter(|m| m.kind == MemberKind::Way && m.role == role)
                .map(|m| m.id)
                .collect()
        };
        // Untagged roles count as outer, as most multipolygon readers take them.
        let mut outer = ways("outer");
        outer.extend(ways(""));
        let inner = ways("inner");
        self.boundary_ways
            .extend(outer.iter().chain(&inner).copied());
        self.boundaries.push(RawBoundary {
            id,
            code,
            name: tags
                .get("name:en")
                .or(tags.get("name"))
                .and_then(clean_text),
            outer,
            inner,
        });
    }
}

impl Sink for Collected {
    fn way(&mut self, id: i64, refs: &[i64], tags: Tags) {
        let kind = match classify_way(&tags, self.vehicle) {
            WayClass::Road(r) if self.road => WayKind::Road(r),
            WayClass::Rail(r) if self.rail => WayKind::Rail(r),
            WayClass::Excluded(reason) => {
                *self.excluded.entry(reason).or_default() += 1;
                return;
            }
            _ => return,
        };
        if refs.len() < 2 {
            self.warnings.push(format!(
                "way {id} has {} node(s), a line needs two; skipped",
                refs.len()
            ));
            return;
        }
        self.needed.extend(refs.iter().copied());
        let name = tags
            .get("name")
            .or(tags.get("name:en"))
            .or(tags.get("ref"))
            .and_then(clean_text);
        self.ways.push(RawWay {
            id,
            refs: refs.to_vec(),
            kind,
            name,
            route_ref: tags.get("ref").and_then(clean_text),
        });
    }

    fn relation(&mut self, id: i64, members: &[Member], tags: Tags) {
        if is_country_boundary(&tags) {
            self.boundary(id, members, &tags);
        } else if is_turn_restriction(&tags) {
            self.restriction(id, members, tags);
        }
    }

    fn any_way(&mut self, id: i64, refs: &[i64]) {
        if self.boundary_ways.contains(&id) {
            self.needed.extend(refs.iter().copied());
            self.boundary_refs.insert(id, refs.to_vec());
        }
    }

    fn tagged_node(&mut self, id: i64, lon: f64, lat: f64, tags: Tags) {
        if barrier_blocks(&tags, self.vehicle) {
            self.blocked.insert(id);
        }
        let node = PointNode {
            id,
            pos: [lon, lat],
            name: tags
                .get("name")
                .or(tags.get("name:en"))
                .and_then(clean_text),
            freight: tags.get("station") == Some("freight"),
        };
        if tags.get("railway") == Some("station") {
            self.stations.push(node);
        } else if tags.get("barrier") == Some("border_control") {
            self.border_posts.push(node);
        } else if node.name.is_some() {
            self.named_places.push(node);
        }
    }

    fn node(&mut self, id: i64, lon: f64, lat: f64) {
        if self.needed.contains(&id) {
            self.coords.insert(id, [lon, lat]);
        }
    }
}
