//! A 4-ary min-heap of `(key, node)` for Dijkstra with lazy deletion: shallower than a
//! binary heap, and its four children share a cache line. Measured against a radix heap
//! and an indexed (decrease-key) variant on the 40k-node Bremen graph: this was fastest.

/// Min-heap of `(key, node)`.
#[derive(Debug, Clone, Default)]
pub struct DaryHeap {
    items: Vec<(u64, u32)>,
}

const D: usize = 4;

impl DaryHeap {
    pub fn new() -> DaryHeap {
        DaryHeap::default()
    }

    /// Empties the heap, keeping its memory.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    #[inline]
    pub fn push(&mut self, key: u64, node: u32) {
        let mut i = self.items.len();
        self.items.push((key, node));
        while i > 0 {
            let parent = (i - 1) / D;
            if self.items[parent].0 <= key {
                break;
            }
            self.items[i] = self.items[parent];
            i = parent;
        }
        self.items[i] = (key, node);
    }

    /// Removes an item with the smallest key.
    #[inline]
    pub fn pop(&mut self) -> Option<(u64, u32)> {
        let last = self.items.pop()?;
        let Some(&top) = self.items.first() else {
            return Some(last);
        };
        let n = self.items.len();
        let mut i = 0;
        loop {
            let first = i * D + 1;
            if first >= n {
                break;
            }
            let end = (first + D).min(n);
            let mut best = first;
            let mut best_key = self.items[first].0;
            for (c, item) in self.items[first + 1..end].iter().enumerate() {
                if item.0 < best_key {
                    best = first + 1 + c;
                    best_key = item.0;
                }
            }
            if best_key >= last.0 {
                break;
            }
            self.items[i] = self.items[best];
            i = best;
        }
        self.items[i] = last;
        Some(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_key_order() {
        let mut h = DaryHeap::new();
        let keys = [50u64, 3, 9, 3, 1000, 0, 77, 12, 12, 5, 8];
        for (i, k) in keys.iter().enumerate() {
            h.push(*k, i as u32);
        }
        let mut out = Vec::new();
        while let Some((k, _)) = h.pop() {
            out.push(k);
        }
        let mut sorted = keys.to_vec();
        sorted.sort();
        assert_eq!(out, sorted);
        assert!(h.is_empty());
    }
}
