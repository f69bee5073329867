"""Batches over Ray: 50 scenario variants on a local 2-CPU cluster equal the one-machine
answers."""

import pytest

import steppe
import steppe.batch as sb

pd = pytest.importorskip("pandas")


def test_batch_without_ray_runs_locally(net):
    variants = sb.scenario_variants(net, 4)
    local = sb.run_scenarios(None, variants, cluster=False)
    assert [r.to_json() for r in local.results] == [
        net.scenario(v).run().to_json() for v in variants
    ]
    assert len(local.summary) == 4


def test_matrix_blocks_locally_equal_one_call(net):
    o = ["Ulaanbaatar", "Olgii", "Khovd", "Almaty", "Astana"]
    d = ["Almaty", "Astana", "Oskemen", "Ulaanbaatar"]
    whole = net.matrix(o, d)
    blocks = sb.matrix(None, o, d, block=2, cluster=False)
    pd.testing.assert_frame_equal(whole, blocks)


@pytest.fixture(scope="module")
def ray_cluster():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_fifty_variants_on_ray_equal_one_machine(net, ray_cluster):
    variants = sb.scenario_variants(net, 50)
    assert len({v["edits"][0]["id"] + str(v["edits"][0].get("values")) for v in variants}) == 50
    remote = sb.run_scenarios(None, variants, workers=2)
    local = sb.run_scenarios(None, variants, cluster=False)
    assert len(remote.results) == 50
    assert [r.to_json() for r in remote.results] == [r.to_json() for r in local.results]
    pd.testing.assert_frame_equal(remote.summary, local.summary)
    pd.testing.assert_frame_equal(remote.changes, local.changes)
    # and each equals the scenario run on its own
    for v, r in zip(variants[:5], remote.results[:5]):
        assert r.to_json() == net.scenario(v).run().to_json()
    assert (remote.summary["flows_changed"] > 0).any()


def test_matrix_on_ray_equals_one_machine(net, ray_cluster):
    places = net.places()
    cities = sorted(places[places["kind"] == "city"]["id"])[:12]
    remote = sb.matrix(None, cities, cities, block=3, workers=2)
    pd.testing.assert_frame_equal(remote, net.matrix(cities, cities))
