#!/usr/bin/env bash
# Prints how well citizen ID cards are read from phone photos (not a test): the share of
# generated 12 MP card photos read exactly, and the CPU time per photo at one thread.
# Arguments go to cccd-bench (--photos N, --hard N, --seed S, --save DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --locked --release -p hoso-bench --bin cccd-bench
exec target/release/cccd-bench "$@"
