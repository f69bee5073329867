//! Loading an imported OpenStreetMap network (Andorra, ../shared/data/gh-andorra.osm.pbf):
//! from `network.geojson` (parse and validate) against the binary copy `network.bin`
//! (hash check and decode), in the same run; prints the ratio. Skipped when the extract is
//! not there.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use steppe::import::osm::{ImportOptions, import};
use steppe::network::load_dir;

fn bench(c: &mut Criterion) {
    let pbf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/gh-andorra.osm.pbf");
    if !pbf.is_file() {
        eprintln!("skipped: {} not found", pbf.display());
        return;
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let cached = tmp.path().join("cached");
    let plain = tmp.path().join("plain");
    import(&ImportOptions {
        input: pbf,
        output: cached.clone(),
        bbox: None,
        boundaries: None,
        road: true,
        rail: true,
        vehicle: steppe::import::osm::Vehicle::Truck,
        progress: false,
    })
    .expect("Andorra imports");
    std::fs::create_dir_all(&plain).expect("a folder");
    for f in ["network.geojson", "params.json"] {
        std::fs::copy(cached.join(f), plain.join(f)).expect("copies");
    }

    let mut g = c.benchmark_group("load imported Andorra");
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("network.geojson", |b| {
        b.iter_with_large_drop(|| load_dir(&plain).expect("loads"))
    });
    g.bench_function("network.bin", |b| {
        b.iter_with_large_drop(|| load_dir(&cached).expect("loads"))
    });
    g.finish();

    // The ratio in one line, from 21 loads of each, interleaved.
    let (mut geo, mut bin) = (Vec::new(), Vec::new());
    for _ in 0..21 {
        // Time the load, not the drop of the network.
        let t = Instant::now();
        let n = std::hint::black_box(load_dir(&plain).expect("loads"));
        geo.push(t.elapsed().as_secs_f64());
        drop(n);
        let t = Instant::now();
        let n = std::hint::black_box(load_dir(&cached).expect("loads"));
        bin.push(t.elapsed().as_secs_f64());
        drop(n);
    }
    geo.sort_by(f64::total_cmp);
    bin.sort_by(f64::total_cmp);
    println!(
        "median load: GeoJSON {:.1} ms, binary {:.2} ms: {:.1}x faster",
        geo[10] * 1e3,
        bin[10] * 1e3,
        geo[10] / bin[10]
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
