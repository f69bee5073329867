//! A compact binary copy of a validated network (`network.bin`, beside `network.geojson`):
//! the places, links and load warnings, serialized with postcard. [`load_dir`] uses it when
//! its stored content hash matches the GeoJSON, skipping parsing and validation; a stale or
//! unreadable copy is ignored with a note on standard error.
//!
//! Layout: `STEPPEBN` magic, format version (u32 LE), GeoJSON length (u64 LE), XXH3-64
//! hash (u64 LE) and modification time (i64 seconds, u32 nanoseconds, LE), then the postcard
//! body. When the GeoJSON's length and modification time are those stored, it is taken as
//! unchanged without reading it (as git's index does); otherwise its content hash decides.
//!
//! [`load_dir`]: crate::network::load_dir

use std::collections::HashMap;
use std::path::Path;

use petgraph::stable_graph::StableDiGraph;
use serde::{Deserialize, Serialize};

use crate::cost::params::Params;
use crate::error::{Error, Result};
use crate::network::model::{Link, Network, Place};
use crate::network::validate::Problem;
use crate::output::atomic::write_atomic;

/// The cache's file name inside a network folder.
pub const CACHE_FILE: &str = "network.bin";
const MAGIC: &[u8; 8] = b"STEPPEBN";
/// Bumped whenever the model's serialized form changes.
const FORMAT: u32 = 2;
const HEADER_LEN: usize = 8 + 4 + 8 + 8 + 8 + 4;

#[derive(Serialize, Deserialize)]
struct Body {
    /// Distinct `source` texts: an imported network repeats one on every feature, so each
    /// place and link stores an index here (its own `source` is left empty).
    sources: Vec<String>,
    /// Each place with the index of its source.
    places: Vec<(u32, Place)>,
    /// (from, to) as indices into `places`, the index of its source, and the link.
    links: Vec<(u32, u32, u32, Link)>,
    warnings: Vec<Problem>,
}

/// The index of `source` in `sources`, added if new.
fn intern(sources: &mut Vec<String>, index: &mut HashMap<String, u32>, source: &str) -> u32 {
    if let Some(i) = index.get(source) {
        return *i;
    }
    let i = sources.len() as u32;
    sources.push(source.to_string());
    index.insert(source.to_string(), i);
    i
}

fn hash(geojson: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(geojson)
}

/// Modification time of a file as (seconds, nanoseconds) since 1970, if the system says.
fn mtime(path: &Path) -> Option<(i64, u32)> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    let d = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some((i64::try_from(d.as_secs()).ok()?, d.subsec_nanos()))
}

/// Writes `dir/network.bin` for `network`, loaded from `geojson` (the bytes of
/// `dir/network.geojson`).
pub fn write(dir: &Path, geojson: &[u8], network: &Network) -> Result<()> {
    let (secs, nanos) = mtime(&dir.join("network.geojson")).unwrap_or((-1, 0));
    let mut sources = Vec::new();
    let mut source_ix = HashMap::new();
    let mut index = HashMap::new();
    let mut places = Vec::with_capacity(network.place_count());
    for (ix, p) in network.places() {
        index.insert(ix, places.len() as u32);
        let s = intern(&mut sources, &mut source_ix, &p.source);
        places.push((
            s,
            Place {
                source: String::new(),
                ..p.clone()
            },
        ));
    }
    let mut links = Vec::with_capacity(network.link_count());
    for (_, a, b, l) in network.links() {
        if let (Some(a), Some(b)) = (index.get(&a), index.get(&b)) {
            let s = intern(&mut sources, &mut source_ix, &l.source);
            links.push((
                *a,
                *b,
                s,
                Link {
                    source: String::new(),
                    ..l.clone()
                },
            ));
        }
    }
    let body = Body {
        sources,
        places,
        links,
        warnings: network.warnings.clone(),
    };
    let path = dir.join(CACHE_FILE);
    let encoded = postcard::to_allocvec(&body).map_err(|e| Error::Input {
        path: path.clone(),
        message: format!("cannot encode the network: {e}"),
    })?;
    let mut bytes = Vec::with_capacity(HEADER_LEN + encoded.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&(geojson.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&hash(geojson).to_le_bytes());
    bytes.extend_from_slice(&secs.to_le_bytes());
    bytes.extend_from_slice(&nanos.to_le_bytes());
    bytes.extend_from_slice(&encoded);
    write_atomic(&path, &bytes)
}

/// What reading a cache found.
pub enum Cached {
    /// No `network.bin` in the folder.
    Missing,
    /// It does not match the GeoJSON or cannot be read; the reason, for people.
    Stale(String),
    /// The network, built from the cache.
    Fresh(Box<Network>),
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// Reads `dir/network.bin` if it exists and matches `dir/network.geojson`, building the
/// network with `params`. `origin` is the folder as the network names it.
pub fn read(dir: &Path, params: Params, origin: &str) -> Cached {
    let path = dir.join(CACHE_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Cached::Missing,
        Err(e) => return Cached::Stale(format!("cannot be read ({e})")),
    };
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return Cached::Stale("is not a steppe network cache".into());
    }
    let format = bytes
        .get(8..12)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes);
    if format != Some(FORMAT) {
        return Cached::Stale(format!(
            "was written by another version of steppe (format {format:?}, this one reads {FORMAT})"
        ));
    }
    let geo_path = dir.join("network.geojson");
    let stored_len = u64_at(&bytes, 12);
    let stored_time = u64_at(&bytes, 28).zip(
        bytes
            .get(36..40)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes),
    );
    let len_now = std::fs::metadata(&geo_path).ok().map(|m| m.len());
    let time_now = mtime(&geo_path).map(|(s, n)| (s as u64, n));
    let unchanged = stored_len.is_some() && stored_len == len_now && stored_time == time_now;
    if !unchanged {
        let Ok(geojson) = std::fs::read(&geo_path) else {
            return Cached::Stale("has no network.geojson to check against".into());
        };
        if stored_len != Some(geojson.len() as u64) || u64_at(&bytes, 20) != Some(hash(&geojson)) {
            return Cached::Stale("is stale: network.geojson changed since it was written".into());
        }
    }
    let body: Body = match postcard::from_bytes(&bytes[HEADER_LEN..]) {
        Ok(b) => b,
        Err(e) => return Cached::Stale(format!("is damaged ({e})")),
    };
    let mut graph = StableDiGraph::with_capacity(body.places.len(), body.links.len());
    let mut by_id = HashMap::with_capacity(body.places.len());
    let mut link_by_id = HashMap::with_capacity(body.links.len());
    let mut nodes = Vec::with_capacity(body.places.len());
    let source = |i: u32| body.sources.get(i as usize).cloned().unwrap_or_default();
    for (s, mut p) in body.places {
        p.source = source(s);
        let id = p.id.0.clone();
        let ix = graph.add_node(p);
        by_id.insert(id, ix);
        nodes.push(ix);
    }
    for (a, b, s, mut l) in body.links {
        l.source = source(s);
        let (Some(a), Some(b)) = (nodes.get(a as usize), nodes.get(b as usize)) else {
            return Cached::Stale("is damaged (a link names no place)".into());
        };
        let id = l.id.0.clone();
        let e = graph.add_edge(*a, *b, l);
        link_by_id.insert(id, e);
    }
    Cached::Fresh(Box::new(Network {
        origin: origin.to_string(),
        graph,
        params,
        warnings: body.warnings,
        demand_csv: None,
        calibration_csv: None,
        by_id,
        link_by_id,
    }))
}
