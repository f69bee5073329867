"""steppe: freight routes over the Mongolia-Kazakhstan corridors, from Python.

The library itself (not the command line), compiled with PyO3::

    import steppe
    net = steppe.Network.load()                 # the embedded mn-kz network
    r = net.route("Ulaanbaatar", "Almaty", minimize="time")
    r.totals, r.by_country, r.to_json()         # to_json() == `steppe route --format json`
    net.matrix(["Ulaanbaatar"], ["Almaty", "Astana"])   # pandas DataFrame, long form
    net.scenario("networks/mn-kz/scenarios/faster-borders.json").compare()

Route options are the CLI's flags as keyword arguments: minimize, modes, commodity,
rail_service, avoid_country, avoid, month, include_under_construction, include_proposed,
tonnes, value_of_time_usd_per_hour, params (a dict of params.json overrides).
Errors raise SteppeError subclasses carrying the CLI's messages.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _steppe
from ._steppe import (
    EngineError,
    InputError,
    NetworkError,
    NoRouteError,
    PlaceError,
    RequestError,
    SteppeError,
)

__version__ = _steppe.__version__
ROUTE_OPTIONS = tuple(_steppe.ROUTE_OPTIONS)

__all__ = [
    "Network",
    "Route",
    "ScenarioResult",
    "Comparison",
    "SteppeError",
    "NetworkError",
    "InputError",
    "RequestError",
    "PlaceError",
    "NoRouteError",
    "EngineError",
    "ROUTE_OPTIONS",
]


def _pandas():
    try:
        import pandas  # noqa: F401

        return pandas
    except ImportError:
        return None


def _table(rows: list, columns: Optional[Sequence[str]] = None):
    """A pandas DataFrame of `rows` when pandas is installed, else the list of dicts."""
    pd = _pandas()
    if pd is None:
        return rows
    return pd.DataFrame(rows, columns=columns) if columns else pd.DataFrame(rows)


def _options_json(options: Mapping[str, Any]) -> str:
    unknown = [k for k in options if k not in ROUTE_OPTIONS]
    if unknown:
        raise RequestError(
            f"unknown option \"{unknown[0]}\"; options are: {', '.join(ROUTE_OPTIONS)}"
        )
    clean = {}
    for k, v in options.items():
        if v is None:
            continue
        if k in ("modes", "avoid_country", "avoid") and not isinstance(v, str):
            v = list(v)
        clean[k] = v
    return json.dumps(clean, sort_keys=True)


def _demand_json(demand, flow_type=None) -> str:
    """Demand as a path, CSV text, a DataFrame or a list of dicts (origin, destination,
    tonnes_per_year[, commodity, flow_type]); None for the network's own."""
    spec: dict = {}
    if flow_type:
        spec["flow_type"] = [flow_type] if isinstance(flow_type, str) else list(flow_type)
    if demand is None:
        pass
    elif isinstance(demand, os.PathLike) or (
        isinstance(demand, str) and "\n" not in demand and "," not in demand
    ):
        spec["path"] = os.fspath(demand)
    elif isinstance(demand, str):
        spec["text"] = demand
    elif hasattr(demand, "to_csv"):
        spec["text"] = demand.to_csv(index=False)
    else:
        import csv
        import io

        rows = list(demand)
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=list(rows[0].keys()) if rows else ["origin"])
        w.writeheader()
        w.writerows(rows)
        spec["text"] = out.getvalue()
    return json.dumps(spec, sort_keys=True)


def _geodataframe(geojson: Union[str, dict]):
    try:
        import geopandas
    except ImportError as e:  # pragma: no cover - optional
        raise ImportError("to_geodataframe() needs geopandas: pip install geopandas") from e
    fc = json.loads(geojson) if isinstance(geojson, str) else geojson
    return geopandas.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")


