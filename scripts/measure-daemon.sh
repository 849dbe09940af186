#!/usr/bin/env bash
# Measures the release siftd binary on a burst of seed copies: documents per second from the
# first drop to the last durable result, the daemon's CPU time (user and system) per document
# over the same span, and its peak resident memory (VmHWM).
# Usage: scripts/measure-daemon.sh [DOCUMENTS=2000] [WORKERS=0 (one per core)]
# SIFTD_INPUTS=DIR takes the articles from DIR (e.g. ant-multisource articles, one per file)
# instead of the seeds, each copy made unique by its number.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/measure-lib.sh
count=${1:-2000}
workers=${2:-0}
binary=$(release_binary)
spool=$(mktemp -d "${TMPDIR:-/tmp}/siftd-measure.XXXXXX")
trap '{ kill "$pid" && wait "$pid"; } 2>/dev/null || true; rm -rf "$spool"' EXIT
mkdir -p "$spool/staging" "$spool/inbox"
seeds=("${SIFTD_INPUTS:-seeds}"/*)
for ((i = 0; i < count; i++)); do
  seed=${seeds[i % ${#seeds[@]}]}
  name="$i-$(basename "$seed")"
  # Unique content, as real inputs are (a repeated seed would be a duplicate).
  if [[ $seed == *.json ]]; then
    { printf '{"n": %d,' "$i"; tail -c +2 "$seed"; } > "$spool/staging/$name"
  else
    { cat "$seed"; printf '\n%d\n' "$i"; } > "$spool/staging/$name"
  fi
done
SIFTD_SETTLE_MS=0 SIFTD_WORKERS=$workers "$binary" run --spool "$spool" --instance measure --log-level error &
pid=$!
until [ -f "$spool/work/measure/.lock" ]; do sleep 0.05; done
sleep 0.2
cpu_before=$(awk '{print ($14 + $15) / 100}' "/proc/$pid/stat")
start=$(date +%s.%N)
rename_all "$spool/staging" "$spool/inbox"
# Polled lightly (the measurement shares the cores with the daemon): the end is when the last
# input was moved into processed/, its change time.
wait_for_files "$spool/processed" "$count"
end=$(find "$spool/processed" -maxdepth 1 -type f -printf '%C@\n' | sort -n | tail -1)
hwm=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status")
cpu=$(awk -v b="$cpu_before" '{print ($14 + $15) / 100 - b}' "/proc/$pid/stat")
kill -TERM "$pid"; wait "$pid" || true
awk -v n="$count" -v s="$start" -v e="$end" -v m="$hwm" -v c="$cpu" 'BEGIN {
  printf "%d documents in %.2f s: %.0f documents/second, %.2f ms of CPU each; daemon peak RSS %s\n", n, e - s, n / (e - s), 1000 * c / n, m }'
