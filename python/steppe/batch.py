"""Batches of scenarios and O-D matrices fanned out over Ray worker actors.

Each worker actor loads the network and builds its routing engine once, from the network
folder (pass the path, not a `Network`: workers load it themselves; `None` is the embedded
network, which every worker has inside the compiled module). Work is cut into blocks, sent
round-robin to the actors, and gathered in order, so the tables equal those of the same work
on one machine. Without Ray installed (or with ``cluster=False``) the same functions run in
this process.

On a cluster::

    import ray, steppe.batch as sb
    ray.init(address="auto")            # or "ray://head:10001"; run on a node of the cluster
    res = sb.run_scenarios("/shared/networks/mn-kz", ["/shared/scen/a.json", ...])

A worker needs the `steppe` package installed (the same wheel on every node) and the network
folder at the same path on every node (shared storage, or copied once per node); scenario and
demand files given as paths must be readable there too (or pass dicts / CSV text, which
travel with the task).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence

from . import Network, ScenarioResult, _demand_json, _options_json, _table

__all__ = ["run_scenarios", "matrix", "Pool", "ScenarioBatch", "ray_available"]


def ray_available() -> bool:
    try:
        import ray  # noqa: F401

        return True
    except ImportError:
        return False


class _Worker:
    """One network + engine in one process; answers blocks of work as JSON text."""

    def __init__(self, network_path: Optional[str], threads: Optional[int] = None):
        # An actor holds one CPU: the library's own rayon threads would oversubscribe it.
        # (Read by rayon when this process first uses it, which is here for a fresh actor.)
        if threads is not None:
            os.environ["RAYON_NUM_THREADS"] = str(threads)
        self.net = Network.load(network_path)

    def scenarios(self, specs: List[str], demand_json: str, options_json: str) -> List[str]:
        return self.net._core.scenarios(specs, demand_json, options_json)

    def matrix(self, origins: List[str], destinations: List[str], options_json: str) -> str:
        return self.net._core.matrix(origins, destinations, options_json)

    def ping(self) -> str:
        return self.net.origin


def _spec_text(s: Any) -> str:
    if isinstance(s, dict):
        return json.dumps(s)
    if isinstance(s, (list, tuple)):
        return json.dumps({"name": "edits from Python", "edits": list(s)})
    return os.fspath(s)


def _blocks(items: list, size: int) -> List[list]:
    size = max(1, int(size))
    return [items[i : i + size] for i in range(0, len(items), size)]


class Pool:
    """Workers holding one engine each: Ray actors, or this process when Ray is absent or
    ``cluster=False``. ``cluster``: None (use the running Ray, else start a local one),
    an address for ``ray.init(address=...)``, or False for no Ray. ``threads``: the
    library's threads per actor (1, as each actor asks Ray for one CPU; None: all cores)."""

    def __init__(
        self, network_path=None, workers: Optional[int] = None, cluster=None, threads: Optional[int] = 1
    ):
        self.network_path = None if network_path is None else os.fspath(network_path)
        self.use_ray = cluster is not False and ray_available()
        if self.use_ray:
            import ray

            if not ray.is_initialized():
                if isinstance(cluster, str):
                    ray.init(address=cluster)
                else:
                    ray.init(num_cpus=workers)
            n = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            actor = ray.remote(num_cpus=1)(_Worker)
            self.actors = [actor.remote(self.network_path, threads) for _ in range(n)]
            ray.get([a.ping.remote() for a in self.actors])
        else:
            self.actors = [_Worker(self.network_path)]

    @property
    def workers(self) -> int:
        return len(self.actors)

    def _map(self, method: str, blocks: List[tuple]) -> list:
        if not self.use_ray:
            w = self.actors[0]
            return [getattr(w, method)(*b) for b in blocks]
        import ray

        refs = [
            getattr(self.actors[i % len(self.actors)], method).remote(*b)
            for i, b in enumerate(blocks)
        ]
        return ray.get(refs)

    def run_scenarios(
        self, scenarios: Sequence, demand=None, flow_type=None, block: Optional[int] = None, **options
    ) -> "ScenarioBatch":
        specs = [_spec_text(s) for s in scenarios]
        dj, oj = _demand_json(demand, flow_type), _options_json(options)
        if block is None:
            block = max(1, math.ceil(len(specs) / (4 * self.workers)))
        out = self._map("scenarios", [(b, dj, oj) for b in _blocks(specs, block)])
        return ScenarioBatch.from_results([ScenarioResult(t) for part in out for t in part])

    def matrix(self, origins: Sequence[str], destinations: Sequence[str], block: int = 8, **options):
        origins = list(origins)
        destinations = list(destinations)
        oj = _options_json(options)
        out = self._map("matrix", [(b, destinations, oj) for b in _blocks(origins, block)])
        from . import MATRIX_COLUMNS

        rows = [r for part in out for r in json.loads(part) if r["origin"] != r["destination"]]
        return _table(rows, MATRIX_COLUMNS)

    def close(self) -> None:
        if self.use_ray:
            import ray

            for a in self.actors:
                ray.kill(a)
        self.actors = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass
