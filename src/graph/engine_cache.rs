//! The engine's node order cached next to a network folder, so a large network is ordered
//! (nested dissection, the expensive part of building a hierarchy) once, not on every run.
//! Contraction from a known order is fast and is redone on load.
//!
//! The file is `DIR/.steppe/engine-order.bin`: a magic line, a format version, a hash of the
//! compiled graph's topology (node count, arc tails and heads), then the order. A file whose
//! hash does not match the graph is stale: the order is rebuilt and the file rewritten. A file
//! that cannot be read or written is reported, never fatal: the engine is then built without
//! it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::graph::search_graph::SearchGraph;
use crate::search::cch::NodeOrder;

const MAGIC: &[u8; 16] = b"steppe-order\n\0\0\0";
const VERSION: u32 = 1;

/// What happened to the cache on one load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheStatus {
    /// No folder to cache in (the embedded network).
    NotUsed,
    /// The order was read from the cache.
    Loaded(PathBuf),
    /// There was no cache; the order was built and written.
    Written(PathBuf),
    /// The cache was made for another graph (the network changed); rebuilt and rewritten.
    Stale(PathBuf),
    /// The cache could not be read or written (the reason); the engine was built without it.
    Failed(String),
}

impl CacheStatus {
    /// A line for people, or `None` when there is nothing worth saying.
    pub fn message(&self) -> Option<String> {
        match self {
            CacheStatus::Stale(p) => Some(format!(
                "engine cache {} was made for another version of the network; rebuilt it",
                p.display()
            )),
            CacheStatus::Failed(why) => Some(format!("engine cache not used: {why}")),
            CacheStatus::NotUsed | CacheStatus::Loaded(_) | CacheStatus::Written(_) => None,
        }
    }
}

/// Where the cache of a network folder lives.
pub fn cache_path(dir: &Path) -> PathBuf {
    dir.join(".steppe").join("engine-order.bin")
}

/// FNV-1a over the graph's topology: node count, then each arc's tail and head.
pub fn topology_hash(graph: &SearchGraph) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: u32| {
        for b in x.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(graph.node_count() as u32);
    for (&t, &hd) in graph.csr.tail.iter().zip(&graph.csr.head) {
        eat(t);
        eat(hd);
    }
    h
}

/// Reads the cached order for a graph with `hash` and `node_count` nodes. `Ok(None)` when
/// there is no cache file; `Err(reason)` when the file is stale or unreadable.
pub fn read(path: &Path, hash: u64, node_count: usize) -> Result<Option<NodeOrder>, ReadError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadError::Unreadable(format!("{}: {e}", path.display()))),
    };
    let bad = |what: &str| ReadError::Unreadable(format!("{}: {what}", path.display()));
    let header = MAGIC.len() + 4 + 8 + 4;
    if bytes.len() < header || &bytes[..MAGIC.len()] != MAGIC {
        return Err(bad("not a steppe engine cache"));
    }
    let word = |at: usize| -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(&bytes[at..at + 4]);
        u32::from_le_bytes(b)
    };
    let mut at = MAGIC.len();
    if word(at) != VERSION {
        return Err(ReadError::Stale);
    }
    at += 4;
    let mut h = [0u8; 8];
    h.copy_from_slice(&bytes[at..at + 8]);
    at += 8;
    let n = word(at) as usize;
    at += 4;
    if u64::from_le_bytes(h) != hash || n != node_count {
        return Err(ReadError::Stale);
    }
    if bytes.len() != header + 4 * n {
        return Err(bad("damaged (wrong length)"));
    }
    let nodes: Vec<u32> = (0..n).map(|i| word(at + 4 * i)).collect();
    NodeOrder::from_nodes(nodes)
        .map(Some)
        .map_err(|e| bad(&e.to_string()))
}

/// Why a cache file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Made for another graph or format version.
    Stale,
    /// Not readable as a cache (the reason, naming the file).
    Unreadable(String),
}

/// Writes `order` for a graph with `hash` atomically (a temporary file renamed over the old).
pub fn write(path: &Path, hash: u64, order: &NodeOrder) -> Result<(), String> {
    let dir = path
        .parent()
        .ok_or_else(|| format!("{}: no parent folder", path.display()))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut bytes = Vec::with_capacity(MAGIC.len() + 16 + 4 * order.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(&hash.to_le_bytes());
    bytes.extend_from_slice(&(order.len() as u32).to_le_bytes());
    for &v in order.node_at() {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    tmp.write_all(&bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("{}: {}", path.display(), e.error))?;
    Ok(())
}
