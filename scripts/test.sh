#!/usr/bin/env bash
# Sets everything up and runs every test HoSo has: formatting, lints, the crates' tests, the UI's
# type check and unit tests, and the end-to-end tests of the real app window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

begin=$SECONDS
step() {
  printf '\n==> %s  (%d s so far)\n' "$*" "$((SECONDS - begin))"
}

step "set-up"
scripts/setup.sh
step "rustfmt"
cargo fmt --all --check
step "UI type check (svelte-check)"
npm --prefix ui run --silent check
step "UI unit tests (vitest)"
npm --prefix ui run --silent test
step "UI build"
npm --prefix ui run --silent build
step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "crate tests"
cargo test --workspace --locked
step "app build"
cargo build --locked -p hoso-desktop -p hoso-cli -p hoso-portal
step "end-to-end tests (real window, Xvfb, tauri-driver)"
npm --prefix tests/e2e run --silent test
printf '\nAll tests passed in %d s.\n' "$((SECONDS - begin))"
