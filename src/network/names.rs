//! Place-name resolution: what users type (any case, with or without diacritics, any known
//! spelling) to one place, or a clear list of candidates, or suggestions.

use petgraph::stable_graph::NodeIndex;

use crate::error::{Error, Result};
use crate::network::model::{Mode, Network};
use crate::network::snap;

/// Folds a name for matching: transliterated to ASCII, lower case, letters and digits only
/// ("Zamyn-Üüd" and "zamyn uud" both give "zamynuud").
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Resolves a name, alias or id to one place; `lat,lon` coordinates snap to the nearest
/// place any link reaches (see [`resolve_for_modes`]).
///
/// Errors: `UnknownPlace` with up to three suggestions, or `AmbiguousPlace` listing every
/// place the name fits.
pub fn resolve(network: &Network, query: &str) -> Result<NodeIndex> {
    resolve_for_modes(network, query, &[Mode::Road, Mode::Rail])
}

/// Like [`resolve`], but coordinates (`47.918,106.917`, latitude first) snap to the nearest
/// place reached by a link of one of `modes`. How far it snapped is said on standard error
/// (one line), so the output of commands stays as it is for named places.
pub fn resolve_for_modes(network: &Network, query: &str, modes: &[Mode]) -> Result<NodeIndex> {
    if let Some((lat, lon)) = snap::parse_lat_lon(query) {
        return match snap::snap(network, lat, lon, modes) {
            Some(s) => {
                eprintln!(
                    "note: {} snapped {:.3} km to {}",
                    query.trim(),
                    s.distance_km,
                    describe(network, s.place)
                );
                Ok(s.place)
            }
            None => Err(Error::Request(format!(
                "{query}: no place with a {} link to snap to",
                modes
                    .iter()
                    .map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))),
        };
    }
    if let Some(ix) = network.place_by_id(query.trim()) {
        return Ok(ix);
    }
    let key = fold(query);
    if key.is_empty() {
        return Err(Error::UnknownPlace {
            query: query.to_string(),
            suggestions: Vec::new(),
        });
    }
    let mut hits: Vec<NodeIndex> = network
        .places()
        .filter(|(_, p)| {
            fold(&p.name) == key || fold(&p.id.0) == key || p.aliases.iter().any(|a| fold(a) == key)
        })
        .map(|(ix, _)| ix)
        .collect();
    hits.dedup();
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::UnknownPlace {
            query: query.to_string(),
            suggestions: suggest(network, &key),
        }),
        many => Err(Error::AmbiguousPlace {
            query: query.to_string(),
            candidates: many.iter().map(|ix| describe(network, *ix)).collect(),
        }),
    }
}

/// "Ölgii (mn_olgii, city, MN)".
pub fn describe(network: &Network, ix: NodeIndex) -> String {
    let p = network.place(ix);
    format!(
        "{} ({}, {}, {})",
        p.name,
        p.id,
        p.kind.as_str(),
        p.countries()
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("/")
    )
}

/// Up to three places whose name or alias is closest to the folded query.
fn suggest(network: &Network, key: &str) -> Vec<String> {
    let mut scored: Vec<(f64, NodeIndex)> = network
        .places()
        .map(|(ix, p)| {
            let best = std::iter::once(p.name.as_str())
                .chain(p.aliases.iter().map(String::as_str))
                .chain(std::iter::once(p.id.0.as_str()))
                .map(|n| similarity(key, &fold(n)))
                .fold(0.0, f64::max);
            (best, ix)
        })
        .filter(|(s, _)| *s >= 0.84)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, ix)| describe(network, ix))
        .collect()
}

/// Similarity of two folded names in 0..=1: Jaro-Winkler, with a prefix match counted high.
fn similarity(a: &str, b: &str) -> f64 {
    let jw = strsim::jaro_winkler(a, b);
    if a.len() >= 3 && b.starts_with(a) {
        jw.max(0.9)
    } else {
        jw
    }
}

/// Up to two ids closest to an unknown id (for "did you mean" in validation).
pub fn closest_ids<'a>(unknown: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = ids
        .map(|id| (strsim::jaro_winkler(unknown, id), id))
        .filter(|(s, _)| *s >= 0.85)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(2)
        .map(|(_, id)| format!("\"{id}\""))
        .collect()
}

/// Like [`closest_ids`], without the quotes.
pub fn closest_plain<'a>(unknown: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    closest_ids(unknown, ids)
        .into_iter()
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_diacritics_and_punctuation() {
        assert_eq!(fold("Zamyn-Üüd"), "zamynuud");
        assert_eq!(fold("ZAMYN UUD"), "zamynuud");
        assert_eq!(fold("Ölgii"), "olgii");
        assert_eq!(fold("Ürümqi"), "urumqi");
        assert_ne!(fold("Altai"), fold("Altay"));
    }
}
