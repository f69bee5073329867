#!/usr/bin/env bash
# steppe serve through a real OSRM client library (routingpy's OSRM client, from PyPI, pinned
# in requirements.txt): routes and tables must equal the command line's answers.
# Usage: tests/python/osrm_client_test.sh [path/to/steppe]   (default: target/release/steppe,
# built when missing). Prints "osrm client test: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
bin=${1:-$target/release/steppe}
if [ ! -x "$bin" ]; then
  cargo build --release
fi
venv=$target/osrm-client-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r tests/python/requirements.txt
"$venv/bin/python" tests/python/osrm_client_test.py "$bin"
