#!/usr/bin/env bash
# Feeds DOCUMENTS seed copies through one running release siftd with the default pipeline, in
# batches, and reports its resident memory after each batch. Fails (exit 1) when the memory grew
# by more than LIMIT_MB from the end of the warm-up batches to the end.
#
# Each copy is made unique (a repeated input would be a duplicate) by its number written digit by
# digit ("4 1 0 7"): no new word per document, so the entity tagger's token cache, bounded at
# 32,768 words, fills in the warm-up and what grows after it is a leak, not vocabulary.
# Usage: scripts/measure-memory.sh [DOCUMENTS=50000] [BATCH=5000] [WARMUP_BATCHES=2] [LIMIT_MB=5]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/measure-lib.sh
documents=${1:-50000}
batch=${2:-5000}
warmup=${3:-2}
limit_mb=${4:-5}
binary=$(release_binary)
spool=$(mktemp -d "${TMPDIR:-/tmp}/siftd-memory.XXXXXX")
pid=
trap '{ [ -n "$pid" ] && kill "$pid" && wait "$pid"; } 2>/dev/null || true; rm -rf "$spool"' EXIT
mkdir -p "$spool/staging" "$spool/inbox"
# Inputs are deleted once processed and results removed after each batch, as a consumer would:
# the spool's directories stay small, and only the daemon's memory is measured.
printf 'on_success: delete\n' > "$spool/siftd.yaml"
SIFTD_SETTLE_MS=0 "$binary" run --spool "$spool" --instance memory --config "$spool/siftd.yaml" --log-level error &
pid=$!
until [ -f "$spool/work/memory/.lock" ]; do sleep 0.05; done
seeds=(seeds/*)
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
total=0
baseline=
start=$SECONDS
while ((total < documents)); do
  for ((i = total; i < total + batch; i++)); do
    digits=
    for ((k = 0; k < ${#i}; k++)); do digits+="${i:k:1} "; done
    { cat "${seeds[i % ${#seeds[@]}]}"; printf '\n%s\n' "$digits"; } > "$spool/staging/$i.txt"
  done
  rename_all "$spool/staging" "$spool/inbox"
  until (( $(find "$spool/outbox" -type f -name '*.json' | wc -l) >= batch )); do sleep 0.5; done
  find "$spool/outbox" -type f -name '*.json' -delete
  total=$((total + batch))
  now=$(rss)
  echo "after $total documents: RSS $now kB ($((SECONDS - start)) s)"
  if ((total == warmup * batch)); then baseline=$now; fi
done
growth=$(( $(rss) - ${baseline:-$(rss)} ))
echo "growth after warm-up: $growth kB over $((total - warmup * batch)) documents (limit $limit_mb MB)"
(( growth <= limit_mb * 1024 ))
