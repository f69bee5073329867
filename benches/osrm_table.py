#!/usr/bin/env python3
"""OSRM's in-process CH table on the points of `benches/osm_matrix.rs`, the peer of steppe's
1000 x 1000 matrix on imported Monaco.

Run `cargo bench --bench osm_matrix` first (it writes target/osm-matrix-points.json), then,
with the `osrm-bindings` wheel in a Python 3.12 venv (see ../shared/peers.md):
    osrm-venv/bin/python benches/osrm_table.py --osrm /tmp/osrm/osrmw/osrm \
        --pbf ../shared/data/osrm-monaco.osm.pbf

Prepares the extract with the car profile switched to the distance weight (as
benches/osrm_compare.py does), loads it in process (no HTTP), and times Table with duration
and distance annotations over the same 1000 coordinates: 3 warm-up calls, then the median and
range of 15.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

import osrm


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--osrm", required=True, help="folder with bin/ and share/profiles/")
    ap.add_argument("--pbf", default="../shared/data/osrm-monaco.osm.pbf")
    ap.add_argument("--points", default="target/osm-matrix-points.json")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    points = [tuple(p) for p in json.load(open(args.points))]
    work = tempfile.mkdtemp(prefix="osrm-table-")
    car = open(os.path.join(args.osrm, "share", "profiles", "car.lua")).read()
    car = car.replace("weight_name                     = 'routability'",
                      "weight_name                     = 'distance'")
    shutil.copytree(os.path.join(args.osrm, "share", "profiles", "lib"),
                    os.path.join(work, "lib"))
    profile = os.path.join(work, "car_distance.lua")
    open(profile, "w").write(car)
    pbf = os.path.join(work, "extract.osm.pbf")
    shutil.copy(args.pbf, pbf)
    b = os.path.join(args.osrm, "bin")
    for cmd in ([os.path.join(b, "osrm-extract"), "-p", profile, "-t", "2", pbf],
                [os.path.join(b, "osrm-contract"), "-t", "2", os.path.join(work, "extract.osrm")]):
        subprocess.run(cmd, check=True, capture_output=True)
    engine = osrm.OSRM(storage_config=os.path.join(work, "extract.osrm"),
                       use_shared_memory=False, algorithm="CH",
                       max_locations_distance_table=len(points))
    params = osrm.TableParameters(coordinates=points, annotations=["duration", "distance"])
    for _ in range(3):
        engine.Table(params)
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        r = engine.Table(params)
        times.append(time.perf_counter() - t)
    cells = sum(1 for row in r["distances"] for d in row if d is not None)
    print(f"OSRM CH table {len(points)}x{len(points)} in process: median "
          f"{1000 * statistics.median(times):.0f} ms (range {1000 * min(times):.0f}-"
          f"{1000 * max(times):.0f} ms, {args.runs} runs); {cells} cells with a distance")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
