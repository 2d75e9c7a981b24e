#!/usr/bin/env bash
# Prints HoSo's figures (not a test): store speed at 10,000 dossiers, and the release app's
# start to first paint and idle memory under Xvfb. Extra arguments go to hoso-bench.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
npm --prefix ui run --silent build
cargo build --locked --release -p hoso-bench -p hoso-desktop
exec target/release/hoso-bench --app target/release/hoso-desktop "$@"
