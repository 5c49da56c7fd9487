#!/usr/bin/env bash
# Peak memory of the `chatdesk` command-line tool exporting 100,000 items to
# a file, for BENCHMARKS.md and the target "streaming 100,000 items keeps
# peak RSS under 64 MB". The fake server runs in its own process (the
# walk_benchmark example's `serve`), so that its data set does not count;
# the CLI runs under /usr/bin/time -v for its peak RSS and wall time.
#
# One line per run: listing, items (lines in the output file), wall seconds,
# peak RSS in MB and PASS/FAIL against the target. Exits non-zero if a run
# fails, exports the wrong number of items, or misses the target.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${ITEMS:-100000}
# No latency: memory, not time, is measured here.
LATENCY_MS=${LATENCY_MS:-0}
TARGET_MB=${TARGET_MB:-64}
# The ChatbotX fake can be given another size, and either fake more time
# to start.
CHATBOTX_ITEMS=${CHATBOTX_ITEMS:-$ITEMS}
STARTUP_S=${STARTUP_S:-60}
cargo build --quiet --release -p chatdesk-cli --bin chatdesk >/dev/null 2>&1
cargo build --quiet --release --example walk_benchmark >/dev/null 2>&1
CLI=target/release/chatdesk
SERVE=target/release/examples/walk_benchmark

WORK=$(mktemp -d)
FAILED=0
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Starts the fake for $1 with $2 items in the background and sets URL and
# TOKEN from the line it prints once its data set is generated (a few
# seconds for 100,000). Returns non-zero if it does not start in time.
serve() {
    local platform=$1 items=$2 out=$WORK/serve.out
    : >"$out"
    "$SERVE" serve "$platform" "$items" "$LATENCY_MS" >"$out" &
    SERVER=$!
    for _ in $(seq $((STARTUP_S * 10))); do
        [ -s "$out" ] && break
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.1
    done
    if ! [ -s "$out" ]; then
        echo "the $platform fake server with $items items did not start within $STARTUP_S s" >&2
        stop
        return 1
    fi
    read -r URL TOKEN <"$out"
}

# skip NAME...: a FAIL line for each run that could not happen.
skip() {
    local name
    for name in "$@"; do
        printf '%-36s %s\n' "$name" "FAIL (no fake server)"
    done
    FAILED=1
}

stop() {
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
}

# run NAME TOKEN_VARIABLE CLI-ARGS...: one export of every item to a file,
# the token passed only through the environment.
run() {
    local name=$1 variable=$2
    shift 2
    local out=$WORK/export.jsonl log=$WORK/time.log err=$WORK/stderr.log status=0
    rm -f "$out" "$WORK"/export.ckpt*
    # `export` in a subshell: the token is in no process's arguments.
    (
        export "$variable=$TOKEN"
        exec /usr/bin/time -v -o "$log" "$CLI" --base-url "$URL" "$@" --output "$out"
    ) 2>"$err" || status=$?
    local items rss_kb wall rss_mb verdict
    items=0
    [ -f "$out" ] && items=$(wc -l <"$out")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23"
    wall=$(awk '/Elapsed \(wall clock\)/ {
        n = split($NF, t, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + t[i]
        printf "%.2f", s }' "$log")
    rss_mb=$(awk -v kb="${rss_kb:-0}" 'BEGIN { printf "%.1f", kb / 1024 }')
    if [ "$status" -ne 0 ] || [ "$items" -ne "$EXPECTED" ]; then
        verdict="FAIL (exit $status, expected $EXPECTED items)"
        FAILED=1
    elif awk -v kb="$rss_kb" -v mb="$TARGET_MB" 'BEGIN { exit !(kb < mb * 1024) }'; then
        verdict=PASS
    else
        verdict="FAIL (over $TARGET_MB MB)"
        FAILED=1
    fi
    printf '%-36s items=%-7s wall_s=%-7s peak_rss_mb=%-6s %s\n' \
        "$name" "$items" "$wall" "$rss_mb" "$verdict"
    if [ "$status" -ne 0 ]; then
        sed 's/^/    /' "$err" >&2
    fi
}

echo "items: $ITEMS, latency: $LATENCY_MS ms, target: peak RSS < $TARGET_MB MB"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), $(uname -sr)"

EXPECTED=$ITEMS
if serve chatwoot "$ITEMS"; then
    run "chatwoot conversations" CHATWOOT_API_ACCESS_TOKEN \
        chatwoot conversations --account-id 1 --status all
    # fsync of the output and an atomic checkpoint write after every page.
    run "chatwoot conversations --checkpoint" CHATWOOT_API_ACCESS_TOKEN \
        chatwoot conversations --account-id 1 --status all --checkpoint "$WORK/export.ckpt"
    stop
else
    skip "chatwoot conversations" "chatwoot conversations --checkpoint"
fi

EXPECTED=$CHATBOTX_ITEMS
[ "$CHATBOTX_ITEMS" = "$ITEMS" ] || echo "chatbotx items: $CHATBOTX_ITEMS"
if serve chatbotx "$CHATBOTX_ITEMS"; then
    run "chatbotx conversations" CHATBOTX_TOKEN chatbotx conversations
    run "chatbotx contacts" CHATBOTX_TOKEN chatbotx contacts
    stop
else
    skip "chatbotx conversations" "chatbotx contacts"
fi

exit "$FAILED"
