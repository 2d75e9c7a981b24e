#!/usr/bin/env bash
# Fuzzes the .hoso bundle reader with cargo fuzz (libFuzzer) for a bounded time (default 120 s;
# not part of the test suite). Seeds are valid bundles made by the crate's own writer. A crash
# is saved under crates/hoso-bundle/fuzz/artifacts/ and must become a regression test.
#   scripts/fuzz-bundle.sh [SECONDS]
# cargo fuzz needs nightly compiler flags; only the stable toolchain exists here, so the build
# unlocks them with RUSTC_BOOTSTRAP=1 (this script only, never the app's build).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
scripts/setup.sh >/dev/null
if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: cargo install cargo-fuzz 0.13.2"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi
corpus=target/fuzz-corpus/read_bundle
mkdir -p "$corpus"
cargo run -q -p hoso-bundle --example fuzz_seed -- "$corpus"
cd crates/hoso-bundle
RUSTC_BOOTSTRAP=1 cargo fuzz run read_bundle "../../$corpus" -- \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
