#!/usr/bin/env bash
# The benchmarks against their committed thresholds (Benchmarks/Thresholds), or those thresholds
# recorded anew. See Benchmarks/README.md; the tolerances and why: docs/performance.md.
#
#   scripts/bench-thresholds.sh check          (make bench-check)
#     Builds and runs every benchmark and compares each metric's p90 with its committed value,
#     within the tolerance the benchmark declares in code (Benchmarks/*/Tolerances.swift).
#     A benchmark past a tolerance is run once more, alone: noise rarely strikes twice, a
#     regression does. Exits 1 if it fails again, naming the benchmark and the metric, or if a
#     benchmark has no committed threshold. Figures better than their tolerance pass, with a note.
#   scripts/bench-thresholds.sh update [RUNS]  (make bench-thresholds; RUNS defaults to 3)
#     Runs the benchmarks RUNS times and writes, for each benchmark and metric, the median of the
#     runs' p90s (one run on a shared machine can be a lucky or an unlucky one).
#
# Both use only the inputs a clean clone has (SIFTD_BENCH_CLEAN_CLONE: not ../shared), so the
# benchmarks, their names and their figures are those CI sees.
set -uo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
thresholds=$PWD/Benchmarks/Thresholds
spools="${TMPDIR:-/tmp}/siftd-bench"
export SIFTD_BENCHMARKS=1 SIFTD_BENCH_CLEAN_CLONE=1
work=$(mktemp -d)
trap 'rm -rf "$work" "$spools"' EXIT

benchmark() {
  rm -rf "$spools"
  "$swift" package --scratch-path .build-bench --allow-writing-to-package-directory benchmark "$@"
}

# The benchmarks' threshold files, one a line: the name `thresholds update` writes ('/' and ' '
# become '_'), a tab, and the name `thresholds check` reads (the benchmark's own name: the tool
# does not clean it there, ordo-one/benchmark#301). Builds the benchmarks if needed.
threshold_files() {
  benchmark list --no-progress >"$work/list" 2>&1 || { cat "$work/list" >&2; return 1; }
  awk '/^Target .* available benchmarks:$/ { target = $2; gsub(/'\''/, "", target); next }
       target != "" && NF { cleaned = $0; gsub(/[\/ ]/, "_", cleaned)
         print target "." cleaned ".p90.json\t" target "." $0 ".p90.json" }
       !NF { target = "" }' "$work/list"
}

# check LOG [FILTER…]: one thresholds check; 0 within, 1 regressed, 2 did not run through.
check() {
  local log=$1
  shift
  benchmark thresholds check --path "$thresholds" --no-progress "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if grep -q "WORSE than the defined thresholds" "$log"; then return 1; fi
  # The tool also exits non-zero when figures are only better than their tolerance.
  if [ "$status" -ne 0 ] && ! grep -q "BETTER than the defined thresholds" "$log"; then return 2; fi
  return 0
}

# The regressions in a check's LOG (the tool's tables), one a line:
# NAME<TAB>TARGET:NAME — METRIC: p90 THRESHOLD → NOW UNIT (+DIFFERENCE, tolerance TOLERANCE).
regressions() {
  awk -F'│|\\|' '
    /^Deviations (worse|better) than threshold for / {
      worse = ($0 ~ /^Deviations worse/); full = $0; sub(/^Deviations [a-z]+ than threshold for /, "", full)
      name = full; sub(/^[^:]*:/, "", name); next }
    worse && NF > 5 && $2 ~ /\(.*, (%|Δ)\) *$/ {
      metric = $2; gsub(/^ +| +$/, "", metric); relative = (metric ~ /%\)$/)
      unit = metric; sub(/^.*\(/, "", unit); sub(/, .*$/, "", unit); unit = (unit == "#") ? "" : " " unit
      sub(/ \([^()]*, (%|Δ)\)$/, "", metric); next }
    worse && NF > 5 && $2 ~ /^ *p90 *$/ {
      for (i = 3; i <= 6; i++) gsub(/^ +| +$/, "", $i)
      printf "%s\t%s — %s: p90 %s → %s%s (+%s%s, tolerance %s%s)\n", name, full, metric, $3, $4, unit,
        $5, relative ? "%" : unit, $6, relative ? "%" : unit }' "$1"
}

