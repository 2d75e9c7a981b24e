#!/usr/bin/env bash
# Sets everything up, builds HoSo and runs it, together with a local reference portal on
# 127.0.0.1 so a dossier can go all the way to "Đã nộp". Data goes to $HOSO_DATA_DIR, or
# ~/.local/share/hoso by default; the demo portal keeps its data in
# ~/.local/share/hoso-portal-demo. Without a display, HoSo runs on a virtual one (Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
npm --prefix ui run --silent build
cargo build --locked -p hoso-desktop -p hoso-cli -p hoso-portal

share="${XDG_DATA_HOME:-$HOME/.local/share}"
app=target/debug/hoso-desktop
portal_bin=target/debug/hoso-portal

# The local reference portal, unless the person points HoSo at another one.
portal_pid=""
if [ -z "${HOSO_PORTAL_URL:-}" ]; then
  portal_data="$share/hoso-portal-demo"
  mkdir -p "$portal_data"
  if [ ! -s "$portal_data/demo-token" ]; then
    "$portal_bin" token create --data "$portal_data" --label demo > "$portal_data/demo-token"
  fi
  log="$portal_data/portal.log"
  port=8787
  # 8787 if free, else any free port.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then port=0; fi
  "$portal_bin" --listen "127.0.0.1:$port" --data "$portal_data" > "$log" 2>&1 &
  portal_pid=$!
  trap '[ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    grep -q "listening on" "$log" 2>/dev/null && break
    sleep 0.1
  done
  HOSO_PORTAL_URL=$(grep -o 'http://[0-9.:]*' "$log" | head -n 1)
  export HOSO_PORTAL_URL
  HOSO_PORTAL_TOKEN=$(cat "$portal_data/demo-token")
  export HOSO_PORTAL_TOKEN
  echo "HoSo: local reference portal at $HOSO_PORTAL_URL (data in $portal_data)"
  echo "      act as the back office with: $portal_bin dossiers list --data $portal_data"
  echo "      and: $portal_bin dossiers set-state --data $portal_data <RECEIPT> processing --message '…'"
fi

echo "HoSo: data in ${HOSO_DATA_DIR:-$share/hoso}"
echo "HoSo: command line tool at target/debug/hoso (try: target/debug/hoso procedures)"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "HoSo: no display found, so the window opens on a virtual display (Xvfb)." \
       "Set DISPLAY to see it on a screen. Stop with Ctrl+C."
  xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" "$app" "$@"
else
  "$app" "$@"
fi
