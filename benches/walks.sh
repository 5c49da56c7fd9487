#!/usr/bin/env bash
# Walks of 10,000 items from a fake server with 20 ms per request, for
# BENCHMARKS.md: time, requests, retries (printed by the walker) and peak
# memory of the walker process (from /usr/bin/time -v). The fake server runs
# in its own process so that its data set does not count.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${ITEMS:-10000}
LATENCY_MS=${LATENCY_MS:-20}
# Share of requests the fake answers with 429, to show retries (0 = none).
FAULT_RATE=${FAULT_RATE:-0}
cargo build --release --example walk_benchmark >/dev/null 2>&1
BIN=target/release/examples/walk_benchmark

serve() {
    local platform=$1 out
    out=$(mktemp)
    "$BIN" serve "$platform" "$ITEMS" "$LATENCY_MS" "$FAULT_RATE" >"$out" &
    SERVER=$!
    for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
    read -r URL TOKEN <"$out"
    rm -f "$out"
}

walk() {
    local log
    log=$(mktemp)
    /usr/bin/time -v "$BIN" walk "$@" "$URL" "$TOKEN" ${CONCURRENCY:-} ${PER_PAGE:-} 2>"$log" | tr -d '\n'
    echo " peak_rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
    rm -f "$log"
}

echo "items: $ITEMS, latency: $LATENCY_MS ms, share of 429: $FAULT_RATE"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), $(uname -sr)"
serve chatwoot
CONCURRENCY= walk chatwoot-conversations
CONCURRENCY=1 walk chatwoot-conversations
kill "$SERVER"
serve chatbotx
CONCURRENCY= PER_PAGE= walk chatbotx-conversations
CONCURRENCY=1 PER_PAGE=20 walk chatbotx-conversations
CONCURRENCY= PER_PAGE= walk chatbotx-contacts
CONCURRENCY=1 PER_PAGE= walk chatbotx-contacts
kill "$SERVER"
