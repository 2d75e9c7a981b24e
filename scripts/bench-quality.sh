#!/usr/bin/env bash
# Prints the photo-quality warnings' precision and recall (not a test): each photo scanned as
# it is and after each deliberate degradation (blur, underexposure, glare, cut-off, too few
# pixels). Without arguments it uses the committed fixtures; with --corpus DIR, a corpus made
# by ../shared/bench/scan/gen_corpus.py (its meta files add the originals' own truth).
# Arguments go to quality-bench (--corpus DIR, --threads N, --dump DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --locked --release -p hoso-bench --bin quality-bench
exec target/release/quality-bench "$@"
