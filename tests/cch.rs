//! Customizable contraction hierarchies against steppe's Dijkstra (the oracle): point to
//! point with unpacked paths, PHAST both ways and bucket many-to-many, on random directed
//! graphs with parallel arcs, loops, zero weights, one-way and closed arcs and disconnected
//! parts; re-customization; and metrics used with the wrong hierarchy.

use proptest::prelude::*;

use steppe::graph::csr::Csr;
use steppe::search::cch::{
    Cch, CchError, CchQuery, Metric, NodeOrder, Phast, UNREACHABLE, many_to_many,
};
use steppe::search::dijkstra::{Direction, SearchSpace};
use steppe::search::mask::AllNodes;

/// All-pairs distances by Dijkstra, `UNREACHABLE` where there is no path.
fn oracle(csr: &Csr, weight: &[u32]) -> Vec<Vec<u64>> {
    let n = csr.node_count();
    let mut space = SearchSpace::new(n);
    (0..n as u32)
        .map(|s| {
            space.start(Direction::Forward, [(s, 0)]);
            space.run_all(csr, weight, &AllNodes);
            (0..n as u32)
                .map(|t| space.distance(t).unwrap_or(UNREACHABLE))
                .collect()
        })
        .collect()
}

/// Checks every CCH answer for `weight` against Dijkstra.
fn check_metric(csr: &Csr, cch: &Cch, weight: &[u32]) {
    let n = csr.node_count();
    let truth = oracle(csr, weight);
    let metric = Metric::new(cch, weight).unwrap();
    assert_eq!(metric, Metric::new_sequential(cch, weight).unwrap());
    let mut query = CchQuery::new(cch);
    let mut reused = Vec::new();
    for s in 0..n as u32 {
        for t in 0..n as u32 {
            let want = truth[s as usize][t as usize];
            let got = query.path(&metric, s, t).unwrap();
            let d = query.path_into(&metric, s, t, &mut reused).unwrap();
            assert_eq!(got.clone(), d.map(|d| (d, reused.clone())));
            let dist = query.distance(&metric, s, t).unwrap();
            assert_eq!(dist.unwrap_or(UNREACHABLE), want, "distance {s} -> {t}");
            match got {
                None => assert_eq!(want, UNREACHABLE, "path {s} -> {t}"),
                Some((d, path)) => {
                    assert_eq!(d, want, "path distance {s} -> {t}");
                    let mut at = s;
                    let mut sum = 0u64;
                    for &a in &path {
                        let a = a as usize;
                        assert_eq!(csr.tail[a], at, "path {s} -> {t} is connected: {path:?}");
                        assert_ne!(weight[a], u32::MAX, "path {s} -> {t} uses a closed arc");
                        sum += u64::from(weight[a]);
                        at = csr.head[a];
                    }
                    assert_eq!(at, t, "path {s} -> {t} ends at the target: {path:?}");
                    assert_eq!(sum, want, "path {s} -> {t} weighs its distance");
                }
            }
        }
    }
    let mut phast = Phast::new(cch);
    for s in 0..n as u32 {
        assert_eq!(
            phast.one_to_all(&metric, s).unwrap(),
            &truth[s as usize][..]
        );
    }
    for t in 0..n as u32 {
        let column: Vec<u64> = (0..n).map(|s| truth[s][t as usize]).collect();
        assert_eq!(phast.all_to_one(&metric, t).unwrap(), &column[..]);
    }
    let all: Vec<u32> = (0..n as u32).collect();
    let matrix = many_to_many(cch, &metric, &all, &all).unwrap();
    assert_eq!(matrix, truth.concat());
    let (sources, targets) = (&all[..n / 2], &all[n / 3..]);
    let part = many_to_many(cch, &metric, sources, targets).unwrap();
    for (i, &s) in sources.iter().enumerate() {
        for (j, &t) in targets.iter().enumerate() {
            assert_eq!(part[i * targets.len() + j], truth[s as usize][t as usize]);
        }
    }
}

fn weight_strategy() -> impl Strategy<Value = u32> {
    prop_oneof![
        2 => Just(0u32),
        10 => 1..100u32,
        2 => 1..1_000_000u32,
        2 => Just(u32::MAX),
    ]
}

