"""The tour example runs from start to end."""

import pathlib
import runpy


def test_tour_runs(capsys):
    runpy.run_path(str(pathlib.Path(__file__).parents[1] / "examples" / "tour.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "route 3:" in out and "no route:" in out