class Route:
    """One route (or the first of several alternatives) as the CLI's JSON describes it.

    `totals` (km, hours, bad_day_hours, usd, generalized_usd), `steps` (links, borders,
    transfers, rests...), `legs` (the link steps), `by_country`, `transit_countries`,
    `border_crossings`, `notes`; `alternatives` lists every route found (this one first).
    """

    def __init__(self, answer_json: str, geojson: str, rank: int = 0, answer=None):
        self._json = answer_json
        self._geojson = geojson
        self.answer = answer if answer is not None else json.loads(answer_json)
        self.rank = rank
        r = self.answer["routes"][rank]
        self.data = r
        self.totals = r["totals"]
        self.steps = r["steps"]
        self.legs = [s for s in r["steps"] if s["type"] == "link"]
        self.by_country = r["by_country"]
        self.transit_countries = r["transit_countries"]
        self.border_crossings = r["border_crossings"]
        self.gauge_changes = r["gauge_changes"]
        self.notes = r["notes"]
        self.request = self.answer["request"]

    @property
    def alternatives(self) -> list:
        """Every route of the answer (1 unless `alternatives=K` was asked)."""
        return [
            Route(self._json, self._geojson, i, self.answer)
            for i in range(len(self.answer["routes"]))
        ]

    def __len__(self) -> int:
        return len(self.answer["routes"])

    def __repr__(self) -> str:
        t = self.totals
        return (
            f"<Route {self.answer['from']['id']} -> {self.answer['to']['id']}: "
            f"{t['km']} km, {t['hours']} h, USD {t['usd']}"
            f"{', ' + str(len(self)) + ' routes' if len(self) > 1 else ''}>"
        )

    def to_json(self) -> str:
        """The whole answer, byte for byte `steppe route --format json`."""
        return self._json

    def to_geojson(self) -> dict:
        """The routes as a GeoJSON FeatureCollection (as `--format geojson`)."""
        return json.loads(self._geojson)

    def steps_table(self):
        """The steps as a DataFrame (or list of dicts)."""
        return _table(self.steps)

    def to_geodataframe(self):
        """The routes' features as a geopandas GeoDataFrame (needs geopandas)."""
        return _geodataframe(self._geojson)


class ScenarioResult:
    """A scenario evaluated against the baseline (as `steppe scenario run --format json`)."""

    def __init__(self, answer_json: str):
        self._json = answer_json
        self.answer = json.loads(answer_json)
        self.name = self.answer["name"]
        self.baseline = self.answer["baseline"]
        self.scenario = self.answer["scenario"]
        self.changes = self.answer["changes"]

    def compare(self) -> "Comparison":
        """Baseline vs scenario: `.totals` (figure, baseline, scenario, change),
        `.changed_flows` (pairs whose route, time or cost changed) and `.transit_tonnes`
        (tonnes by transit country, baseline and scenario)."""
        t = self.answer.get("tonnes_by_transit_country", {})
        countries = sorted(set(t.get("baseline", {})) | set(t.get("scenario", {})))
        transit = [
            {
                "country": c,
                "baseline": t.get("baseline", {}).get(c, 0.0),
                "scenario": t.get("scenario", {}).get(c, 0.0),
            }
            for c in countries
        ]
        return Comparison(
            self.name,
            self.totals_table(),
            self.changed_flows(),
            _table(transit, ["country", "baseline", "scenario"]),
        )

    def totals_table(self):
        """Headline figures per year: figure, baseline, scenario, change."""
        rows = [
            {
                "figure": k,
                "baseline": self.baseline[k],
                "scenario": self.scenario.get(k),
                "change": (self.scenario.get(k) or 0) - (self.baseline[k] or 0),
            }
            for k in self.baseline
        ]
        return _table(rows, ["figure", "baseline", "scenario", "change"])

    def changed_flows(self):
        """Pairs whose route, time or cost changed, largest change first."""
        return _table(self.changed_rows())

    def changed_rows(self) -> list:
        """`changed_flows()` as a list of dicts."""
        rows = []
        for c in self.changes:
            b, a = c.get("before") or {}, c.get("after") or {}
            rows.append(
                {
                    "origin": c["origin"],
                    "destination": c["destination"],
                    "commodity": c["commodity"],
                    "tonnes_per_year": c["tonnes_per_year"],
                    "delta_generalized_usd": c["delta_generalized_usd"],
                    "hours_before": b.get("hours"),
                    "hours_after": a.get("hours"),
                    "usd_before": b.get("usd"),
                    "usd_after": a.get("usd"),
                    "served_after": bool(a),
                }
            )
        return rows

    def to_json(self) -> str:
        return self._json

    def __repr__(self) -> str:
        return f"<ScenarioResult {self.name!r}: {len(self.changes)} flows changed>"


