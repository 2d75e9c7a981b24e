#!/usr/bin/env bash
# Prints the scan pipeline's figures (not a test) over a directory of photos (default: the
# committed fixtures, which are half-size; point it at 12 MP phone photos for real figures).
# If the OpenCV baseline of ../shared/bench/scan is available (python3 with cv2, img2pdf and a
# corpus with manifest.json), set BASELINE_CORPUS=DIR to run it in the same run for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --locked --release -p hoso-bench --bin scan-bench
target/release/scan-bench "$@"
if [ -n "${BASELINE_CORPUS:-}" ] && [ -f ../shared/bench/scan/baseline.py ]; then
  out=$(mktemp -d)
  echo "OpenCV baseline (../shared/bench/scan/baseline.py, one thread) on $BASELINE_CORPUS:"
  python3 ../shared/bench/scan/baseline.py --corpus "$BASELINE_CORPUS" --out "$out" | tail -18
  rm -rf "$out"
fi
