#!/usr/bin/env bash
# Prints how fast photos get in (not a test): from a file being complete in a watched folder to
# the "Ảnh mới" inbox, and from a phone's upload to the bridge finishing to the page being in the
# dossier. Arguments go to capture-bench (--photos N, --photo FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --locked --release -p hoso-bench --bin capture-bench
exec target/release/capture-bench "$@"
