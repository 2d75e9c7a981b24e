#!/usr/bin/env bash
# Prints HoSo's figures (not a test): store speed at 10,000 dossiers, the release app's start to
# first paint and idle memory under Xvfb, a 10-page dossier over a 200 kbit/s link with cuts,
# and portal intake under 50 clients. Extra arguments go to hoso-bench (--send-only, --no-send).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
npm --prefix ui run --silent build
cargo build --locked --release -p hoso-bench -p hoso-desktop -p hoso-portal
exec target/release/hoso-bench --app target/release/hoso-desktop --portal target/release/hoso-portal "$@"
