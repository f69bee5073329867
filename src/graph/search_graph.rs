//! The mode-expanded search graph of a network: one node per place and layer (road,
//! rail_1520, rail_1435...), link arcs within a layer, transfer arcs between layers at a
//! place. Built once per network; per-request costs live in [`crate::graph::weights`].
//!
//! Turn restrictions are expanded locally: at a junction with restrictions, each road link
//! named as a restriction's `from` arrives at a node of its own, which leaves only by the
//! turns allowed after arriving that way (copies of the junction's outgoing arcs, each still
//! standing for its link). Other junctions keep one node per layer, so the graph grows only
//! where turns are restricted.
//!
//! A node-based graph lets a vehicle turn back along the link it came by, which a path
//! never does unless it gains by it, and it gains only by dodging a restriction: turn
//! away, turn back at the next junction, arrive again by another link. So U-turns are
//! forbidden at restricted junctions and at the junctions next to them, as OSRM forbids
//! them everywhere but at dead ends; dead ends keep theirs.

use std::collections::{BTreeSet, HashMap};

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::graph::csr::{ArcIx, Csr, NodeIx};
use crate::network::model::{Layer, Network};

/// The two hub nodes of a place: a shipment starts at its origin's source hub and ends at
/// its destination's sink hub, so loading and unloading (rail terminal charges and dwell)
/// are arcs like any other. No arc enters a source or leaves a sink, so hubs never serve as
/// a free change of layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hub {
    Source,
    Sink,
}

/// What a compiled node stands for: a place on one layer, or one of its hubs (whose
/// `layer` is meaningless and set to road).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeInfo {
    pub place: NodeIndex,
    pub layer: Layer,
    pub hub: Option<Hub>,
    /// For the road node of a junction with turn restrictions that a vehicle reaches by one
    /// link: that link. Such a node is left only by the turns allowed from it.
    pub arrived_by: Option<EdgeIndex>,
}

/// What a compiled arc stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArcKind {
    /// Travel along a link; `forward` is from the link's `from` place to its `to` place.
    Link { link: EdgeIndex, forward: bool },
    /// A transfer at a place; `transfer` indexes the place's `transfers`.
    Transfer { place: NodeIndex, transfer: usize },
    /// From a place's source hub onto one of its layers (loading at the origin).
    Load { place: NodeIndex },
    /// From one of a place's layers into its sink hub (unloading at the destination).
    Unload { place: NodeIndex },
}

/// A network compiled into CSR arrays, with what each node and arc means.
#[derive(Debug, Clone)]
pub struct SearchGraph {
    pub csr: Csr,
    pub nodes: Vec<NodeInfo>,
    /// Indexed by arc (forward numbering).
    pub arcs: Vec<ArcKind>,
    /// Nodes of each place, indexed by the place's `NodeIndex::index()`.
    place_nodes: Vec<Vec<NodeIx>>,
    /// Source and sink hubs of each place (none for a place without links).
    hubs: Vec<Option<[NodeIx; 2]>>,
    /// Arcs of each link (forward, backward), indexed by `EdgeIndex::index()`.
    link_arcs: Vec<[Option<ArcIx>; 2]>,
    /// Further arcs of links leaving junctions with turn restrictions (the copies leaving
    /// each arrival node), by `EdgeIndex::index()`.
    turn_arcs: HashMap<usize, Vec<ArcIx>>,
}

/// The turn restrictions of a place resolved to links: for each arriving link named in a
/// restriction, the links it may leave by (`None`: any but the forbidden ones) and the
/// links it may not.
#[derive(Debug, Default)]
struct Turns {
    /// (arriving link, only these may follow, these may not follow)
    arrivals: Vec<(EdgeIndex, Option<Vec<EdgeIndex>>, Vec<EdgeIndex>)>,
}

impl Turns {
    /// Forbids turning back onto `link` after arriving by it.
    fn forbid_u_turn(&mut self, link: EdgeIndex) {
        match self.arrivals.iter_mut().find(|a| a.0 == link) {
            Some(a) if !a.2.contains(&link) => a.2.push(link),
            Some(_) => {}
            None => self.arrivals.push((link, None, vec![link])),
        }
    }