case "${1:-}" in
check)
  files=$(threshold_files) || { echo "bench-check: FAILED, the benchmarks did not build" >&2; exit 2; }
  missing=$(while IFS=$'\t' read -r _ file; do [ -e "$thresholds/$file" ] || echo "  $file"; done <<<"$files")
  check "$work/first"
  status=$?
  if [ "$status" -eq 1 ]; then
    regressions "$work/first" >"$work/regressed"
    echo
    echo "bench-check: past a tolerance, running again alone:"
    cut -f2 "$work/regressed" | sed 's/^/  /'
    filters=()
    while IFS=$'\t' read -r name _; do
      filters+=(--filter "$(printf '%s' "$name" | sed 's/[][\.*^$+?(){}|/]/\\&/g')")
    done < <(cut -f1 "$work/regressed" | sort -u)
    check "$work/again" "${filters[@]}"
    status=$?
  fi
  echo
  if [ "$status" -eq 2 ]; then
    echo "bench-check: FAILED, the benchmarks did not build or run through (output above)" >&2
    exit 2
  fi
  if [ "$status" -eq 1 ]; then
    echo "bench-check: FAILED, regressed past the committed thresholds ($thresholds) twice in a row:" >&2
    regressions "$work/again" | cut -f2 | sed 's/^/  /' >&2
    echo "If the cost is deliberate: make bench-thresholds, and commit the new thresholds with the reason." >&2
    exit 1
  fi
  if [ -n "$missing" ]; then
    echo "bench-check: FAILED, benchmarks without a committed threshold (renamed, or new):" >&2
    echo "$missing" >&2
    echo "Record them with make bench-thresholds and commit them." >&2
    exit 1
  fi
  if grep -q "BETTER than the defined thresholds" "$work/first" "$work/again" 2>/dev/null; then
    echo "bench-check: passed; some figures are better than their thresholds by more than the tolerance"
    echo "(above): if that lasts, make bench-thresholds records it."
  else
    echo "bench-check: passed, every figure within its tolerance of $thresholds."
  fi
  ;;
update)
  runs=${2:-3}
  threshold_files >"$work/names" || { echo "bench-thresholds: the benchmarks did not build" >&2; exit 2; }
  for ((run = 1; run <= runs; run++)); do
    echo "bench-thresholds: run $run of $runs"
    benchmark thresholds update --path "$work/$run" --no-progress || exit $?
  done
  rm -f "$thresholds"/*.p90.json
  mkdir -p "$thresholds"
  # Throughput is left out: it is the same samples as the wall clock, and `thresholds update`
  # (1.38.1) records its fast tail while `thresholds check` compares its slow one.
  python3 - "$work" "$thresholds" "$runs" <<'EOF'
import json, os, statistics, sys
work, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = [os.path.join(work, str(run)) for run in range(1, runs + 1)]
# Written under the name `thresholds check` looks for (see threshold_files).
readable = dict(line.rstrip("\n").split("\t") for line in open(os.path.join(work, "names")) if "\t" in line)
for name in sorted({name for run in runs for name in os.listdir(run)}):
    figures = [json.load(open(os.path.join(run, name))) for run in runs if os.path.exists(os.path.join(run, name))]
    metrics = sorted({metric for figure in figures for metric in figure} - {"throughput"})
    median = {metric: statistics.median_low([f[metric] for f in figures if metric in f]) for metric in metrics}
    with open(os.path.join(out, readable.get(name, name)), "w") as file:
        file.write(json.dumps(median, indent=2, sort_keys=True) + "\n")
    print(readable.get(name, name))
    for metric in metrics:
        print(f"  {metric}: {median[metric]} (runs: {', '.join(str(f.get(metric, '-')) for f in figures)})")
EOF
  [ $? -eq 0 ] || { echo "bench-thresholds: FAILED writing the thresholds" >&2; exit 2; }
  echo "bench-thresholds: wrote $thresholds; review the diff and commit it with the reason."
  ;;
*)
  echo "usage: $0 check | update [RUNS]" >&2
  exit 2
  ;;
esac
