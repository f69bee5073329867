"""steppe serve driven by routingpy's OSRM client, checked against `steppe route`.

OSRM profiles map to steppe's modes (driving = road, rail = rail, freight = road and rail)
and OSRM services minimise time, so each answer must equal
`steppe route FROM TO --modes M --minimize time --format json`: duration = hours x 3600,
distance = km x 1000 (within the CLI's rounding: 0.01 h, 0.1 km).
"""

import json
import subprocess
import sys

import routingpy

BIN = sys.argv[1]
MODES = {"driving": "road", "rail": "rail", "freight": "road,rail"}
failures = []
passed = 0


def check(what, ok, detail=""):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(f"{what}: {detail}")
        print(f"FAIL {what}: {detail}")


def cli_route(a, b, profile):
    out = subprocess.run(
        [BIN, "route", a, b, "--modes", MODES[profile], "--minimize", "time", "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    v = json.loads(out.stdout)
    return v["routes"][0]["totals"] if v["routes"] else None


server = subprocess.Popen([BIN, "serve", "--bind", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
try:
    line = server.stdout.readline()
    base = line.split("http://")[1].strip().rstrip("/")
    base_url = f"http://{base}"
    places = json.loads(subprocess.run([BIN, "places", "--format", "json"], capture_output=True,
                                       text=True, check=True).stdout)["places"]
    at = {p["id"]: [p["lon"], p["lat"]] for p in places}
    client = routingpy.OSRM(base_url=base_url)

    for a, b, profile in [("mn_ulaanbaatar", "kz_almaty", "driving"), ("mn_olgii", "kz_oskemen", "driving"),
                          ("mn_ulaanbaatar", "kz_almaty", "rail"), ("mn_khovd", "kz_astana", "freight"),
                          ("mn_zamyn_uud", "kz_almaty", "freight")]:
        what = f"route {a} -> {b} ({profile})"
        totals = cli_route(a, b, profile)
        if totals is None:
            check(what, False, "the CLI finds no route")
            continue
        d = client.directions(locations=[at[a], at[b]], profile=profile, overview="full")
        check(what + " duration", abs(d.duration - totals["hours"] * 3600) <= 20,
              f"{d.duration} s vs {totals['hours']} h")
        check(what + " distance", abs(d.distance - totals["km"] * 1000) <= 51,
              f"{d.distance} m vs {totals['km']} km")
        start, end = d.geometry[0], d.geometry[-1]
        check(what + " geometry ends", abs(start[0] - at[a][0]) < 0.05 and abs(end[1] - at[b][1]) < 0.05,
              f"{start} .. {end}")
        g6 = client.directions(locations=[at[a], at[b]], profile=profile, overview="full",
                               geometries="polyline6")
        gj = client.directions(locations=[at[a], at[b]], profile=profile, overview="full",
                               geometries="geojson")
        close = len(g6.geometry) == len(gj.geometry) and all(
            abs(p[0] - q[0]) < 2e-6 and abs(p[1] - q[1]) < 2e-6 for p, q in zip(g6.geometry, gj.geometry))
        check(what + " polyline6 = geojson", close, f"{len(g6.geometry)} vs {len(gj.geometry)} points")

    alts = client.directions(locations=[at["mn_ulaanbaatar"], at["kz_almaty"]], profile="freight",
                             alternatives=True)
    check("alternatives", 1 <= len(alts) <= 3 and alts[0].duration <= alts[-1].duration,
          f"{len(alts)} routes")

    names = ["mn_ulaanbaatar", "mn_khovd", "kz_almaty", "kz_astana"]
    m = client.matrix(locations=[at[n] for n in names], profile="driving",
                      annotations=["duration", "distance"])
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            what = f"table {a} -> {b}"
            if i == j:
                check(what, m.durations[i][j] == 0, str(m.durations[i][j]))
                continue
            totals = cli_route(a, b, "driving")
            check(what + " duration", abs(m.durations[i][j] - totals["hours"] * 3600) <= 20,
                  f"{m.durations[i][j]} s vs {totals['hours']} h")
            check(what + " distance", abs(m.distances[i][j] - totals["km"] * 1000) <= 51,
                  f"{m.distances[i][j]} m vs {totals['km']} km")

    sub = client.matrix(locations=[at[n] for n in names], profile="driving", sources=[0],
                        destinations=[2, 3])
    check("table sources/destinations", len(sub.durations) == 1 and len(sub.durations[0]) == 2
          and sub.durations[0][0] == m.durations[0][2], str(sub.durations))

    try:
        client.directions(locations=[at["mn_ulaanbaatar"], at["kz_almaty"]], profile="bicycle")
        check("unknown profile is an error", False, "no error raised")
    except routingpy.exceptions.RouterApiError as e:
        check("unknown profile is an error", e.status == 400 and "profile" in str(e.message), str(e))
finally:
    server.terminate()
    server.wait(timeout=10)

print(f"osrm client test: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