    fn of(network: &Network, place: &crate::network::model::Place) -> Turns {
        let mut t = Turns::default();
        for r in &place.turn_restrictions {
            let (Some(from), Some(to)) =
                (network.link_by_id(&r.from.0), network.link_by_id(&r.to.0))
            else {
                continue;
            };
            let i = match t.arrivals.iter().position(|a| a.0 == from) {
                Some(i) => i,
                None => {
                    t.arrivals.push((from, None, Vec::new()));
                    t.arrivals.len() - 1
                }
            };
            let entry = &mut t.arrivals[i];
            if r.only {
                entry.1.get_or_insert_with(Vec::new).push(to);
            } else {
                entry.2.push(to);
            }
        }
        t
    }

    fn allows(&self, from: EdgeIndex, to: EdgeIndex) -> bool {
        match self.arrivals.iter().find(|a| a.0 == from) {
            None => true,
            Some((_, only, no)) => {
                only.as_ref().is_none_or(|o| o.contains(&to)) && !no.contains(&to)
            }
        }
    }
}

impl SearchGraph {
    /// Builds the mode-expanded graph of every place, link and transfer in the network,
    /// whatever their status; a request's weights close what it may not use.
    pub fn build(network: &Network) -> SearchGraph {
        // Layers present at each place: those of its links, plus those its transfers name.
        let bound = network
            .graph
            .node_indices()
            .map(|n| n.index() + 1)
            .max()
            .unwrap_or(0);
        let mut layers: Vec<BTreeSet<Layer>> = vec![BTreeSet::new(); bound];
        for (_, a, b, link) in network.links() {
            layers[a.index()].insert(link.layer());
            layers[b.index()].insert(link.layer());
        }
        // Nodes are numbered place by place along a Hilbert curve over the places'
        // coordinates, each place's layers then its two hubs, so places near each other on
        // the map are near each other in memory (searches touch fewer cache lines).
        let mut order: Vec<(u64, NodeIndex)> = network
            .places()
            .map(|(ix, p)| (hilbert_index(p.position.x(), p.position.y()), ix))
            .collect();
        order.sort_unstable();
        // Turn restrictions, at places reached by road.
        let mut turns: HashMap<NodeIndex, Turns> = HashMap::new();
        let road_links_at = |place: NodeIndex| -> Vec<(EdgeIndex, NodeIndex)> {
            let mut v: Vec<(EdgeIndex, NodeIndex)> = network
                .graph
                .edges_directed(place, Direction::Outgoing)
                .map(|r| (r.id(), r.target()))
                .chain(
                    network
                        .graph
                        .edges_directed(place, Direction::Incoming)
                        .map(|r| (r.id(), r.source())),
                )
                .filter(|(e, _)| network.graph[*e].layer() == Layer::Road)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let restricted: Vec<NodeIndex> = network
            .places()
            .filter(|(ix, p)| {
                !p.turn_restrictions.is_empty() && layers[ix.index()].contains(&Layer::Road)
            })
            .map(|(ix, _)| ix)
            .collect();
        for &ix in &restricted {
            let mut t = Turns::of(network, &network.graph[ix]);
            let here = road_links_at(ix);
            if here.len() > 1 {
                for (from, _) in &here {
                    t.forbid_u_turn(*from);
                }
            }
            turns.insert(ix, t);
            for (link, next) in here {
                if next != ix && road_links_at(next).len() > 1 {
                    turns.entry(next).or_default().forbid_u_turn(link);
                }
            }
        }
        let mut arrival_node: HashMap<(NodeIndex, EdgeIndex), NodeIx> = HashMap::new();
        let mut nodes = Vec::new();
        let mut place_nodes: Vec<Vec<NodeIx>> = vec![Vec::new(); bound];
        let mut hubs: Vec<Option<[NodeIx; 2]>> = vec![None; bound];
        for &(_, ix) in &order {
            if layers[ix.index()].is_empty() {
                continue;
            }
            for layer in &layers[ix.index()] {
                place_nodes[ix.index()].push(NodeIx(nodes.len() as u32));
                nodes.push(NodeInfo {
                    place: ix,
                    layer: *layer,
                    hub: None,
                    arrived_by: None,
                });
            }
            for (from, _, _) in turns.get(&ix).map_or(&[][..], |t| &t.arrivals[..]) {
                let n = NodeIx(nodes.len() as u32);
                place_nodes[ix.index()].push(n);
                arrival_node.insert((ix, *from), n);
                nodes.push(NodeInfo {
                    place: ix,
                    layer: Layer::Road,
                    hub: None,
                    arrived_by: Some(*from),
                });
            }
            let source = NodeIx(nodes.len() as u32);
            let sink = NodeIx(source.0 + 1);
            for hub in [Hub::Source, Hub::Sink] {
                nodes.push(NodeInfo {
                    place: ix,
                    layer: Layer::Road,
                    hub: Some(hub),
                    arrived_by: None,
                });
            }
            hubs[ix.index()] = Some([source, sink]);
        }
        let node_of = |place: NodeIndex, layer: Layer| -> Option<NodeIx> {
            place_nodes[place.index()]
                .iter()
                .copied()
                .find(|n| nodes[n.index()].layer == layer && nodes[n.index()].arrived_by.is_none())
        };
        // Where travel along `link` into `place` arrives: the link's own arrival node at a
        // junction with restrictions on it, else the place's node on the layer.
        let arrive = |place: NodeIndex, layer: Layer, link: EdgeIndex| -> Option<NodeIx> {
            arrival_node
                .get(&(place, link))
                .copied()
                .or_else(|| node_of(place, layer))
        };

        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut kinds: Vec<ArcKind> = Vec::new();
        let edge_bound = network
            .graph
            .edge_indices()
            .map(|e| e.index() + 1)
            .max()
            .unwrap_or(0);
        let mut link_pair_ix: Vec<[Option<usize>; 2]> = vec![[None, None]; edge_bound];
        for (e, a, b, link) in network.links() {
            let layer = link.layer();
            let (Some(na), Some(nb)) = (node_of(a, layer), node_of(b, layer)) else {
                continue;
            };
            let (Some(into_b), Some(into_a)) = (arrive(b, layer, e), arrive(a, layer, e)) else {
                continue;
            };
            link_pair_ix[e.index()][0] = Some(pairs.len());
            pairs.push((na.0, into_b.0));
            kinds.push(ArcKind::Link {
                link: e,
                forward: true,
            });
            if !link.oneway {
                link_pair_ix[e.index()][1] = Some(pairs.len());
                pairs.push((nb.0, into_a.0));
                kinds.push(ArcKind::Link {
                    link: e,
                    forward: false,
                });
            }
        }
        // The turns allowed from each arrival node: copies of the junction's road arcs
        // leaving it, its transfers off the road, and unloading there.
        let mut turn_pair_ix: Vec<(usize, usize)> = Vec::new();
        let mut arrivals: Vec<(NodeIx, NodeIndex, EdgeIndex)> = arrival_node
            .iter()
            .map(|(&(place, from), &x)| (x, place, from))
            .collect();
        arrivals.sort_unstable();
        for (x, place, from) in arrivals {
            let Some(t) = turns.get(&place) else {
                continue;
            };
            for (e, _) in road_links_at(place) {
                let (Some((a, b)), Some(link)) = (
                    network.graph.edge_endpoints(e),
                    network.graph.edge_weight(e),
                ) else {
                    continue;
                };
                if !t.allows(from, e) {
                    continue;
                }
                for (forward, tail, head) in [(true, a, b), (false, b, a)] {
                    if tail != place || (!forward && link.oneway) {
                        continue;
                    }
                    let Some(h) = arrive(head, Layer::Road, e) else {
                        continue;
                    };
                    turn_pair_ix.push((e.index(), pairs.len()));
                    pairs.push((x.0, h.0));
                    kinds.push(ArcKind::Link { link: e, forward });
                }
            }
            if let Some(p) = network.graph.node_weight(place) {
                for (k, transfer) in p.transfers.iter().enumerate() {
                    let other = match transfer.between {
                        [Layer::Road, o] | [o, Layer::Road] if o != Layer::Road => o,
                        _ => continue,
                    };
                    if let Some(y) = node_of(place, other) {
                        pairs.push((x.0, y.0));
                        kinds.push(ArcKind::Transfer { place, transfer: k });
                    }
                }
            }
        }
        for (ix, place) in network.places() {
            for (t, transfer) in place.transfers.iter().enumerate() {
                let (Some(x), Some(y)) = (
                    node_of(ix, transfer.between[0]),
                    node_of(ix, transfer.between[1]),
                ) else {
                    continue;
                };
                for (u, v) in [(x, y), (y, x)] {
                    pairs.push((u.0, v.0));
                    kinds.push(ArcKind::Transfer {
                        place: ix,
                        transfer: t,
                    });
                }
            }
        }
        for (ix, _) in network.places() {
            let Some([source, sink]) = hubs[ix.index()] else {
                continue;
            };
            for n in &place_nodes[ix.index()] {
                // Loading starts on the place's own layer nodes, never on an arrival node.
                if nodes[n.index()].arrived_by.is_none() {
                    pairs.push((source.0, n.0));
                    kinds.push(ArcKind::Load { place: ix });
                }
                pairs.push((n.0, sink.0));
                kinds.push(ArcKind::Unload { place: ix });
            }
        }
        let (csr, position) = Csr::from_arcs(nodes.len(), &pairs);
        let mut arcs = vec![
            ArcKind::Transfer {
                place: NodeIndex::new(0),
                transfer: 0
            };
            kinds.len()
        ];
        for (i, k) in kinds.into_iter().enumerate() {
            arcs[position[i].index()] = k;
        }
        let link_arcs = link_pair_ix
            .into_iter()
            .map(|[f, b]| [f.map(|i| position[i]), b.map(|i| position[i])])
            .collect();
        let mut turn_arcs: HashMap<usize, Vec<ArcIx>> = HashMap::new();
        for (link, i) in turn_pair_ix {
            turn_arcs.entry(link).or_default().push(position[i]);
        }
        SearchGraph {
            csr,
            nodes,
            arcs,
            place_nodes,
            hubs,
            link_arcs,
            turn_arcs,
        }
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn arc_count(&self) -> usize {
        self.arcs.len()
    }

    /// Where a shipment from `place` starts (its source hub).
    pub fn source_of(&self, place: NodeIndex) -> Option<NodeIx> {
        self.hubs
            .get(place.index())
            .copied()
            .flatten()
            .map(|h| h[0])
    }

    /// Where a shipment to `place` ends (its sink hub).
    pub fn sink_of(&self, place: NodeIndex) -> Option<NodeIx> {
        self.hubs
            .get(place.index())
            .copied()
            .flatten()
            .map(|h| h[1])
    }

    /// The compiled nodes of a place (one per layer present).
    pub fn nodes_of(&self, place: NodeIndex) -> &[NodeIx] {
        self.place_nodes
            .get(place.index())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every arc standing for a link: forward, backward (none for one-way links), and the
    /// copies leaving junctions with turn restrictions.
    pub fn arcs_of(&self, link: EdgeIndex) -> Vec<ArcIx> {
        let mut out: Vec<ArcIx> = self
            .link_arcs
            .get(link.index())
            .copied()
            .unwrap_or([None, None])
            .into_iter()
            .flatten()
            .collect();
        if let Some(more) = self.turn_arcs.get(&link.index()) {
            out.extend(more);
        }
        out
    }

    /// Every arc that starts or ends at a node of `place` (link and transfer arcs).
    pub fn arcs_at(&self, place: NodeIndex) -> Vec<ArcIx> {
        let mut out = Vec::new();
        for n in self.nodes_of(place) {
            out.extend(self.csr.out_range(n.0).map(|a| ArcIx(a as u32)));
            out.extend(self.csr.in_range(n.0).map(|k| ArcIx(self.csr.in_arc[k])));
        }
        out.sort();
        out.dedup();
        out
    }

    pub fn node(&self, n: NodeIx) -> NodeInfo {
        self.nodes[n.index()]
    }

    pub fn tail(&self, a: ArcIx) -> NodeIx {
        NodeIx(self.csr.tail[a.index()])
    }

    pub fn head(&self, a: ArcIx) -> NodeIx {
        NodeIx(self.csr.head[a.index()])
    }
}

/// Position of a point (longitude, latitude in degrees) along a Hilbert curve of 2^16 x 2^16
/// cells over the globe: points close on the curve are close on the map.
pub fn hilbert_index(lon: f64, lat: f64) -> u64 {
    const SIDE: u32 = 1 << 16;
    let cell = |v: f64, lo: f64, span: f64| -> u32 {
        if !v.is_finite() {
            return 0;
        }
        (((v - lo) / span * f64::from(SIDE)).floor()).clamp(0.0, f64::from(SIDE - 1)) as u32
    };
    let (mut x, mut y) = (cell(lon, -180.0, 360.0), cell(lat, -90.0, 180.0));
    let mut d: u64 = 0;
    let mut s = SIDE / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        // Rotate the quadrant so the curve stays continuous.
        if ry == 0 {
            if rx == 1 {
                x = SIDE - 1 - x;
                y = SIDE - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}
