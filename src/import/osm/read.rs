//! Streaming readers of OpenStreetMap extracts: PBF (the `osmpbf` crate) and XML (`.osm`,
//! for hand-written fixtures). Both hand elements to a [`Sink`] one at a time, in two passes,
//! so memory is bounded by what the sink keeps, not by the file.

use std::io::BufRead;
use std::path::Path;

use indicatif::ProgressBar;
use osmpbf::{BlobDecode, BlobReader, Element};
use quick_xml::events::{BytesStart, Event};

use crate::error::{Error, Result};
use crate::import::osm::tags::{
    NODE_KEYS, RELATION_KEYS, Tags, WAY_KEYS, node_is_interesting, relation_is_interesting,
};

/// Which elements a pass delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Ways (with their tags) and the tagged nodes the importer reads (stations, border posts,
    /// named places).
    Ways,
    /// Every way's node list, untagged (for the member ways of country boundaries).
    BoundaryWays,
    /// Every node's coordinates.
    Nodes,
}

/// What a relation member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    Node,
    Way,
    Relation,
}

/// A member of a relation: what it is, its id and its role (`from`, `via`, `to`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub kind: MemberKind,
    pub id: i64,
    pub role: String,
}

/// Receives elements from a reader.
pub trait Sink {
    /// A turn restriction or a country boundary, its tags trimmed to [`RELATION_KEYS`]
    /// (pass `Ways`).
    fn relation(&mut self, id: i64, members: &[Member], tags: Tags);
    /// Any way's node list (pass `BoundaryWays`).
    fn any_way(&mut self, _id: i64, _refs: &[i64]) {}
    /// A way tagged `highway` or `railway`, its tags trimmed to [`WAY_KEYS`].
    fn way(&mut self, id: i64, refs: &[i64], tags: Tags);
    /// A node whose tags make it a station, border post or named place (pass `Ways`).
    fn tagged_node(&mut self, id: i64, lon: f64, lat: f64, tags: Tags);
    /// A node's coordinates (pass `Nodes`).
    fn node(&mut self, id: i64, lon: f64, lat: f64);
}

/// What the file says about itself.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// When the data was current: the PBF header's replication timestamp, or the newest
    /// way timestamp seen (ISO 8601).
    pub timestamp: Option<String>,
}

fn bad(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Input {
        path: path.to_path_buf(),
        message: format!("cannot read OpenStreetMap data: {message}"),
    }
}

/// True for XML extracts (`.osm`, `.osm.xml`), false for PBF.
pub fn is_xml(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".osm") || name.ends_with(".xml")
}

/// Reads one pass of `path` into `sink`, ticking `progress` once per element.
pub fn scan(
    path: &Path,
    pass: Pass,
    sink: &mut dyn Sink,
    progress: &ProgressBar,
) -> Result<Header> {
    if is_xml(path) {
        scan_xml(path, pass, sink, progress)
    } else {
        scan_pbf(path, pass, sink, progress)
    }
}

fn keep(tags: impl Iterator<Item = (String, String)>, keys: &[&str]) -> Tags {
    Tags(tags.filter(|(k, _)| keys.contains(&k.as_str())).collect())
}

fn is_routable_way(tags: &Tags) -> bool {
    tags.get("highway").is_some() || tags.get("railway").is_some()
}

