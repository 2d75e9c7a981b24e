#!/usr/bin/env bash
# Sets everything up, builds HoSo and runs it. Data goes to $HOSO_DATA_DIR, or
# ~/.local/share/hoso by default. Without a display, HoSo runs on a virtual one (Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
npm --prefix ui run --silent build
cargo build --locked -p hoso-desktop -p hoso-cli

app=target/debug/hoso-desktop
echo "HoSo: data in ${HOSO_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/hoso}"
echo "HoSo: command line tool at target/debug/hoso (try: target/debug/hoso procedures)"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "HoSo: no display found, so the window opens on a virtual display (Xvfb)." \
       "Set DISPLAY to see it on a screen. Stop with Ctrl+C."
  exec xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" "$app" "$@"
fi
exec "$app" "$@"
