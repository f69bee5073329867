#!/usr/bin/env bash
# The map page in a real browser: Debian's chromium (apt-get install chromium), driven by
# playwright-core (npm, pinned in package.json; it downloads no browser). Asks for a route
# through the page's own controls and by clicking the map, checks the lines drawn and the
# totals shown against the API, and saves a screenshot to docs/map-page.png.
# Usage: tests/browser/map_page_test.sh [path/to/steppe]. Prints "browser test: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
bin=${1:-$target/release/steppe}
if [ ! -x "$bin" ]; then
  cargo build --release
fi
chromium=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$chromium" ]; then
  echo "browser test: chromium is not installed (apt-get install -y chromium)" >&2
  exit 1
fi
( cd tests/browser && npm install --no-audit --no-fund --silent )
node tests/browser/map_page_test.mjs "$bin" "$chromium" docs/map-page.png
