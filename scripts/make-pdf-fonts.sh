#!/usr/bin/env bash
# Regenerates crates/hoso-pdf/fonts/*.ttf: DejaVu Sans (Debian's fonts-dejavu-core) cut down to
# the characters Vietnamese documents use (Latin, Vietnamese letters and tone marks, đồng sign,
# punctuation), so every PDF HoSo makes embeds a few tens of kB of font, not 700 kB.
# The fonts are committed; run this only to change the character set.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pyftsubset >/dev/null || python3 -m pip install --quiet fonttools
src=/usr/share/fonts/truetype/dejavu
[ -f "$src/DejaVuSans.ttf" ] || { echo "install fonts-dejavu-core first" >&2; exit 1; }
unicodes="U+0020-007E,U+00A0-00FF,U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,U+0300-0303,U+0309,U+0323,U+1EA0-1EF9,U+2010-2027,U+2030,U+20AB,U+2116,U+2190-2193,U+2212,U+25CB,U+25CF,U+2713"
for face in DejaVuSans DejaVuSans-Bold; do
  pyftsubset "$src/$face.ttf" --unicodes="$unicodes" --layout-features='*' --no-hinting \
    --output-file="crates/hoso-pdf/fonts/$face.ttf"
done
cp /usr/share/doc/fonts-dejavu-core/copyright crates/hoso-pdf/fonts/LICENSE-DejaVu.txt
ls -l crates/hoso-pdf/fonts
