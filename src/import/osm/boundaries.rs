//! Country polygons from an extract's own boundary relations (`boundary=administrative`,
//! `admin_level=2`): member ways joined end to end into closed rings, outer rings holding the
//! inner rings that lie in them. A country whose rings do not all close (an extract clipped
//! across its border drops member ways) is left to the shipped polygons, with a warning.

use geo::{Contains, LineString, MultiPolygon, Point, Polygon};

use crate::import::osm::build::{Collected, RawBoundary};
use crate::network::model::Country;

/// What the extract's boundaries give.
#[derive(Debug, Default)]
pub struct ExtractCountries {
    /// Complete countries: code, name, polygons.
    pub countries: Vec<(Country, String, MultiPolygon<f64>)>,
    pub warnings: Vec<String>,
}

/// Joins node lists sharing end nodes into closed rings; `Err` with the number of lists
/// left open when they do not all close.
pub fn join_rings(mut parts: Vec<Vec<i64>>) -> Result<Vec<Vec<i64>>, usize> {
    parts.retain(|p| p.len() >= 2);
    let mut rings = Vec::new();
    while let Some(mut ring) = parts.pop() {
        while let (Some(&first), Some(&end)) = (ring.first(), ring.last()) {
            if first == end && ring.len() >= 4 {
                rings.push(ring);
                break;
            }
            let Some(i) = parts
                .iter()
                .position(|p| p.first() == Some(&end) || p.last() == Some(&end))
            else {
                return Err(parts.len() + 1);
            };
            let mut next = parts.swap_remove(i);
            if next.first() != Some(&end) {
                next.reverse();
            }
            ring.extend(next.into_iter().skip(1));
        }
    }
    Ok(rings)
}

fn line(ring: &[i64], c: &Collected) -> Option<LineString<f64>> {
    ring.iter()
        .map(|n| c.coords.get(n).map(|p| (p[0], p[1])))
        .collect::<Option<Vec<_>>>()
        .map(LineString::from)
}

/// The polygons of one boundary, or why it cannot be used.
fn polygons(b: &RawBoundary, c: &Collected) -> Result<MultiPolygon<f64>, String> {
    let members = |ids: &[i64]| -> Result<Vec<Vec<i64>>, String> {
        let missing = ids
            .iter()
            .filter(|w| !c.boundary_refs.contains_key(w))
            .count();
        if missing > 0 {
            return Err(format!(
                "{missing} of its {} member ways are not in the extract",
                ids.len()
            ));
        }
        Ok(ids
            .iter()
            .filter_map(|w| c.boundary_refs.get(w).cloned())
            .collect())
    };
    let outer = join_rings(members(&b.outer)?)
        .map_err(|open| format!("{open} piece(s) of its outline do not close"))?;
    let inner = join_rings(members(&b.inner)?)
        .map_err(|open| format!("{open} piece(s) of its inner rings do not close"))?;
    let to_lines = |rings: &[Vec<i64>]| -> Result<Vec<LineString<f64>>, String> {
        rings
            .iter()
            .map(|r| {
                line(r, c).ok_or_else(|| "nodes of its outline are not in the extract".to_string())
            })
            .collect()
    };
    let outer = to_lines(&outer)?;
    if outer.is_empty() {
        return Err("it has no outer ring".into());
    }
    let mut holes: Vec<Vec<LineString<f64>>> = vec![Vec::new(); outer.len()];
    for h in to_lines(&inner)? {
        let Some(first) = h.0.first().copied() else {
            continue;
        };
        if let Some(i) = outer
            .iter()
            .position(|o| Polygon::new(o.clone(), vec![]).contains(&Point::from(first)))
        {
            holes[i].push(h);
        }
    }
    Ok(MultiPolygon(
        outer
            .into_iter()
            .zip(holes)
            .map(|(o, h)| Polygon::new(o, h))
            .collect(),
    ))
}

/// The complete countries among the extract's boundaries (several relations of one code are
/// merged; a code with any incomplete relation is left out).
pub fn extract_countries(c: &Collected) -> ExtractCountries {
    let mut out = ExtractCountries::default();
    let mut failed: Vec<Country> = Vec::new();
    for b in &c.boundaries {
        let Some(country) = Country::parse(&b.code) else {
            continue;
        };
        let name = b.name.clone().unwrap_or_else(|| b.code.clone());
        match polygons(b, c) {
            Ok(shape) => match out.countries.iter_mut().find(|(k, _, _)| *k == country) {
                Some((_, _, m)) => m.0.extend(shape.0),
                None => out.countries.push((country, name, shape)),
            },
            Err(why) => {
                out.warnings.push(format!(
                    "boundary relation {} ({} {name}) is incomplete: {why}; {} takes the shipped polygons (ZZ outside them)",
                    b.id, b.code, b.code
                ));
                failed.push(country);
            }
        }
    }
    out.countries.retain(|(k, _, _)| !failed.contains(k));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_join_whatever_the_direction_of_their_pieces() {
        let rings = join_rings(vec![vec![1, 2, 3], vec![5, 4, 3], vec![5, 6, 1]]).unwrap();
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].first(), rings[0].last());
        assert_eq!(rings[0].len(), 7);
        assert_eq!(join_rings(vec![vec![1, 2, 3], vec![3, 4]]), Err(2));
        let two = join_rings(vec![vec![1, 2, 3, 1], vec![7, 8, 9], vec![9, 10, 7]]).unwrap();
        assert_eq!(two.len(), 2);
    }
}
