#!/usr/bin/env bash
# Builds HoSo's release package for Debian/Ubuntu: target/release/bundle/deb/HoSo_<version>_amd64.deb
# (desktop entry in Vietnamese, icons in every size, dependencies declared). Prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npm --prefix ui run --silent build
(cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb --ci)
deb=$(ls -t target/release/bundle/deb/*.deb | head -n 1)
echo "package: $deb ($(stat -c %s "$deb") bytes)"
