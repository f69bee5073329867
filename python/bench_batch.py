"""Scenarios per second on one machine, on 1 and 2 Ray workers, and the per-task overhead
of Ray against the time of one scenario.

    python python/bench_batch.py [--scenarios 50] [--network PATH]

Each pool is warmed first (actors started, engine built, baseline assigned) so the figures
are the steady rate; actor start-up is reported apart.
"""

import argparse
import time

import steppe
import steppe.batch as sb


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", type=int, default=50)
    ap.add_argument("--network", default=None)
    args = ap.parse_args()
    net = steppe.Network.load(args.network)
    variants = sb.scenario_variants(net, args.scenarios)
    n = len(variants)

    local = sb.Pool(args.network, cluster=False)
    local.run_scenarios(variants[:1])  # baseline assigned and cached
    t_local, ref = timed(lambda: local.run_scenarios(variants, block=n))
    per_scenario = t_local / n
    print(f"one machine, in process: {n} scenarios in {t_local:.2f} s = {n / t_local:.1f} scenarios/s "
          f"({per_scenario * 1000:.1f} ms per scenario)")

    if not sb.ray_available():
        print("ray not installed: no Ray figures")
        return
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    for workers in (1, 2):
        t_start, pool = timed(lambda: sb.Pool(args.network, workers=workers))
        pool.run_scenarios(variants[: workers * 2], block=1)  # each actor's baseline
        t_tasks, res = timed(lambda: pool.run_scenarios(variants, block=1))
        t_blocks, res2 = timed(lambda: pool.run_scenarios(variants))
        same = [r.to_json() for r in res.results] == [r.to_json() for r in ref.results]
        overhead = (t_tasks * workers - t_local) / n
        print(f"ray, {workers} worker(s): start-up {t_start:.2f} s; one scenario per task: "
              f"{n / t_tasks:.1f} scenarios/s; blocks of {max(1, -(-n // (4 * workers)))}: "
              f"{n / t_blocks:.1f} scenarios/s; overhead per task {overhead * 1000:.1f} ms "
              f"({overhead / per_scenario * 100:.0f} % of one scenario); equal to one machine: {same}")
        pool.close()
    ray.shutdown()


if __name__ == "__main__":
    main()
