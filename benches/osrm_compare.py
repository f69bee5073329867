#!/usr/bin/env python3
"""steppe's road lengths against OSRM's on the same OpenStreetMap extract.

Runs osrm-extract and osrm-contract (the car profile, switched to weight_name = 'distance' so
both sides look for the shortest route) on the extract, imports it with
`steppe import osm --modes road --vehicle car`, picks random pairs of imported road places (OSM nodes), and
compares `steppe route A B --modes road --minimize distance` (the sum of the route's links'
length_km) with OSRM's route distance between the same two nodes.

Usage (OSRM binaries from the osrm-bindings wheel, see ../shared/peers.md):
    python3 benches/osrm_compare.py --osrm /tmp/osrm/osrmw/osrm \
        --pbf ../shared/data/osrm-monaco.osm.pbf --steppe target/release/steppe --pairs 500

Standard library only. Prints the share of pairs within 1 % and the pairs that are not,
sorted by the size of the gap.
"""

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


# OSRM stores coordinates to 1e-6 degrees (about 0.1 m): a node of its graph snaps onto
# itself within this. Farther, OSRM has snapped onto another way passing close by (two
# roads crossing without a shared node), and the two routers would not route between the
# same points.
SNAP_M = 0.2


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--osrm", required=True, help="folder with bin/ and share/profiles/")
    ap.add_argument("--pbf", default="../shared/data/osrm-monaco.osm.pbf")
    ap.add_argument("--steppe", default="target/release/steppe")
    ap.add_argument("--pairs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--port", type=int, default=5391)
    ap.add_argument("--vehicle", default="car", choices=["car", "truck"],
                    help="steppe's import rules: car (as OSRM's car profile, the default) or "
                         "truck (steppe's default: tracks kept, hgv access)")
    ap.add_argument("--osrm-without-turn-restrictions", action="store_true",
                    help="switch OSRM's turn restrictions off (to count the pairs they explain)")
    ap.add_argument("--show", type=int, default=15, help="pairs outside 1 %% to list")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="osrm-compare-")
    profiles = os.path.join(work, "profiles")
    shutil.copytree(os.path.join(args.osrm, "share", "profiles"), profiles)
    car = open(os.path.join(profiles, "car.lua")).read()
    car = car.replace("weight_name                     = 'routability'",
                      "weight_name                     = 'distance'")
    if args.osrm_without_turn_restrictions:
        car = car.replace("use_turn_restrictions          = true",
                          "use_turn_restrictions          = false")
    profile = os.path.join(profiles, "car_distance.lua")
    open(profile, "w").write(car)
    pbf = os.path.join(work, "extract.osm.pbf")
    shutil.copy(args.pbf, pbf)
    b = os.path.join(args.osrm, "bin")
    t = time.time()
    run([os.path.join(b, "osrm-extract"), "-p", profile, "-t", "2", pbf])
    run([os.path.join(b, "osrm-contract"), "-t", "2", os.path.join(work, "extract.osrm")])
    print(f"OSRM extract + contract: {time.time() - t:.2f} s")

    net = os.path.join(work, "net")
    t = time.time()
    imp = [args.steppe, "import", "osm", args.pbf, "-o", net, "--modes", "road",
           "--vehicle", args.vehicle]
    run(imp)
    print(f"steppe import: {time.time() - t:.2f} s")
    fc = json.load(open(os.path.join(net, "network.geojson")))
    places, length = {}, {}
    for f in fc["features"]:
        p = f["properties"]
        if f["geometry"]["type"] == "Point":
            places[p["id"]] = f["geometry"]["coordinates"]
        else:
            length[p["id"]] = p["length_km"]
    with socket.socket() as probe:  # another OSRM on the port would answer for ours
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"port {args.port} is in use; choose another with --port")
    server = subprocess.Popen(
        [os.path.join(b, "osrm-routed"), "--algorithm", "ch", "--ip", "127.0.0.1",
         "--port", str(args.port), "-t", "2", os.path.join(work, "extract.osrm")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):  # ready when it answers
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/nearest/v1/driving/0,0")
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        # Pairs of places that are OSM nodes on OSRM's car graph too (OSRM snaps onto them).
        ids = []
        for i in sorted(i for i in places if i.startswith("osm_n")):
            lon, lat = places[i]
            url = f"http://127.0.0.1:{args.port}/nearest/v1/driving/{lon},{lat}"
            try:
                w = json.load(urllib.request.urlopen(url))["waypoints"][0]
                if w["distance"] <= SNAP_M:
                    ids.append(i)
            except (OSError, KeyError, IndexError, ValueError):
                pass
        print(f"steppe road places: {sum(1 for i in places if i.startswith('osm_n'))}; "
              f"on OSRM's car graph: {len(ids)}")
        rng = random.Random(args.seed)
        rows = []
        moved = 0  # pairs where OSRM routes from another point (a node off its main component)
        while len(rows) < args.pairs and moved < 20 * args.pairs:
            a, b2 = rng.sample(ids, 2)
            (lon1, lat1), (lon2, lat2) = places[a], places[b2]
            url = (f"http://127.0.0.1:{args.port}/route/v1/driving/"
                   f"{lon1},{lat1};{lon2},{lat2}?overview=false")
            try:
                o = json.load(urllib.request.urlopen(url))
            except Exception as e:  # OSRM answers 400 for NoRoute
                o = {"code": str(e)}
            osrm_km = o["routes"][0]["distance"] / 1000 if o.get("code") == "Ok" else None
            snap_m = max((w["distance"] for w in o.get("waypoints", [])), default=0.0)
            if snap_m > SNAP_M:
                moved += 1
                continue
            r = subprocess.run(
                [args.steppe, "--network", net, "route", a, b2, "--modes", "road",
                 "--minimize", "distance", "--format", "json"],
                capture_output=True, text=True)
            steppe_km = None
            if r.returncode == 0:
                routes = json.loads(r.stdout).get("routes") or []
                if routes:
                    steppe_km = sum(length[s["link"]] for s in routes[0]["steps"]
                                    if s.get("type") == "link")
            rows.append((a, b2, steppe_km, osrm_km, snap_m))
        print(f"pairs skipped because OSRM snapped an end more than {SNAP_M} m away: {moved}")
    finally:
        server.terminate()
        server.wait()

    both = [r for r in rows if r[2] is not None and r[3] is not None]
    within = [r for r in both if abs(r[2] - r[3]) <= 0.01 * max(r[3], 1e-9)]
    only_osrm = [r for r in rows if r[2] is None and r[3] is not None]
    only_steppe = [r for r in rows if r[2] is not None and r[3] is None]
    neither = [r for r in rows if r[2] is None and r[3] is None]
    shorter = [r for r in both if r[2] < r[3] * 0.99]
    longer = [r for r in both if r[2] > r[3] * 1.01]
    n = len(rows)
    print(f"pairs: {n}; both routed: {len(both)}; within 1 %: {len(within)} "
          f"({100 * len(within) / n:.1f} % of all pairs, {100 * len(within) / max(len(both), 1):.1f} % of pairs both route)")
    print(f"steppe > 1 % shorter: {len(shorter)}; > 1 % longer: {len(longer)}; "
          f"route only in OSRM: {len(only_osrm)}; only in steppe: {len(only_steppe)}; neither: {len(neither)}")
    gaps = sorted(both, key=lambda r: -abs(r[2] - r[3]) / max(r[3], 1e-9))
    for a, b2, s, o, snap in [g for g in gaps if g not in within][: args.show]:
        print(f"  {a} -> {b2}: steppe {s:.3f} km, OSRM {o:.3f} km ({100 * (s - o) / o:+.1f} %), OSRM snap {snap:.1f} m")
    for a, b2, s, o, snap in only_osrm[: args.show]:
        print(f"  {a} -> {b2}: no steppe route, OSRM {o:.3f} km")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
