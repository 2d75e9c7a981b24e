#!/usr/bin/env bash
# Installs everything HoSo needs to build, run and test on Debian 12, idempotently:
# system packages (only the missing ones), Rust components, npm packages (only when a lock file
# changed) and the pinned cargo tools. Run as root, or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

TAURI_DRIVER_VERSION=2.1.0

APT_PACKAGES=(
  build-essential pkg-config file curl python3
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev libssl-dev libdbus-1-dev
  libheif-dev
  xvfb xauth webkit2gtk-driver imagemagick x11-utils poppler-utils
  # Reading archive pages (OCR) in Vietnamese.
  tesseract-ocr tesseract-ocr-vie
  # A session bus for the single-instance end-to-end test.
  dbus-daemon
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3; do
    if "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q &&
       "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"; then
      break
    fi
    [ "$attempt" = 3 ] && { echo "setup: apt-get failed three times" >&2; exit 1; }
    sleep 10
  done
fi

# Rust: the machine's toolchain, plus the components the checks use.
if ! command -v cargo >/dev/null; then
  echo "setup: cargo is missing; install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi
for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
done

# npm packages: `npm ci` only when package-lock.json changed since the last install.
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.hoso-lock-sha256"
  local want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund)
    echo "$want" > "$stamp"
  fi
}
npm_ci ui
npm_ci tests/e2e
npm_ci tests/tus-peer

# Test peers no one here wrote, fetched from PyPI by pinned file and SHA-256 (pure Python; the
# tests import them straight from the wheel): vietnam-qr-pay (MIT) reads HoSo's VietQR codes.
peer() {
  local name=$1 file=$2 sha=$3 dest=".cache/peers/$2"
  if [ -f "$dest" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$sha" ]; then return; fi
  echo "setup: fetching $file from PyPI"
  mkdir -p .cache/peers
  local url
  url=$(curl -fsSL --retry 3 "https://pypi.org/simple/$name/" | grep -o "https://[^\"#]*/$file" | head -n1)
  [ -n "$url" ] || { echo "setup: $file is not on PyPI's index" >&2; exit 1; }
  curl -fsSL --retry 3 -o "$dest.part" "$url"
  if [ "$(sha256sum "$dest.part" | cut -d' ' -f1)" != "$sha" ]; then
    echo "setup: $file does not have the pinned SHA-256" >&2
    rm -f "$dest.part"
    exit 1
  fi
  mv "$dest.part" "$dest"
}
peer vietnam-qr-pay vietnam_qr_pay-1.0.0-py3-none-any.whl \
  100b736f9eae929a1ed47432728c58c7c8370dfeb427ecabf424f25d7b2d28cb

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests.
if ! cargo install --list | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
  echo "setup: cargo install tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked
fi
echo "setup: ready"
