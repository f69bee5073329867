//! Which country a point lies in, for every node an import reads: the grids over the
//! shipped Natural Earth polygons against testing the polygons alone, on 20,000 points
//! spread over Mongolia, Kazakhstan and their neighbours (fixed pseudo-random sequence).

use criterion::{Criterion, criterion_group, criterion_main};
use geo::Point;
use steppe::network::geography::Geography;

fn points() -> Vec<Point<f64>> {
    let mut state: u64 = 3;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    // West, south, east, north of the corridor region.
    let (w, s, e, n) = (50.0, 35.0, 125.0, 56.0);
    (0..20_000)
        .map(|_| Point::new(w + next() * (e - w), s + next() * (n - s)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let geo = Geography::embedded().expect("shipped polygons");
    let pts = points();
    let found = pts.iter().filter(|p| geo.country_at(**p).is_some()).count();
    assert!(found > 10_000, "{found}");
    let mut g = c.benchmark_group("country of 20,000 points");
    g.bench_function("grid", |b| {
        b.iter(|| pts.iter().filter_map(|p| geo.country_at(*p)).count())
    });
    g.bench_function("polygons alone", |b| {
        b.iter(|| pts.iter().filter_map(|p| geo.country_at_exact(*p)).count())
    });
    g.finish();
    c.bench_function("build the grids (load the shipped polygons)", |b| {
        b.iter(|| Geography::embedded().expect("loads"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
