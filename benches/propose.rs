//! Candidate evaluation throughput (candidate x O-D evaluations per second) on the embedded
//! network with generated candidates and on a 40k-node road graph with 20,000 random
//! candidate links and 1,000 O-D pairs, at 1 and 2 threads; and a whole `propose` run
//! (generation, evaluation, a programme) on the embedded network. Peer: evaluating the same
//! candidates by re-routing (one search per origin per candidate), on a sample.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

use steppe::analysis::demand::network_demand;
use steppe::analysis::propose::{
    Budget, OdDistances, ProposeOptions, evaluate_all, generate, greedy_programme, link_savings,
    network_projects,
};
use steppe::cost::profile::Profile;
use steppe::graph::SearchGraph;
use steppe::graph::csr::NodeIx;
use steppe::network::load_embedded;
use steppe::search::dijkstra::{Direction, SearchSpace};
use steppe::search::mask::AllNodes;

use common::big_graph;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool")
}

fn throughput(d: &OdDistances, cands: &[(u32, u32, u64)]) -> u64 {
    cands
        .par_iter()
        .map_init(
            || vec![0u64; d.flows],
            |buf, &(a, b, w)| {
                link_savings(d, NodeIx(a), NodeIx(b), w, w, buf);
                buf.iter().sum::<u64>()
            },
        )
        .sum()
}

fn proposals(c: &mut Criterion) {
    // Embedded network: the whole command.
    let network = load_embedded().expect("embedded");
    let demand = network_demand(&network).expect("demand");
    let profile = Profile::new(network.params.clone());
    let options = ProposeOptions::default();
    let whole = || {
        let graph = SearchGraph::build(&network);
        let mut candidates = network_projects(&network, &options);
        candidates.extend(generate(&network, &graph, &profile, &options).unwrap());
        let all: Vec<usize> = (0..candidates.len()).collect();
        let evals = evaluate_all(&network, &profile, &demand, &candidates, &all, &options)
            .expect("evaluates");
        let picks = greedy_programme(
            &network,
            &profile,
            &demand,
            &candidates,
            Budget {
                usd: 2.0e9,
                min_bcr: 0.0,
            },
            &options,
            |_| {},
        )
        .expect("programme");
        black_box((evals.len(), picks.len()))
    };
    let mut group = c.benchmark_group("propose/embedded");
    group.sample_size(10);
    group.bench_function("generate + evaluate + programme (2e9 USD)", |b| {
        b.iter(whole)
    });
    group.finish();
    let t = Instant::now();
    whole();
    println!(
        "PROPOSE embedded whole run: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    // Large graph: 1,000 O-D pairs, 20,000 random candidate links.
    let (name, g) = big_graph();
    let n = g.csr.node_count();
    let flows = 1000usize;
    let pick = |k: usize, salt: usize| (k.wrapping_mul(2_654_435_761).wrapping_add(salt)) % n;
    let mut fwd = vec![u64::MAX / 4; n * flows];
    let mut bwd = vec![u64::MAX / 4; n * flows];
    let mut old = vec![u64::MAX / 4; flows];
    let built = Instant::now();
    let rows: Vec<(Vec<u64>, Vec<u64>)> = (0..flows)
        .into_par_iter()
        .map_init(
            || SearchSpace::new(n),
            |space, i| {
                let (s, t) = (pick(i, 7) as u32, pick(i, 99_991) as u32);
                space.start(Direction::Forward, [(s, 0)]);
                space.run_all(&g.csr, &g.weight, &AllNodes);
                let f: Vec<u64> = (0..n as u32)
                    .map(|v| space.distance(v).unwrap_or(u64::MAX / 4))
                    .collect();
                space.start(Direction::Backward, [(t, 0)]);
                space.run_all(&g.csr, &g.weight, &AllNodes);
                let b: Vec<u64> = (0..n as u32)
                    .map(|v| space.distance(v).unwrap_or(u64::MAX / 4))
                    .collect();
                (f, b)
            },
        )
        .collect();
    for (i, (f, b)) in rows.iter().enumerate() {
        for v in 0..n {
            fwd[v * flows + i] = f[v];
            bwd[v * flows + i] = b[v];
        }
        old[i] = f[pick(i, 99_991)];
    }
    let prep = built.elapsed();
    let d = OdDistances {
        flows,
        fwd,
        bwd,
        old,
        shipments: vec![1.0; flows],
        tonnes: vec![1.0; flows],
    };
    let cands: Vec<(u32, u32, u64)> = (0..20_000)
        .map(|k| {
            (
                pick(k, 3) as u32,
                pick(k, 1_234_567) as u32,
                50_000 + (k as u64 % 100) * 1000,
            )
        })
        .collect();
    let mut group = c.benchmark_group(format!("propose/{name} 20k candidates x 1k O-D"));
    group.sample_size(10);
    for threads in [1, 2] {
        let p = pool(threads);
        group.bench_function(format!("{threads} thread(s)"), |b| {
            b.iter(|| p.install(|| black_box(throughput(&d, &cands))))
        });
    }
    group.finish();
    let evals = (cands.len() * flows) as f64;
    for threads in [1, 2] {
        let p = pool(threads);
        let t = common::time_it(Duration::from_secs(2), || {
            p.install(|| black_box(throughput(&d, &cands)));
        });
        println!(
            "PROPOSE {name}: {threads} thread(s): {:.1} M candidate x O-D evaluations per second ({:.1} ms for {} candidates x {} O-D pairs; distances prepared once in {:.2} s)",
            evals / t.as_secs_f64() / 1e6,
            t.as_secs_f64() * 1e3,
            cands.len(),
            flows,
            prep.as_secs_f64()
        );
    }
    // Peer: the naive way, re-routing every O-D pair with the candidate added (sampled).
    let sample = 5usize;
    let t = Instant::now();
    let mut space = SearchSpace::new(n);
    for &(a, b, w) in cands.iter().take(sample) {
        let mut arcs = g.arcs.clone();
        arcs.push((a, b, w as u32));
        arcs.push((b, a, w as u32));
        let wg = steppe::graph::gr::WeightedGraph::from_arcs(n, arcs);
        for i in 0..flows {
            space.start(Direction::Forward, [(pick(i, 7) as u32, 0)]);
            black_box(space.run_to(&wg.csr, &wg.weight, &AllNodes, pick(i, 99_991) as u32));
        }
    }
    let per_eval = t.elapsed().as_secs_f64() / (sample * flows) as f64;
    println!(
        "PROPOSE {name}: peer (re-route per candidate, 1 thread): {:.4} M evaluations per second",
        1.0 / per_eval / 1e6
    );
}

criterion_group!(benches, proposals);
criterion_main!(benches);
