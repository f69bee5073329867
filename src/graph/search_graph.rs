//! The mode-expanded search graph of a network: one node per place and layer (road,
//! rail_1520, rail_1435...), link arcs within a layer, transfer arcs between layers at a
//! place. Built once per network; per-request costs live in [`crate::graph::weights`].

use std::collections::BTreeSet;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

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
                });
            }
            let source = NodeIx(nodes.len() as u32);
            let sink = NodeIx(source.0 + 1);
            for hub in [Hub::Source, Hub::Sink] {
                nodes.push(NodeInfo {
                    place: ix,
                    layer: Layer::Road,
                    hub: Some(hub),
                });
            }
            hubs[ix.index()] = Some([source, sink]);
        }
        let node_of = |place: NodeIndex, layer: Layer| -> Option<NodeIx> {
            place_nodes[place.index()]
                .iter()
                .copied()
                .find(|n| nodes[n.index()].layer == layer)
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
            link_pair_ix[e.index()][0] = Some(pairs.len());
            pairs.push((na.0, nb.0));
            kinds.push(ArcKind::Link {
                link: e,
                forward: true,
            });
            if !link.oneway {
                link_pair_ix[e.index()][1] = Some(pairs.len());
                pairs.push((nb.0, na.0));
                kinds.push(ArcKind::Link {
                    link: e,
                    forward: false,
                });
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
                pairs.push((source.0, n.0));
                kinds.push(ArcKind::Load { place: ix });
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
        SearchGraph {
            csr,
            nodes,
            arcs,
            place_nodes,
            hubs,
            link_arcs,
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

    /// The forward and backward arcs of a link (backward is `None` for one-way links).
    pub fn arcs_of(&self, link: EdgeIndex) -> [Option<ArcIx>; 2] {
        self.link_arcs
            .get(link.index())
            .copied()
            .unwrap_or([None, None])
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
