#!/usr/bin/env bash
# Installs the .deb built by scripts/package.sh on this machine, starts the installed HoSo under
# Xvfb, removes the package and installs it again: the person's data (in their home folder)
# survives removal and reinstall. Leaves the package removed. Needs root or sudo. Every wait is
# bounded. Not part of the test suite (it changes the machine's installed packages).
#   scripts/test-package.sh [PACKAGE.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "${1:-$(ls -t target/release/bundle/deb/*.deb | head -n 1)}")
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
apt_get() { "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q "$@"; }
pkg=$(dpkg-deb -f "$deb" Package)
bin=/usr/bin/hoso-desktop
cli=target/debug/hoso
[ -x "$cli" ] || cargo build -q --locked -p hoso-cli

home=$(mktemp -d)
display=:$((90 + RANDOM % 9))
Xvfb "$display" -nolisten tcp -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill "$xvfb" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
data="$home/.local/share/hoso"

fail() { echo "package test: $*" >&2; exit 1; }

# Starts the installed app for a few seconds and waits (at most 60 s) for its database.
run_app() {
  HOME=$home XDG_DATA_HOME=$home/.local/share DISPLAY=$display timeout 15 "$bin" >/dev/null 2>&1 &
  local app=$! i
  for i in $(seq 1 120); do
    [ -f "$data/hoso.sqlite3" ] && break
    sleep 0.5
  done
  [ -f "$data/hoso.sqlite3" ] || fail "the installed app never opened its data folder"
  sleep 3
  kill -0 "$app" 2>/dev/null || fail "the installed app stopped by itself"
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
}

echo "package test: $deb ($pkg, $(stat -c %s "$deb") bytes)"
apt_get install "$deb" >/dev/null
dpkg -s "$pkg" | grep -q '^Status: install ok installed' || fail "not installed"
[ -x "$bin" ] || fail "$bin missing"
desktop=$(dpkg -L "$pkg" | grep '\.desktop$' | head -n 1)
grep -q '^Name\[vi\]=HoSo — Hồ sơ thủ tục hành chính' "$desktop" || fail "no Vietnamese name in $desktop"
grep -q '^Comment\[vi\]=' "$desktop" || fail "no Vietnamese description in $desktop"
for size in 32x32 64x64 128x128 256x256@2; do
  dpkg -L "$pkg" | grep -q "/icons/hicolor/$size/apps/" || fail "no $size icon"
done
dpkg-deb -f "$deb" Depends | grep -q libwebkit2gtk-4.1 || fail "WebKitGTK is not a dependency"
dpkg-deb -f "$deb" Depends | grep -q libheif1 || fail "libheif is not a dependency"
dpkg-deb -f "$deb" Recommends | grep -q tesseract-ocr-vie || fail "Vietnamese OCR is not recommended"
echo "package test: installed: $(dpkg -s "$pkg" | sed -n 's/^Installed-Size: //p') KiB"

run_app
# Something the person typed, as the CLI writes it into the same data folder.
id=$(HOSO_DATA_DIR=$data "$cli" --json new --procedure 1.001193 --field "applicant.full_name=Nguyễn Thị Hoa" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

apt_get remove "$pkg" >/dev/null
[ ! -e "$bin" ] || fail "$bin is still there after removal"
[ -f "$data/hoso.sqlite3" ] || fail "the data folder went with the package"

apt_get install "$deb" >/dev/null
run_app
title=$(HOSO_DATA_DIR=$data "$cli" --json show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["title"])')
[ "$title" = "Nguyễn Thị Hoa" ] || fail "after reinstalling, the dossier says '$title'"
ls "$data"/backups 2>/dev/null | grep -q . && fail "a reinstall of the same version backed up the database"
apt_get remove "$pkg" >/dev/null
echo "package test: installed, ran, removed, reinstalled, ran and removed; the dossier survived"
