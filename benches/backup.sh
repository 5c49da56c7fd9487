#!/usr/bin/env bash
# The backup engine into SQLite, for BENCHMARKS.md ("Backup and sync"):
# builds the `chatdesk-sqlite` bench and example in release, then runs
#   - the bench `backup` (rate-limited full backup, 20 ms latency at the
#     default concurrency against concurrency 1, a sync after 1 % of the
#     conversations changed), which prints a table of figures against
#     their targets; BACKUP_RUNS sets its runs per row (default 2); then
#     its row (1) alone at 500 requests per 10 s;
#   - the example `backup_rss` RSS_RUNS times (default 2): a backup of about
#     100,000 messages with the fake server in a child process, printing
#     the backup's own peak RSS (VmHWM) against the 64 MB target.
# Honours CARGO_TARGET_DIR. Exits non-zero if a run fails or a memory run
# misses its target (the bench's table says PASS/FAIL for its own figures).
set -euo pipefail
cd "$(dirname "$0")/.."
RSS_RUNS=${RSS_RUNS:-2}
TARGET_DIR=${CARGO_TARGET_DIR:-target}

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), $(uname -sr), $(rustc --version)"
cargo build --quiet --release -p chatdesk-sqlite --example backup_rss
cargo bench --quiet -p chatdesk-sqlite --bench backup
# Row (1) again at the same rate in 10-second windows (500 per 10 s): the
# whole backup fits one minute's 3,000, so the row above never waits;
# this one waits at every window.
BACKUP_ONLY=limited BACKUP_WINDOW_SECS=10 cargo bench --quiet -p chatdesk-sqlite --bench backup

FAILED=0
for run in $(seq "$RSS_RUNS"); do
    line=$("$TARGET_DIR/release/examples/backup_rss")
    echo "memory run $run: $line"
    case $line in *PASS*) ;; *) FAILED=1 ;; esac
done
exit "$FAILED"
