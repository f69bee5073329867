"""Scenarios per second on one machine, on 1 and 2 Ray workers, and Ray's per-task overhead
against the time of one scenario.

    python python/bench_batch.py [--scenarios 200] [--repeat 3] [--network PATH]

Each pool is warmed first (actors started, engine built, baseline assigned), so the figures
are the steady rate; actor start-up is reported apart. Each figure is the best of --repeat
runs (the machine is shared). Gathering the tables on the driver is included everywhere.
"""

import argparse
import time

import steppe
import steppe.batch as sb


def best(f, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--network", default=None)
    ap.add_argument("--threads", type=int, default=1, help="library threads per actor (0: all)")
    args = ap.parse_args()
    args.threads = args.threads or None
    net = steppe.Network.load(args.network)
    variants = sb.scenario_variants(net, args.scenarios)
    n, k = len(variants), args.repeat

    local = sb.Pool(args.network, cluster=False)
    local.run_scenarios(variants[:1])  # baseline assigned and cached
    t_local, ref = best(lambda: local.run_scenarios(variants, block=n), k)
    t_core, _ = best(lambda: local.actors[0].scenarios([sb._spec_text(v) for v in variants],
                                                       steppe._demand_json(None), "{}"), k)
    per = t_core / n
    print(f"one machine, in process: {n / t_local:.0f} scenarios/s with the tables gathered; "
          f"one scenario {per * 1000:.2f} ms in the engine ({n / t_core:.0f} scenarios/s)")

    if not sb.ray_available():
        print("ray not installed: no Ray figures")
        return
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    for workers in (1, 2):
        t0 = time.perf_counter()
        pool = sb.Pool(args.network, workers=workers, threads=args.threads)
        t_start = time.perf_counter() - t0
        pool.run_scenarios(variants[: workers * 2], block=1)  # each actor's baseline
        t_ping, _ = best(lambda: ray.get([pool.actors[i % workers].ping.remote() for i in range(n)]), k)
        t_tasks, res = best(lambda: pool.run_scenarios(variants, block=1), k)
        t_blocks, _ = best(lambda: pool.run_scenarios(variants), k)
        same = [r.to_json() for r in res.results] == [r.to_json() for r in ref.results]
        overhead = (t_tasks * workers - t_local) / n
        print(f"ray, {workers} worker(s): start-up {t_start:.2f} s; "
              f"one scenario per task {n / t_tasks:.0f} scenarios/s; "
              f"blocks of {-(-n // (4 * workers))}: {n / t_blocks:.0f} scenarios/s; "
              f"empty actor call {t_ping / n * 1000:.2f} ms per task; "
              f"overhead per scenario task {overhead * 1000:.2f} ms "
              f"({overhead / per:.1f}x one scenario); equal to one machine: {same}")
        pool.close()
    ray.shutdown()
    t_again, _ = best(lambda: local.run_scenarios(variants, block=n), k)
    print(f"one machine again, after Ray: {n / t_again:.0f} scenarios/s (the machine is shared)")


if __name__ == "__main__":
    main()