/// A random graph: node count, arcs `(tail, head)`, two weight vectors, coordinates or not.
type RandomGraph = (usize, Vec<(u32, u32)>, Vec<u32>, Vec<u32>, bool);

fn graph_strategy() -> impl Strategy<Value = RandomGraph> {
    (1usize..40).prop_flat_map(|n| {
        let arc = (0..n as u32, 0..n as u32);
        proptest::collection::vec(arc, 0..3 * n).prop_flat_map(move |arcs| {
            let m = arcs.len();
            (
                Just(n),
                Just(arcs),
                proptest::collection::vec(weight_strategy(), m),
                proptest::collection::vec(weight_strategy(), m),
                any::<bool>(),
            )
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cch_matches_dijkstra((n, arcs, w1, w2, coords) in graph_strategy()) {
        let (csr, pos) = Csr::from_arcs(n, &arcs);
        let mut weight = [vec![0u32; arcs.len()], vec![0u32; arcs.len()]];
        for (i, p) in pos.iter().enumerate() {
            weight[0][p.index()] = w1[i];
            weight[1][p.index()] = w2[i];
        }
        let xy: Vec<(f64, f64)> = (0..n)
            .map(|v| (((v * 7919) % 97) as f64, ((v * 104_729) % 89) as f64))
            .collect();
        let order = NodeOrder::nested_dissection(
            n, &csr.tail, &csr.head, coords.then_some(&xy[..])).unwrap();
        let cch = Cch::from_csr(&csr, &order).unwrap();
        check_metric(&csr, &cch, &weight[0]);
        // Re-customizing the same hierarchy gives the second metric's answers.
        check_metric(&csr, &cch, &weight[1]);
    }
}

/// Grids are where nested dissection does real cuts (random graphs are mostly tiny pieces).
#[test]
fn grid_with_random_weights_matches_dijkstra() {
    let side = 14u32;
    let mut arcs = Vec::new();
    let mut weight = Vec::new();
    let mut state = 12345u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        match state % 10 {
            0 => u32::MAX,
            1 => 0,
            _ => (state % 100) as u32 + 1,
        }
    };
    for y in 0..side {
        for x in 0..side {
            let v = y * side + x;
            if x + 1 < side {
                arcs.extend([(v, v + 1), (v + 1, v)]);
                weight.extend([next(), next()]);
            }
            if y + 1 < side {
                arcs.extend([(v, v + side), (v + side, v)]);
                weight.extend([next(), next()]);
            }
        }
    }
    let n = (side * side) as usize;
    let (csr, pos) = Csr::from_arcs(n, &arcs);
    let mut w = vec![0u32; arcs.len()];
    for (i, p) in pos.iter().enumerate() {
        w[p.index()] = weight[i];
    }
    let order = NodeOrder::nested_dissection(n, &csr.tail, &csr.head, None).unwrap();
    let cch = Cch::from_csr(&csr, &order).unwrap();
    assert!(cch.level_count() < n / 2, "levels: {}", cch.level_count());
    check_metric(&csr, &cch, &w);
}

/// The hand-made graph (arc index: tail -> head, weight):
///
/// ```text
///   0 --a0:4--> 1 --a1:1--> 2        a7: 0 -> 1, 7 (parallel, worse)
///   |           ^           |        a8: 5 -> 0, 3 (one way back)
///  a2:1       a4:3        a5:5       a9: 2 -> 2, 0 (loop)
///   v           |           v        node 6: isolated
///   3 --a3:1--> 4 --a6:9--> 5
/// ```
///
/// 0 -> 1: a0 = 4 (0-3-4-1 is 5). 0 -> 2: a0 a1 = 5. 0 -> 5: a0 a1 a5 = 10 (0-3-4-5 is 11).
/// 5 -> 4: a8 a2 a3 = 5. 2 -> 0: a5 a8 = 8. 1 -> 3: a1 a5 a8 a2 = 10. 0 -> 6: none.
/// Closing a0: 0 -> 1 becomes a2 a3 a4 = 5 (a7 is 7) and 0 -> 2 becomes 6.
#[test]
fn hand_made_graph() {
    let tail = [0, 1, 0, 3, 4, 2, 4, 0, 5, 2];
    let head = [1, 2, 3, 4, 1, 5, 5, 1, 0, 2];
    let mut weight = vec![4, 1, 1, 1, 3, 5, 9, 7, 3, 0];
    let order = NodeOrder::nested_dissection(7, &tail, &head, None).unwrap();
    let cch = Cch::new(7, &tail, &head, &order).unwrap();
    let metric = cch.customize(&weight).unwrap();
    let mut q = CchQuery::new(&cch);
    let expect = |q: &mut CchQuery, m: &Metric, s, t, d, p: &[u32]| {
        assert_eq!(
            q.path(m, s, t).unwrap(),
            Some((d, p.to_vec())),
            "{s} -> {t}"
        );
    };
    expect(&mut q, &metric, 0, 1, 4, &[0]);
    expect(&mut q, &metric, 0, 2, 5, &[0, 1]);
    expect(&mut q, &metric, 0, 5, 10, &[0, 1, 5]);
    expect(&mut q, &metric, 5, 4, 5, &[8, 2, 3]);
    expect(&mut q, &metric, 2, 0, 8, &[5, 8]);
    expect(&mut q, &metric, 1, 3, 10, &[1, 5, 8, 2]);
    expect(&mut q, &metric, 3, 3, 0, &[]);
    assert_eq!(q.path(&metric, 0, 6).unwrap(), None);
    weight[0] = u32::MAX;
    let closed = cch.customize(&weight).unwrap();
    expect(&mut q, &closed, 0, 1, 5, &[2, 3, 4]);
    expect(&mut q, &closed, 0, 2, 6, &[2, 3, 4, 1]);
    let mut phast = Phast::new(&cch);
    let from0 = phast.one_to_all(&closed, 0).unwrap();
    assert_eq!(from0, &[0, 5, 6, 1, 2, 11, UNREACHABLE]);
    let m = many_to_many(&cch, &closed, &[0, 5], &[4, 6]).unwrap();
    assert_eq!(m, vec![2, UNREACHABLE, 5, UNREACHABLE]);
}

#[test]
fn metric_of_another_hierarchy_is_rejected() {
    let tail = [0, 1, 2];
    let head = [1, 2, 0];
    let order = NodeOrder::nested_dissection(3, &tail, &head, None).unwrap();
    let a = Cch::new(3, &tail, &head, &order).unwrap();
    let b = Cch::new(3, &tail, &head, &order).unwrap();
    let foreign = b.customize(&[1, 1, 1]).unwrap();
    let want = CchError::ForeignMetric {
        metric_cch: b.id(),
        cch: a.id(),
    };
    assert_eq!(
        CchQuery::new(&a).distance(&foreign, 0, 1),
        Err(want.clone())
    );
    assert_eq!(CchQuery::new(&a).path(&foreign, 0, 1), Err(want.clone()));
    assert_eq!(
        Phast::new(&a).one_to_all(&foreign, 0).map(|d| d.to_vec()),
        Err(want.clone())
    );
    assert_eq!(many_to_many(&a, &foreign, &[0], &[1]), Err(want));
    assert!(matches!(a.customize(&[1, 1]), Err(CchError::Length { .. })));
    let own = a.customize(&[1, 1, 1]).unwrap();
    assert!(matches!(
        CchQuery::new(&a).distance(&own, 0, 3),
        Err(CchError::Node { node: 3, .. })
    ));
}

/// Shortcut weights saturate at infinity instead of wrapping: with 1 eliminated first, the
/// shortcut 0 -> 2 would weigh 2 x (2^32 - 2), beyond u32, so it is closed, never small.
#[test]
fn shortcut_sums_saturate() {
    let order = NodeOrder::from_nodes(vec![1, 0, 2]).unwrap();
    let cch = Cch::new(3, &[0, 1], &[1, 2], &order).unwrap();
    let metric = cch.customize(&[u32::MAX - 1, u32::MAX - 1]).unwrap();
    let mut q = CchQuery::new(&cch);
    assert_eq!(
        q.distance(&metric, 0, 1).unwrap(),
        Some(u64::from(u32::MAX - 1))
    );
    assert_eq!(q.distance(&metric, 0, 2).unwrap(), None);
}
