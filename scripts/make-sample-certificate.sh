#!/usr/bin/env bash
# Remakes the made-up birth certificate "photographed with a phone" that the tests use
# (crates/hoso-api/tests/fixtures/giay-chung-sinh.jpg): HoSo's own drawing of the form
# (hoso-pdf's `sample`), rendered at 150 dpi, turned 2°, on a dark table, slightly soft, JPEG.
# Needs poppler-utils and imagemagick (scripts/setup.sh installs both). Not run by the tests.
# The mother's ID card photo is made by hoso-cccd's example `mother_card` (see the README in
# crates/hoso-cccd/tests/fixtures).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --locked -q -p hoso-pdf --features synth --example sample_birth_certificate -- "$tmp/gcs.pdf"
pdftoppm -r 150 -png -singlefile "$tmp/gcs.pdf" "$tmp/gcs"
convert "$tmp/gcs.png" -fill '#f3ecdc' -opaque white -background '#3a2b20' -rotate 2 \
  -bordercolor '#3a2b20' -border 160 -blur 0x0.7 \
  -strip -quality 85 crates/hoso-api/tests/fixtures/giay-chung-sinh.jpg
ls -l crates/hoso-api/tests/fixtures/giay-chung-sinh.jpg