fn scan_pbf(
    path: &Path,
    pass: Pass,
    sink: &mut dyn Sink,
    progress: &ProgressBar,
) -> Result<Header> {
    let reader = BlobReader::from_path(path).map_err(|e| bad(path, e))?;
    let mut header = Header::default();
    let mut newest_ms: Option<i64> = None;
    for blob in reader {
        let blob = blob.map_err(|e| bad(path, e))?;
        match blob.decode().map_err(|e| bad(path, e))? {
            BlobDecode::OsmHeader(h) => {
                if let Some(s) = h.osmosis_replication_timestamp() {
                    header.timestamp = Some(iso_from_unix(s));
                }
            }
            BlobDecode::OsmData(block) => {
                let mut n = 0u64;
                for element in block.elements() {
                    n += 1;
                    match (pass, element) {
                        (Pass::Nodes, Element::Node(node)) => {
                            sink.node(node.id(), node.lon(), node.lat())
                        }
                        (Pass::Nodes, Element::DenseNode(node)) => {
                            sink.node(node.id(), node.lon(), node.lat())
                        }
                        (Pass::Ways, Element::Node(node)) => {
                            let tags = keep(
                                node.tags().map(|(k, v)| (k.to_string(), v.to_string())),
                                NODE_KEYS,
                            );
                            if node_is_interesting(&tags) {
                                sink.tagged_node(node.id(), node.lon(), node.lat(), tags);
                            }
                        }
                        (Pass::Ways, Element::DenseNode(node)) => {
                            if node.tags().next().is_none() {
                                continue;
                            }
                            let tags = keep(
                                node.tags().map(|(k, v)| (k.to_string(), v.to_string())),
                                NODE_KEYS,
                            );
                            if node_is_interesting(&tags) {
                                sink.tagged_node(node.id(), node.lon(), node.lat(), tags);
                            }
                        }
                        (Pass::Ways, Element::Way(way)) => {
                            let tags = keep(
                                way.tags().map(|(k, v)| (k.to_string(), v.to_string())),
                                WAY_KEYS,
                            );
                            if is_routable_way(&tags) {
                                if let Some(ms) = way.info().milli_timestamp() {
                                    newest_ms = Some(newest_ms.map_or(ms, |m| m.max(ms)));
                                }
                                let refs: Vec<i64> = way.refs().collect();
                                sink.way(way.id(), &refs, tags);
                            }
                        }
                        (Pass::BoundaryWays, Element::Way(way)) => {
                            let refs: Vec<i64> = way.refs().collect();
                            sink.any_way(way.id(), &refs);
                        }
                        (Pass::Ways, Element::Relation(rel)) => {
                            let tags = keep(
                                rel.tags().map(|(k, v)| (k.to_string(), v.to_string())),
                                RELATION_KEYS,
                            );
                            if relation_is_interesting(&tags) {
                                let members: Vec<Member> = rel
                                    .members()
                                    .map(|m| Member {
                                        kind: match m.member_type {
                                            osmpbf::RelMemberType::Node => MemberKind::Node,
                                            osmpbf::RelMemberType::Way => MemberKind::Way,
                                            osmpbf::RelMemberType::Relation => MemberKind::Relation,
                                        },
                                        id: m.member_id,
                                        role: m.role().unwrap_or_default().to_string(),
                                    })
                                    .collect();
                                sink.relation(rel.id(), &members, tags);
                            }
                        }
                        _ => {}
                    }
                }
                progress.inc(n);
            }
            BlobDecode::Unknown(_) => {}
        }
    }
    if header.timestamp.is_none() {
        header.timestamp = newest_ms.map(|ms| iso_from_unix(ms.div_euclid(1000)));
    }
    Ok(header)
}

/// What an XML element being read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenKind {
    Node,
    Way,
    Relation,
}

/// An XML element being read: a node, way or relation with the tags, refs and members seen
/// so far.
struct Open {
    kind: OpenKind,
    members: Vec<Member>,
    id: i64,
    lon: f64,
    lat: f64,
    refs: Vec<i64>,
    tags: Vec<(String, String)>,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::default())
                .ok()
                .map(|v| v.into_owned())
        })
}

fn scan_xml(
    path: &Path,
    pass: Pass,
    sink: &mut dyn Sink,
    progress: &ProgressBar,
) -> Result<Header> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    read_xml(&mut reader, path, pass, sink, progress)
}

