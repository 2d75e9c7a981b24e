#!/usr/bin/env bash
# Prints the digitised archive's figures (not a test): search latency over 100,000 generated
# pages, OCR pages per minute on 1 and 2 threads, and with --corpus DIR (a corpus made by
# ../shared/bench/scan/gen_corpus.py) the OCR line-CER of cleaned pages against the clean
# renders'. Arguments go to archive-bench (--pages N, --corpus DIR, --skip-search, --skip-ocr).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --locked --release -p hoso-bench --bin archive-bench
exec target/release/archive-bench "$@"