class Comparison:
    """A scenario beside the baseline (see `ScenarioResult.compare`)."""

    def __init__(self, name, totals, changed_flows, transit_tonnes):
        self.name = name
        self.totals = totals
        self.changed_flows = changed_flows
        self.transit_tonnes = transit_tonnes

    def __repr__(self) -> str:
        return (
            f"Scenario {self.name!r} against the baseline (per year):\n{self.totals}\n\n"
            f"Tonnes by transit country:\n{self.transit_tonnes}\n\n"
            f"Flows whose route, time or cost changed ({len(self.changed_flows)}):\n"
            f"{self.changed_flows}"
        )


class Scenario:
    """Scenario edits (a file path, a dict or JSON text) bound to a network; `.compare()`
    runs it against the baseline."""

    def __init__(self, net: "Network", spec, demand=None, flow_type=None, **options):
        self._net = net
        if isinstance(spec, Mapping):
            spec = json.dumps(spec)
        elif isinstance(spec, (list, tuple)):
            spec = json.dumps({"name": "edits from Python", "edits": list(spec)})
        self.spec = os.fspath(spec)
        self._demand = _demand_json(demand, flow_type)
        self._options = _options_json(options)
        self._result: Optional[ScenarioResult] = None

    def run(self) -> ScenarioResult:
        if self._result is None:
            [text] = self._net._core.scenarios([self.spec], self._demand, self._options)
            self._result = ScenarioResult(text)
        return self._result

    def compare(self):
        return self.run().compare()

    def changed_flows(self):
        return self.run().changed_flows()


