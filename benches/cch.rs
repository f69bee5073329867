//! Customizable contraction hierarchies against their peers, in the same run: ordering and
//! contraction vs fast_paths' preparation, customization (2 threads), point-to-point queries
//! vs fast_paths, PHAST vs petgraph's Dijkstra (DiGraph and Csr), and bucket many-to-many
//! (1000 x 1000) on 1 and 2 threads. Graphs: Bremen (or a synthetic grid) and, when present,
//! the PACE 2016 New York topology with deterministic synthetic weights.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::Directed;

use steppe::graph::gr::WeightedGraph;
use steppe::search::cch::{Cch, CchQuery, Metric, NodeOrder, Phast, many_to_many};

use common::{big_graph, petgraph_of, print_ratio, shared_data, time_it};

/// PACE 2016 New York (`p tw n m`, then `u v` per line, 1-based, undirected), decompressed
/// by the `xz` binary, both directions per edge, weight a hash of the endpoints in 1..=1000.
fn new_york() -> Option<(String, WeightedGraph)> {
    let path = shared_data()?.join("pace16-NY.gr.xz");
    let out = std::process::Command::new("xz")
        .arg("-dc")
        .arg(&path)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let mut n = 0usize;
    let mut arcs = Vec::new();
    for line in text.lines() {
        let mut parts = line.split_whitespace();
        match parts.next() {
            Some("p") => n = parts.nth(1)?.parse().ok()?,
            Some("c") | None => {}
            Some(u) => {
                let u: u32 = u.parse().ok()?;
                let v: u32 = parts.next()?.parse().ok()?;
                let (a, b) = (u.min(v) - 1, u.max(v) - 1);
                let mut h = (u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                h ^= h >> 29;
                let w = (h % 1000) as u32 + 1;
                arcs.push((a, b, w));
                arcs.push((b, a, w));
            }
        }
    }
    (n > 0).then(|| {
        let g = WeightedGraph::from_arcs(n, arcs);
        (
            format!("pace16-NY ({n} nodes)"),
            g.reordered_for_locality().0,
        )
    })
}

/// Deterministic pseudo-random nodes.
fn sample_nodes(n: usize, count: usize, seed: u64) -> Vec<u32> {
    let mut s = seed | 1;
    (0..count)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % n as u64) as u32
        })
        .collect()
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool can be built")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn bench_graph(c: &mut Criterion, name: &str, g: &WeightedGraph) {
    let n = g.csr.node_count();
    println!("== {name}: {n} nodes, {} arcs", g.csr.arc_count());

    // Preprocessing: order + contraction vs fast_paths' preparation.
    let start = Instant::now();
    let order = NodeOrder::nested_dissection(n, &g.csr.tail, &g.csr.head, None).expect("order");
    let order_time = start.elapsed();
    let start = Instant::now();
    let cch = Cch::from_csr(&g.csr, &order).expect("hierarchy");
    let contract_time = start.elapsed();
    let mut input = fast_paths::InputGraph::new();
    for &(t, h, w) in &g.arcs {
        input.add_edge(t as usize, h as usize, w as usize);
    }
    input.freeze();
    let start = Instant::now();
    let fast = fast_paths::prepare(&input);
    let fast_time = start.elapsed();
    println!(
        "CCH {name}: order {:.0} ms + contraction {:.0} ms = {:.0} ms; fast_paths prepare {:.0} ms",
        ms(order_time),
        ms(contract_time),
        ms(order_time + contract_time),
        ms(fast_time)
    );
    print_ratio(
        &format!("preprocessing/{name} (target >= 1)"),
        order_time + contract_time,
        fast_time,
    );
    println!(
        "CCH {name}: {} edges, {} shortcuts, {} levels, {:.1} B per edge touched by queries \
         (target <= 16), {:.2} edges per input arc",
        cch.edge_count(),
        cch.shortcut_count(),
        cch.level_count(),
        cch.query_bytes_per_edge(),
        cch.edge_count() as f64 / g.csr.arc_count() as f64,
    );

    // Customization.
    let mut metric = Metric::new_sequential(&cch, &g.weight).expect("metric");
    for threads in [1, 2] {
        let p = pool(threads);
        let t = time_it(Duration::from_secs(2), || {
            metric = p.install(|| cch.customize(&g.weight).expect("metric"));
        });
        println!(
            "CCH {name}: customization on {threads} thread(s) {:.1} ms (target <= 50 ms on 2)",
            ms(t)
        );
    }

    // Point to point.
    let sources = sample_nodes(n, 1000, 7);
    let targets = sample_nodes(n, 1000, 11);
    let mut query = CchQuery::new(&cch);
    let mut calc = fast_paths::create_calculator(&fast);
    for k in 0..20 {
        let (s, t) = (sources[k], targets[k]);
        let ours = query.distance(&metric, s, t).expect("query");
        let theirs = calc
            .calc_path(&fast, s as usize, t as usize)
            .map(|p| p.get_weight() as u64);
        assert_eq!(ours, theirs, "{s} -> {t}");
    }
    let mut k = 0usize;
    let mut group = c.benchmark_group(format!("cch_query/{name}"));
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("cch_path", |b| {
        b.iter(|| {
            k = (k + 1) % sources.len();
            black_box(query.path(&metric, sources[k], targets[k]).expect("query"))
        })
    });
    group.bench_function("fast_paths", |b| {
        b.iter(|| {
            k = (k + 1) % sources.len();
            black_box(calc.calc_path(&fast, sources[k] as usize, targets[k] as usize))
        })
    });
    group.finish();
    let ours_dist = time_it(Duration::from_secs(1), || {
        k = (k + 1) % sources.len();
        black_box(
            query
                .distance(&metric, sources[k], targets[k])
                .expect("query"),
        );
    });
    let ours_path = time_it(Duration::from_secs(1), || {
        k = (k + 1) % sources.len();
        black_box(query.path(&metric, sources[k], targets[k]).expect("query"));
    });
    let peer = time_it(Duration::from_secs(1), || {
        k = (k + 1) % sources.len();
        black_box(calc.calc_path(&fast, sources[k] as usize, targets[k] as usize));
    });
    print_ratio(
        &format!("query distance/{name} (target >= 2)"),
        ours_dist,
        peer,
    );
    print_ratio(&format!("query path/{name} (target >= 2)"), ours_path, peer);

    // One-to-all: PHAST vs petgraph's Dijkstra.
    let (pg, pg_nodes) = petgraph_of(n, &g.arcs);
    let mut sorted: Vec<(u32, u32, u64)> = g
        .arcs
        .iter()
        .map(|&(t, h, w)| (t, h, u64::from(w)))
        .collect();
    sorted.sort_unstable();
    sorted.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    let pcsr: petgraph::csr::Csr<(), u64, Directed, u32> =
        petgraph::csr::Csr::from_sorted_edges(&sorted).expect("sorted edges");
    let mut phast = Phast::new(&cch);
    let ours = time_it(Duration::from_secs(2), || {
        k = (k + 1) % sources.len();
        black_box(phast.one_to_all(&metric, sources[k]).expect("phast")[0]);
    });
    let peer = time_it(Duration::from_secs(2), || {
        k = (k + 1) % sources.len();
        black_box(
            petgraph::algo::dijkstra(&pg, pg_nodes[sources[k] as usize], None, |e| *e.weight())
                .len(),
        );
    });
    print_ratio(
        &format!("PHAST vs petgraph DiGraph/{name} (target >= 4)"),
        ours,
        peer,
    );
    let peer = time_it(Duration::from_secs(2), || {
        k = (k + 1) % sources.len();
        black_box(petgraph::algo::dijkstra(&pcsr, sources[k], None, |e| *e.weight()).len());
    });
    print_ratio(
        &format!("PHAST vs petgraph Csr/{name} (target >= 4)"),
        ours,
        peer,
    );

    // Many-to-many 1000 x 1000.
    for threads in [1, 2] {
        let p = pool(threads);
        let t = time_it(Duration::from_secs(2), || {
            black_box(
                p.install(|| many_to_many(&cch, &metric, &sources, &targets))
                    .expect("matrix"),
            );
        });
        println!(
            "CCH {name}: many-to-many 1000x1000 on {threads} thread(s) {:.1} ms = {:.0} ns per \
             cell (target <= 300 on 2)",
            ms(t),
            t.as_secs_f64() * 1e9 / 1e6
        );
    }
}

fn cch(c: &mut Criterion) {
    let (name, g) = big_graph();
    bench_graph(c, &name, &g);
    if let Some((name, g)) = new_york() {
        bench_graph(c, &name, &g);
    }
}

criterion_group!(benches, cch);
criterion_main!(benches);
