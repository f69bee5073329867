"""A tour of steppe from Python, cell by cell (run it as a script, or paste the cells into a
notebook). Uses the embedded Mongolia-Kazakhstan network; pandas makes the tables nicer."""

# %% Load the network and its routing engine once.
import steppe

net = steppe.Network.load()
print(net)
places = net.places()
print(f"{len(places)} places, {len(net.links())} links")

# %% One route: totals, legs and who gets paid.
r = net.route("Ulaanbaatar", "Almaty")
print(r)
print("totals:", r.totals)
print("by country:", r.by_country)
for leg in r.legs[:5]:
    print(f"  {leg['from']:>22} -> {leg['to']:<22} {leg['km']:>7} km {leg['mode']}")

# %% The same request as the command line, and its options as keywords.
fast = net.route("Ulaanbaatar", "Almaty", minimize="time", modes="rail", avoid_country="RU")
print("rail avoiding Russia:", fast.totals)

# %% Really different alternatives.
alts = net.route("Ulaanbaatar", "Almaty", alternatives=3)
for i, a in enumerate(alts.alternatives, 1):
    print(f"route {i}: {a.totals['km']} km, {a.totals['hours']} h, via {', '.join(a.border_crossings)}")

# %% When there is no way, the reason and hints come as an exception.
try:
    net.route("Ulaanbaatar", "Almaty", avoid_country=["RU", "CN"])
except steppe.NoRouteError as e:
    print("no route:", e.args[0].splitlines()[0])

# %% A matrix in long form (a DataFrame with pandas).
m = net.matrix(["Ulaanbaatar", "Olgii", "Khovd"], ["Almaty", "Astana", "Oskemen"], minimize="time")
print(m[["origin", "destination", "km", "hours", "usd", "crossings"]] if hasattr(m, "columns") else m)

# %% A scenario against the baseline: the Khorgos crossing (Kazakhstan-China) closed.
s = net.scenario({
    "name": "Khorgos closed",
    "edits": [{"op": "close", "id": "bcp_khorgos"}],
})
print(s.compare())

# %% Proposals: new links worth building over the network's demand.
p = net.propose(top=5)
for c in p["ranking"][:5]:
    print(f"  {c['id']}: benefit USD {c.get('benefit_usd_per_year')}/yr, B/C {c.get('benefit_cost_ratio')}")
