#!/usr/bin/env bash
# Build figures for BENCHMARKS.md: clean build, no-op rebuild, rebuild after
# a spec edit, generated lines per platform, and the rlib with one platform
# against both. Works on a copy of HEAD in a temporary directory, with its
# own target directory, so the checkout is left alone.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$repo" worktree add --detach "$work/src" HEAD >/dev/null 2>&1
cd "$work/src"
export CARGO_TARGET_DIR="$work/target"

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), $(rustc --version)"
cargo fetch >/dev/null 2>&1
echo "clean build, default features (deps included): $(seconds cargo build) s"
echo "no-op rebuild: $(seconds cargo build) s"
sed -i 's/^        uuid:$/        uuid_probe:\n          type: string\n        uuid:/' openapi/chatwoot.yaml
echo "rebuild after adding a field to openapi/chatwoot.yaml: $(seconds cargo build) s"
out=$(ls -td "$CARGO_TARGET_DIR"/debug/build/chatdesk-*/out | head -1)
echo "the new field in the generated code: $(grep -c uuid_probe "$out/chatwoot.rs") mentions"
git checkout -q openapi/chatwoot.yaml
cargo build >/dev/null 2>&1
out=$(ls -td "$CARGO_TARGET_DIR"/debug/build/chatdesk-*/out | head -1)
for platform in chatbotx chatwoot; do
    echo "generated lines, $platform: $(cat "$out/$platform.rs" | wc -l) client + $(cat "$out/${platform}_enums.rs" | wc -l) enums"
done
for features in chatwoot chatbotx "chatwoot,chatbotx"; do
    rm -rf "$CARGO_TARGET_DIR/release"
    t=$(seconds cargo build --release --lib --no-default-features --features "rustls,$features")
    size=$(stat -c %s "$CARGO_TARGET_DIR"/release/libchatdesk.rlib)
    echo "release build with $features: $t s (deps included), libchatdesk.rlib $size bytes"
done