fn read_xml<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    path: &Path,
    pass: Pass,
    sink: &mut dyn Sink,
    progress: &ProgressBar,
) -> Result<Header> {
    let mut header = Header::default();
    let mut newest: Option<String> = None;
    let mut buf = Vec::new();
    let mut open: Option<Open> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            bad(
                path,
                format!("XML error at byte {}: {e}", reader.buffer_position()),
            )
        })?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                match name.as_str() {
                    "osm" => header.timestamp = attr(&e, "timestamp"),
                    "meta" => {
                        if let Some(t) = attr(&e, "osm_base") {
                            header.timestamp = Some(t);
                        }
                    }
                    "node" | "way" | "relation" => {
                        let kind = match name.as_str() {
                            "node" => OpenKind::Node,
                            "way" => OpenKind::Way,
                            _ => OpenKind::Relation,
                        };
                        let is_way = kind != OpenKind::Node;
                        let Some(id) = attr(&e, "id").and_then(|v| v.parse::<i64>().ok()) else {
                            return Err(bad(
                                path,
                                format!(
                                    "a <{}> without a numeric id near byte {}",
                                    name,
                                    reader.buffer_position()
                                ),
                            ));
                        };
                        let coord = |k: &str| attr(&e, k).and_then(|v| v.parse::<f64>().ok());
                        let (lon, lat) = (coord("lon"), coord("lat"));
                        if !is_way {
                            match (lon, lat) {
                                (Some(lon), Some(lat))
                                    if (-180.0..=180.0).contains(&lon)
                                        && (-90.0..=90.0).contains(&lat) => {}
                                _ => {
                                    // A node without usable coordinates is as good as missing.
                                    if empty {
                                        continue;
                                    }
                                }
                            }
                        }
                        if kind == OpenKind::Way
                            && let Some(t) = attr(&e, "timestamp")
                        {
                            newest = Some(newest.map_or(t.clone(), |n: String| n.max(t)));
                        }
                        let o = Open {
                            kind,
                            members: Vec::new(),
                            id,
                            lon: lon.unwrap_or(f64::NAN),
                            lat: lat.unwrap_or(f64::NAN),
                            refs: Vec::new(),
                            tags: Vec::new(),
                        };
                        if empty {
                            finish(o, pass, sink, progress);
                        } else {
                            open = Some(o);
                        }
                    }
                    "nd" => {
                        if let (Some(o), Some(r)) = (
                            open.as_mut(),
                            attr(&e, "ref").and_then(|v| v.parse::<i64>().ok()),
                        ) {
                            o.refs.push(r);
                        }
                    }
                    "member" => {
                        let kind = match attr(&e, "type").as_deref() {
                            Some("node") => Some(MemberKind::Node),
                            Some("way") => Some(MemberKind::Way),
                            Some("relation") => Some(MemberKind::Relation),
                            _ => None,
                        };
                        if let (Some(o), Some(kind), Some(id)) = (
                            open.as_mut(),
                            kind,
                            attr(&e, "ref").and_then(|v| v.parse::<i64>().ok()),
                        ) {
                            o.members.push(Member {
                                kind,
                                id,
                                role: attr(&e, "role").unwrap_or_default(),
                            });
                        }
                    }
                    "tag" => {
                        if let (Some(o), Some(k), Some(v)) =
                            (open.as_mut(), attr(&e, "k"), attr(&e, "v"))
                        {
                            o.tags.push((k, v));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if matches!(e.name().as_ref(), "node" | "way" | "relation")
                    && let Some(o) = open.take()
                {
                    finish(o, pass, sink, progress);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if header.timestamp.is_none() {
        header.timestamp = newest;
    }
    Ok(header)
}

fn finish(o: Open, pass: Pass, sink: &mut dyn Sink, progress: &ProgressBar) {
    progress.inc(1);
    let has_coords = o.lon.is_finite() && o.lat.is_finite();
    match (pass, o.kind) {
        (Pass::Nodes, OpenKind::Node) if has_coords => sink.node(o.id, o.lon, o.lat),
        (Pass::Ways, OpenKind::Node) if has_coords => {
            let tags = keep(o.tags.into_iter(), NODE_KEYS);
            if node_is_interesting(&tags) {
                sink.tagged_node(o.id, o.lon, o.lat, tags);
            }
        }
        (Pass::Ways, OpenKind::Way) => {
            let tags = keep(o.tags.into_iter(), WAY_KEYS);
            if is_routable_way(&tags) {
                sink.way(o.id, &o.refs, tags);
            }
        }
        (Pass::Ways, OpenKind::Relation) => {
            let tags = keep(o.tags.into_iter(), RELATION_KEYS);
            if relation_is_interesting(&tags) {
                sink.relation(o.id, &o.members, tags);
            }
        }
        (Pass::BoundaryWays, OpenKind::Way) => sink.any_way(o.id, &o.refs),
        _ => {}
    }
}

/// `2016-03-04T12:00:00Z` from seconds since 1970 (proleptic Gregorian, UTC).
pub fn iso_from_unix(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_to_iso() {
        assert_eq!(iso_from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_from_unix(1_457_049_600), "2016-03-04T00:00:00Z");
        assert_eq!(iso_from_unix(951_782_400 + 3661), "2000-02-29T01:01:01Z");
    }
}
