import os
import pathlib
import shutil

import pytest

import steppe

ROOT = pathlib.Path(__file__).resolve().parents[2]
NETWORK = ROOT / "networks" / "mn-kz"


def cli_binary():
    """The `steppe` binary cargo built beside this checkout (STEPPE_BIN overrides)."""
    env = os.environ.get("STEPPE_BIN")
    if env:
        return env
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    built = [target / profile / "steppe" for profile in ("release", "debug")]
    built = [p for p in built if p.exists()]
    if built:
        return str(max(built, key=lambda p: p.stat().st_mtime))  # the latest build
    return shutil.which("steppe")


@pytest.fixture(scope="session")
def net():
    return steppe.Network.load()


@pytest.fixture(scope="session")
def steppe_bin():
    b = cli_binary()
    if b is None:
        pytest.skip("no steppe binary built (cargo build) and STEPPE_BIN not set")
    return b
