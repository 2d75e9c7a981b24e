#!/usr/bin/env bash
# Prints HoSo's figures (not a test): the release package's size and installed size, store speed
# at 10,000 dossiers, the release app's start to first paint and memory under Xvfb (idle, and
# with a 20-page dossier open), a 10-page dossier over a 200 kbit/s link with cuts, and portal
# intake under 50 clients. Extra arguments go to hoso-bench (--send-only, --no-send).
set -euo pipefail
cd "$(dirname "$0")/.."

# Builds the release app and its .deb (and runs setup and the UI build).
scripts/package.sh
deb=$(ls -t target/release/bundle/deb/*.deb | head -n 1)
cargo build --locked --release -p hoso-bench -p hoso-portal
exec target/release/hoso-bench --deb "$deb" --app target/release/hoso-desktop \
  --portal target/release/hoso-portal "$@"