class Network:
    """A network and its routing engine, loaded once (`Network.load(path=None)`)."""

    def __init__(self, core: "_steppe.Core"):
        self._core = core

    @classmethod
    def load(cls, path: Union[str, os.PathLike, None] = None) -> "Network":
        """Loads a network folder, or the embedded mn-kz network when `path` is None."""
        return cls(_steppe.Core.load(None if path is None else os.fspath(path)))

    @property
    def origin(self) -> str:
        return self._core.origin

    @property
    def path(self) -> Optional[str]:
        """The folder it was loaded from (None: the embedded network)."""
        f = self._core.folder
        return None if f is None else os.fspath(f)

    def __repr__(self) -> str:
        return f"<steppe.Network {self.origin}>"

    def __reduce__(self):
        # Pickled (e.g. sent to a worker) as its folder: the receiver loads its own copy.
        return (Network.load, (self.path,))

    def resolve(self, name: str) -> str:
        """The id of the place a name, alias or id means (raises PlaceError)."""
        return self._core.resolve(name)

    def geojson(self) -> dict:
        """The network as a GeoJSON FeatureCollection (links, then places)."""
        return json.loads(self._core.network_geojson())

    def _features(self, geometry: str) -> list:
        out = []
        for f in self.geojson()["features"]:
            if f["geometry"]["type"] != geometry:
                continue
            row = dict(f["properties"])
            if geometry == "Point":
                row["lon"], row["lat"] = f["geometry"]["coordinates"][:2]
            out.append(row)
        return out

    def places(self):
        """Places with their properties (a DataFrame with pandas, else a list of dicts)."""
        return _table(self._features("Point"))

    def links(self):
        """Links with their properties (a DataFrame with pandas, else a list of dicts)."""
        return _table(self._features("LineString"))

    def route(
        self,
        origin: str,
        destination: str,
        via: Union[str, Sequence[str], None] = None,
        alternatives: Optional[int] = None,
        **options,
    ) -> Route:
        """The best route (or `alternatives` different ones); raises NoRouteError."""
        via_list = [via] if isinstance(via, str) else list(via or [])
        answer, geojson = self._core.route(
            origin, destination, _options_json(options), via_list, int(alternatives or 1)
        )
        return Route(answer, geojson)

    def matrix(self, origins: Iterable[str], destinations: Iterable[str], **options):
        """O-D figures in long form (origin, destination, km, hours, usd, ...), pairs of a
        place with itself left out, as `steppe matrix`."""
        origins = [origins] if isinstance(origins, str) else list(origins)
        destinations = [destinations] if isinstance(destinations, str) else list(destinations)
        rows = json.loads(self._core.matrix(origins, destinations, _options_json(options)))
        rows = [r for r in rows if r["origin"] != r["destination"]]
        return _table(rows, MATRIX_COLUMNS)

    def isochrone(
        self,
        origin: str,
        hours: Union[float, Sequence[float], None] = None,
        usd: Union[float, Sequence[float], None] = None,
        goods_to: Optional[str] = None,
        geojson: bool = False,
        **options,
    ):
        """Places reachable within each budget (hours by default 24, 48, 72; or USD): a
        table of place, name, country, amount, band, budget; with `geojson=True` the
        bands' GeoJSON (as `steppe isochrone --format geojson`)."""
        if hours is not None and usd is not None:
            raise RequestError("give hours or usd budgets, not both")
        budgets = usd if usd is not None else hours if hours is not None else [24, 48, 72]
        if isinstance(budgets, (int, float)):
            budgets = [budgets]
        places, gj = self._core.isochrone(
            origin, [float(b) for b in budgets], usd is not None, goods_to, _options_json(options)
        )
        if geojson:
            return json.loads(gj)
        return _table(json.loads(places), ["place", "name", "country", "amount", "band", "budget"])

    def assign(self, demand=None, flow_type=None, **options) -> dict:
        """The demand (default the network's own) on best routes, as `steppe assign
        --format json`."""
        return json.loads(self._core.assign(_demand_json(demand, flow_type), _options_json(options)))

    def scenario(self, edits_or_path, demand=None, flow_type=None, **options) -> Scenario:
        """A scenario (file path, dict, or list of edits) to compare with the baseline."""
        return Scenario(self, edits_or_path, demand, flow_type, **options)

    def scenarios(self, specs: Sequence, demand=None, flow_type=None, **options) -> list:
        """Several scenarios against one baseline, in order: a list of ScenarioResult."""
        texts = [
            json.dumps(s) if isinstance(s, Mapping) else os.fspath(s) for s in specs
        ]
        out = self._core.scenarios(texts, _demand_json(demand, flow_type), _options_json(options))
        return [ScenarioResult(t) for t in out]

    def critical(self, demand=None, flow_type=None, **options):
        """Every element removed in turn, worst first (as `steppe critical --format json`)."""
        v = json.loads(self._core.critical(_demand_json(demand, flow_type), _options_json(options)))
        return _table(v["elements"], CRITICAL_COLUMNS)

    def propose(
        self,
        budget_usd: Optional[float] = None,
        min_bcr: float = 0.0,
        top: int = 15,
        mode: Optional[str] = None,
        max_km: float = 400.0,
        min_detour: float = 1.5,
        candidates=None,
        demand=None,
        flow_type=None,
        **options,
    ) -> dict:
        """New links worth building, ranked by benefit (as `steppe propose --format json`)."""
        p = {
            "budget_usd": budget_usd,
            "min_bcr": min_bcr,
            "top": top,
            "mode": mode,
            "max_km": max_km,
            "min_detour": min_detour,
            "candidates": None if candidates is None else os.fspath(candidates),
        }
        p = {k: v for k, v in p.items() if v is not None}
        return json.loads(
            self._core.propose(json.dumps(p), _demand_json(demand, flow_type), _options_json(options))
        )


CRITICAL_COLUMNS = [
    "kind",
    "id",
    "name",
    "flows_affected",
    "tonnes_affected",
    "unserved_tonnes",
    "extra_generalized_usd",
    "extra_tonne_hours",
]

MATRIX_COLUMNS = [
    "origin",
    "destination",
    "origin_name",
    "destination_name",
    "reachable",
    "km",
    "hours",
    "bad_day_hours",
    "usd",
    "generalized_usd",
    "crossings",
    "gauge_changes",
    "transit_countries",
]