class ScenarioBatch:
    """Scenario results gathered: `summary` (one row per scenario: every headline figure in
    the baseline and the scenario) and `changes` (one row per changed flow per scenario)."""

    results: List[ScenarioResult]
    summary: Any
    changes: Any

    @classmethod
    def from_results(cls, results: List[ScenarioResult]) -> "ScenarioBatch":
        summary, changes = [], []
        for i, r in enumerate(results):
            row = {"scenario": i, "name": r.name, "flows_changed": len(r.changes)}
            for k, v in r.baseline.items():
                row[f"baseline_{k}"] = v
            for k, v in r.scenario.items():
                row[k] = v
            summary.append(row)
            for c in r.changed_rows():
                changes.append({"scenario": i, "name": r.name, **c})
        return cls(results, _table(summary), _table(changes))


def run_scenarios(
    network_path,
    scenarios: Sequence,
    demand=None,
    cluster=None,
    workers: Optional[int] = None,
    block: Optional[int] = None,
    flow_type=None,
    **options,
) -> ScenarioBatch:
    """Runs every scenario (paths, dicts or edit lists) against the baseline on `workers`
    Ray actors (all CPUs of the cluster by default); the same tables as one machine gives."""
    with Pool(network_path, workers, cluster) as pool:
        return pool.run_scenarios(scenarios, demand, flow_type, block, **options)


def matrix(
    network_path,
    origins: Sequence[str],
    destinations: Sequence[str],
    block: int = 8,
    cluster=None,
    workers: Optional[int] = None,
    **options,
):
    """An O-D matrix in long form, origins cut into blocks of `block` per task."""
    with Pool(network_path, workers, cluster) as pool:
        return pool.matrix(origins, destinations, block, **options)


def scenario_variants(net: Network, n: int = 50) -> List[dict]:
    """`n` one-edit scenarios for tests and benches, each on a different element: closing an
    existing link, or setting a border crossing's hours (a different figure each time)."""
    links = sorted(
        (l for l in _rows(net.links()) if l.get("status", "existing") == "existing"),
        key=lambda l: l["id"],
    )
    crossings = sorted(
        (
            p
            for p in _rows(net.places())
            if p.get("kind") == "border_crossing" and p.get("status", "existing") == "existing"
        ),
        key=lambda p: p["id"],
    )
    out: List[dict] = []
    li = ci = 0
    while len(out) < n:
        k = len(out)
        if k % 2 == 1 and crossings:
            c = crossings[ci % len(crossings)]
            ci += 1
            crossing = c.get("crossing") if isinstance(c.get("crossing"), dict) else {}
            mode = sorted(crossing.get("modes") or {"road": None})[0]
            hours = 1.0 + (k % 7) * 3.0
            edit = {"op": "set", "id": c["id"], "values": {mode: {"hours": hours}}}
            name = f"v{k:03}: {c['id']} {mode} {hours:g} h"
        else:
            l = links[(li * 7) % len(links)]
            li += 1
            edit = {"op": "close", "id": l["id"]}
            name = f"v{k:03}: close {l['id']}"
        out.append({"name": name, "edits": [edit]})
    return out


def _rows(table) -> List[dict]:
    return table.to_dict("records") if hasattr(table, "to_dict") else list(table)
