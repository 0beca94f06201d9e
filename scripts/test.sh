#!/usr/bin/env bash
# Run every check on a fresh machine with the Rust toolchain installed:
# formatting, lints, all tests, then (when the dev corpus is present next to
# the repository) print the evaluation table without failing on the score.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo not found; install the Rust toolchain (https://rustup.rs)" >&2
    exit 1
fi
# rustfmt and clippy ship with the default rustup profile; add them if missing.
if ! cargo fmt --version >/dev/null 2>&1; then
    rustup component add rustfmt
fi
if ! cargo clippy --version >/dev/null 2>&1; then
    rustup component add clippy
fi

# The OGC API test drives GDAL's `ogrinfo`; install it on Debian when we can
# (without it, that test skips with a message).
if ! command -v ogrinfo >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== apt-get install gdal-bin (for the ogrinfo test)"
    { apt-get update -qq && apt-get install -y -qq gdal-bin >/dev/null; } ||
        echo "warning: gdal-bin could not be installed; the ogrinfo test will skip" >&2
fi

echo "== cargo fmt --all --check"
cargo fmt --all --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo test --workspace"
cargo test --workspace

corpus=../shared/corpus/dev
if [ -d "${corpus}" ]; then
    echo "== frontline eval ${corpus} (informative, never fails the run)"
    cargo run --release -q -p frontline -- eval "${corpus}" || echo "warning: eval did not complete" >&2
else
    echo "== ${corpus} not found: evaluation skipped"
fi
