//! Turn restrictions put on the junctions they belong to, with the links of their ways.

use std::collections::HashMap;

use crate::import::osm::build::Built;
use crate::import::osm::collect::Collected;
use crate::network::model::Mode;

/// Puts each turn restriction on its via junction, with the links of its `from` and `to`
/// ways that meet there. A restriction whose ways were not imported is dropped quietly; one
/// whose ways do not end at the via node (a way running through it is ambiguous) is
/// counted in a warning, as are restrictions with a way as `via`, which are not modelled.
pub fn attach_turn_restrictions(c: &Collected, out: &mut Built) {
    let mut at: HashMap<(i64, &str), Vec<usize>> = HashMap::new();
    for (i, l) in out.links.iter().enumerate() {
        if l.mode != Mode::Road {
            continue;
        }
        if let Some(w) = l.way_id {
            at.entry((w, l.from.as_str())).or_default().push(i);
            if l.to != l.from {
                at.entry((w, l.to.as_str())).or_default().push(i);
            }
        }
    }
    let place_ix: HashMap<&str, usize> = out
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut kept = Vec::new();
    let mut ambiguous = 0usize;
    for r in &c.restrictions {
        let via = format!("osm_n{}", r.via_node);
        let Some(&pi) = place_ix.get(via.as_str()) else {
            continue;
        };
        let links = &out.links;
        let pick = |way: i64, arriving: bool| -> Option<Option<usize>> {
            let cands: Vec<usize> = at
                .get(&(way, via.as_str()))?
                .iter()
                .copied()
                .filter(|&i| {
                    let l = &links[i];
                    if arriving {
                        l.to == via || (!l.oneway && l.from == via)
                    } else {
                        l.from == via || (!l.oneway && l.to == via)
                    }
                })
                .collect();
            Some(match cands.as_slice() {
                [one] => Some(*one),
                _ => None,
            })
        };
        match (pick(r.from_way, true), pick(r.to_way, false)) {
            (Some(Some(f)), Some(Some(t))) => kept.push((
                pi,
                out.links[f].id.clone(),
                out.links[t].id.clone(),
                r.restriction.clone(),
            )),
            (None, _) | (_, None) => {} // a way not imported (a footway, out of the box)
            _ => ambiguous += 1,
        }
    }
    for (i, from, to, restriction) in kept {
        if let Some(p) = out.places.get_mut(i) {
            let list = &mut p.turn_restrictions;
            if !list.iter().any(|(f, t, _)| *f == from && *t == to) {
                list.push((from, to, restriction));
            }
        }
    }
    if ambiguous > 0 {
        out.warnings.push(format!(
            "{ambiguous} turn restriction(s) skipped: their from or to way does not start or end at the via node"
        ));
    }
    if c.via_way_restrictions > 0 {
        out.warnings.push(format!(
            "{} turn restriction(s) with a way as via are not modelled",
            c.via_way_restrictions
        ));
    }
}
