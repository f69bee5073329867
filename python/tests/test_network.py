"""The Python API against the command line's answers and the library's invariants."""

import json
import subprocess

import pytest

import steppe

pd = pytest.importorskip("pandas")


def cli(steppe_bin, *args):
    p = subprocess.run([steppe_bin, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def test_places_and_links_are_tables(net):
    places, links = net.places(), net.links()
    assert {"id", "name", "country", "kind", "lon", "lat"} <= set(places.columns)
    assert {"id", "from", "to", "mode"} <= set(links.columns)
    assert len(places) == 184 and len(links) == 294
    assert net.resolve("Ulaanbaatar") == "mn_ulaanbaatar"


@pytest.mark.parametrize(
    "args,kwargs",
    [
        ([], {}),
        (["--minimize", "time"], {"minimize": "time"}),
        (["--modes", "road"], {"modes": "road"}),
        (["--commodity", "petroleum"], {"commodity": "petroleum"}),
        (["--avoid-country", "RU"], {"avoid_country": ["RU"]}),
        (["--month", "1"], {"month": 1}),
        (["--via", "Khovd"], {"via": "Khovd"}),
        (["--alternatives", "3"], {"alternatives": 3}),
        (["--param", "cargo.tonnes=40"], {"params": {"cargo.tonnes": 40}}),
    ],
)
def test_route_json_equals_cli(net, steppe_bin, args, kwargs):
    code, out, err = cli(steppe_bin, "route", "Ulaanbaatar", "Almaty", "--format", "json", *args)
    assert code == 0, err
    r = net.route("Ulaanbaatar", "Almaty", **kwargs)
    assert r.to_json() == out
    if "alternatives" in kwargs:
        assert len(r.alternatives) == len(json.loads(out)["routes"]) > 1


def test_route_object(net):
    r = net.route("Ulaanbaatar", "Almaty")
    assert r.totals["km"] > 1000 and r.totals["hours"] > 0
    assert abs(sum(s["km"] for s in r.legs) - r.totals["km"]) < 1.0
    assert set(r.by_country) >= {"MN", "KZ"}
    gj = r.to_geojson()
    assert gj["type"] == "FeatureCollection" and gj["features"]


def test_unknown_place_raises_place_error_with_cli_message(net, steppe_bin):
    with pytest.raises(steppe.PlaceError) as e:
        net.route("Olgi", "Almaty")
    code, _, err = cli(steppe_bin, "route", "Olgi", "Almaty")
    assert code == 1
    assert str(e.value) in err
    assert "did you mean" in str(e.value)
    assert isinstance(e.value, steppe.RequestError) and isinstance(e.value, steppe.SteppeError)


def test_no_route_raises(net):
    with pytest.raises(steppe.NoRouteError) as e:
        net.route("Ulaanbaatar", "Almaty", avoid_country=["RU", "CN"])
    assert "no route from Ulaanbaatar to Almaty" in str(e.value)
    answer = json.loads(e.value.args[1])
    assert answer["routes"] == [] and answer["no_route"]["hints"]


@pytest.mark.parametrize(
    "kwargs,exc",
    [
        ({"minimize": "fastest"}, steppe.RequestError),
        ({"month": 13}, steppe.RequestError),
        ({"modes": "boat"}, steppe.RequestError),
        ({"avoid_country": "XX"}, steppe.RequestError),
        ({"params": {"no_such_key": 1}}, steppe.RequestError),
        ({"color": "red"}, steppe.RequestError),
    ],
)
def test_bad_options_raise(net, kwargs, exc):
    with pytest.raises(exc):
        net.route("Ulaanbaatar", "Almaty", **kwargs)


def test_bad_network_folder_raises(tmp_path):
    with pytest.raises(steppe.NetworkError):
        steppe.Network.load(tmp_path / "missing")


def test_matrix_long_form_equals_routes(net):
    o, d = ["Ulaanbaatar", "Olgii", "Khovd"], ["Almaty", "Astana", "Oskemen"]
    m = net.matrix(o, d, minimize="time")
    assert m.shape[0] == 9
    assert {"origin", "destination", "km", "hours", "usd", "crossings"} <= set(m.columns)
    for row in m.itertuples():
        r = net.route(row.origin, row.destination, minimize="time")
        assert abs(r.totals["km"] - row.km) < 0.051
        assert abs(r.totals["hours"] - row.hours) < 0.0051
        assert abs(r.totals["usd"] - row.usd) < 0.0051
        assert len(r.border_crossings) == row.crossings


def test_matrix_equals_cli(net, steppe_bin):
    code, out, err = cli(
        steppe_bin, "matrix", "--from", "Ulaanbaatar,Olgii", "--to", "Almaty,Astana", "--format", "json"
    )
    assert code == 0, err
    cells = {(c["from"], c["to"]): c for c in json.loads(out)["cells"]}
    m = net.matrix(["Ulaanbaatar", "Olgii"], ["Almaty", "Astana"])
    for row in m.itertuples():
        c = cells[(row.origin, row.destination)]
        assert steppe._steppe.round_as_cli(row.km, 1) == c["km"]
        assert steppe._steppe.round_as_cli(row.usd, 2) == c["usd"]


def test_isochrone(net):
    iso = net.isochrone("Ulaanbaatar", hours=[24, 48])
    assert len(iso) > 0 and iso["amount"].max() <= 48
    gj = net.isochrone("Ulaanbaatar", hours=[24], geojson=True)
    assert gj["type"] == "FeatureCollection"


def test_scenario_equals_cli(net, steppe_bin):
    from conftest import NETWORK

    f = NETWORK / "scenarios" / "winter-altai-closure.json"
    code, out, err = cli(steppe_bin, "scenario", "run", str(f), "--format", "json")
    assert code == 0, err
    res = net.scenario(f).run()
    assert res.to_json() == out
    cmp = net.scenario(f).compare()
    assert list(cmp.totals.columns) == ["figure", "baseline", "scenario", "change"]
    assert len(cmp.changed_flows) == len(res.changes)
    assert "Flows whose route" in repr(cmp)


def test_scenario_from_dict(net):
    s = {"name": "close Khorgos", "edits": [{"op": "close", "id": "bcp_khorgos"}]}
    res = net.scenario(s).run()
    assert res.name == "close Khorgos"
    flows = res.changed_flows()
    assert len(flows) == len(res.changes)


def test_bad_scenario_raises_input_error(net):
    with pytest.raises(steppe.SteppeError) as e:
        net.scenario({"name": "x", "edits": [{"op": "close", "id": "no_such_link"}]}).run()
    assert "no_such_link" in str(e.value)
    with pytest.raises(steppe.InputError):
        net.scenario({"name": "x", "edits": [{"op": "explode"}]}).run()


def test_assign_and_critical(net, steppe_bin):
    a = net.assign()
    code, out, _ = cli(steppe_bin, "assign", "--format", "json")
    assert code == 0 and a == json.loads(out)
    crit = net.critical()
    code, out, _ = cli(steppe_bin, "critical", "--format", "json")
    assert crit.to_dict("records") == json.loads(out)["elements"]


def test_demand_as_dataframe(net):
    d = pd.DataFrame(
        [{"origin": "kz_almaty", "destination": "mn_ulaanbaatar", "tonnes_per_year": 1000}]
    )
    a = net.assign(demand=d)
    assert a == net.assign(demand=d.to_csv(index=False))


def test_gil_released_threads(net):
    from concurrent.futures import ThreadPoolExecutor

    pairs = [("Ulaanbaatar", "Almaty"), ("Olgii", "Astana"), ("Khovd", "Oskemen")] * 4
    with ThreadPoolExecutor(4) as ex:
        got = list(ex.map(lambda p: net.route(*p).to_json(), pairs))
    assert got == [net.route(*p).to_json() for p in pairs]


def test_network_folder_equals_embedded(net, tmp_path):
    import shutil

    from conftest import NETWORK

    folder = tmp_path / "mn-kz"
    shutil.copytree(NETWORK, folder)
    other = steppe.Network.load(folder)
    assert other.path == str(folder)
    assert (
        json.loads(other.route("Ulaanbaatar", "Almaty").to_json())["routes"]
        == json.loads(net.route("Ulaanbaatar", "Almaty").to_json())["routes"]
    )
    (folder / "params.json").write_text("{ not json")
    with pytest.raises(steppe.NetworkError):
        steppe.Network.load(folder)


def test_network_pickles_as_its_path(net):
    import pickle

    again = pickle.loads(pickle.dumps(net))
    assert again.origin == net.origin and again.path is None


def test_geodataframe_when_geopandas_installed(net):
    pytest.importorskip("geopandas")
    gdf = net.route("Ulaanbaatar", "Almaty").to_geodataframe()
    assert len(gdf) > 0 and gdf.crs is not None
