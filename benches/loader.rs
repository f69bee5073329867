//! Loading and validating a large network: a generated grid of about 1 M links (about
//! 100 MB of GeoJSON). The loader must stay linear in the file's size (line numbers come from
//! one index, features are parsed from their own slices in parallel).

use criterion::{Criterion, criterion_group, criterion_main};

/// A grid network of `n` x `n` places and about 2 n^2 road links, as compact GeoJSON.
fn grid_network(n: usize) -> String {
    let mut s = String::with_capacity(n * n * 220);
    s.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut first = true;
    let mut push = |s: &mut String, f: String| {
        if !first {
            s.push_str(",\n");
        }
        first = false;
        s.push_str(&f);
    };
    for i in 0..n {
        for j in 0..n {
            push(
                &mut s,
                format!(
                    "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{:.4},{:.4}]}},\"properties\":{{\"id\":\"p{i}_{j}\",\"name\":\"P{i} {j}\",\"country\":\"KZ\",\"kind\":\"town\",\"source\":\"g\"}}}}",
                    60.0 + i as f64 * 0.01,
                    40.0 + j as f64 * 0.01
                ),
            );
        }
    }
    for i in 0..n {
        for j in 0..n {
            for (di, dj) in [(1, 0), (0, 1)] {
                let (a, b) = (i + di, j + dj);
                if a < n && b < n {
                    push(
                        &mut s,
                        format!(
                            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[{:.4},{:.4}],[{:.4},{:.4}]]}},\"properties\":{{\"id\":\"l{i}_{j}_{di}\",\"from\":\"p{i}_{j}\",\"to\":\"p{a}_{b}\",\"mode\":\"road\",\"class\":\"paved\",\"length_km\":1.2,\"source\":\"g\"}}}}",
                            60.0 + i as f64 * 0.01,
                            40.0 + j as f64 * 0.01,
                            60.0 + a as f64 * 0.01,
                            40.0 + b as f64 * 0.01
                        ),
                    );
                }
            }
        }
    }
    s.push_str("\n]}\n");
    s
}

/// Grid side: 400 x 400 places, 319,200 links, about 100 MB.
const N: usize = 400;

fn loader(c: &mut Criterion) {
    let params = include_str!("../networks/mn-kz/params.json");
    let text = grid_network(N);
    let links = 2 * N * (N - 1);
    println!(
        "generated network: {:.0} MB, {} places, {} links",
        text.len() as f64 / 1e6,
        N * N,
        links
    );
    let mut group = c.benchmark_group("loader");
    group.sample_size(10);
    group.bench_function("load_and_validate_100MB", |b| {
        b.iter(|| {
            let n = match steppe::network::load::load_from_text(
                "g",
                &text,
                "g.geojson",
                params,
                "p.json",
            ) {
                Ok(n) => n,
                Err(e) => panic!(
                    "the generated network is invalid: {}",
                    e.to_string().lines().next().unwrap_or("")
                ),
            };
            assert_eq!(n.link_count(), links);
        })
    });
    group.finish();
}

criterion_group!(benches, loader);
criterion_main!(benches);
