#!/usr/bin/env python3
"""scipy's csgraph.dijkstra one-to-all on the graphs of benches/cch.rs, for the README's
peer figure beside the PHAST bench (run both in the same session: figures move with load).

    python3 -m venv /tmp/scipy-venv && /tmp/scipy-venv/bin/pip install scipy==1.14.1 numpy==2.1.3
    /tmp/scipy-venv/bin/python benches/scipy_peer.py [../shared/data]

Graphs, as benches/cch.rs builds them:
- Bremen: fast_paths/bremen_time.gr (`a u v w` lines, 0-based, directed);
- New York: pace16-NY.gr.xz (PACE 2016, `u v` per line, 1-based, undirected), both
  directions per edge, weight a hash of the endpoints in 1..=1000 (the same hash as the
  Rust bench, so the same metric).
Parallel arcs keep their minimum (csr_matrix would add them up). One-to-all from 200
deterministic pseudo-random sources; the median time per search is printed.
"""

import lzma
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

MASK64 = (1 << 64) - 1


def sample_nodes(n, count, seed):
    """The xorshift sampler of benches/cch.rs."""
    s = seed | 1
    out = []
    for _ in range(count):
        s ^= (s << 13) & MASK64
        s ^= s >> 7
        s ^= (s << 17) & MASK64
        out.append(s % n)
    return out


def graph(n, tails, heads, weights):
    """A CSR matrix with the minimum of parallel arcs."""
    t = np.asarray(tails, dtype=np.int64)
    h = np.asarray(heads, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    order = np.lexsort((w, h, t))
    t, h, w = t[order], h[order], w[order]
    first = np.ones(len(t), dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    return csr_matrix((w[first], (t[first], h[first])), shape=(n, n))


def bremen(data):
    tails, heads, weights = [], [], []
    n = 0
    for line in open(data / "fast_paths" / "bremen_time.gr"):
        parts = line.split()
        if len(parts) == 4 and parts[0] == "a":
            u, v, w = int(parts[1]), int(parts[2]), int(parts[3])
            tails.append(u)
            heads.append(v)
            weights.append(w)
            n = max(n, u + 1, v + 1)
    return "bremen_time", graph(n, tails, heads, weights)


def new_york(data):
    tails, heads, weights = [], [], []
    n = 0
    with lzma.open(data / "pace16-NY.gr.xz", "rt") as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0] == "c":
                continue
            if parts[0] == "p":
                n = int(parts[2])
                continue
            u, v = int(parts[0]), int(parts[1])
            a, b = min(u, v) - 1, max(u, v) - 1
            h = ((a << 32 | b) * 0x9E3779B97F4A7C15) & MASK64
            h ^= h >> 29
            w = h % 1000 + 1
            tails += [a, b]
            heads += [b, a]
            weights += [w, w]
    return "pace16-NY", graph(n, tails, heads, weights)


def main():
    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    for make in (bremen, new_york):
        name, g = make(data)
        n = g.shape[0]
        sources = sample_nodes(n, 200, 7)
        dijkstra(g, directed=True, indices=sources[0])  # warm up
        times = []
        for s in sources:
            t0 = time.perf_counter()
            dijkstra(g, directed=True, indices=s)
            times.append(time.perf_counter() - t0)
        print(
            f"scipy csgraph.dijkstra one-to-all, {name} ({n} nodes, {g.nnz} arcs): "
            f"median {statistics.median(times) * 1e3:.2f} ms, "
            f"min {min(times) * 1e3:.2f} ms over {len(times)} sources"
        )


if __name__ == "__main__":
    main()
