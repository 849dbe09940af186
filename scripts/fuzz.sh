#!/usr/bin/env bash
# Builds the libFuzzer target over ingestion (Tests/Fuzz/IngestionFuzzer) and runs it for a
# bounded time; `make fuzz` calls it. With files as arguments, runs just those inputs once
# (to reproduce an artifact) instead of fuzzing.
#
# Knobs (environment): FUZZ_SECONDS (60) total fuzzing time; FUZZ_MAX_LEN (262144) largest
# input in bytes; FUZZ_TIMEOUT (10) seconds one input may take before it counts as a hang;
# FUZZ_RSS_MB (2048) memory limit; FUZZ_ASAN (1) also build with AddressSanitizer, 0 for
# libFuzzer alone; FUZZ_DIR (.fuzz) where the working corpus (FUZZ_DIR/corpus) and the
# crash/timeout/oom artifacts (FUZZ_DIR/artifacts) go, both outside git; FUZZ_FLAGS more
# libFuzzer flags, e.g. "-seed=1 -runs=100000".
#
# Exits non-zero when the fuzzer found a crash, a hang or an out-of-memory input (or the build
# failed); the artifact's path is printed, to be turned into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"

seconds=${FUZZ_SECONDS:-60}
max_len=${FUZZ_MAX_LEN:-262144}
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
asan=${FUZZ_ASAN:-1}
dir=${FUZZ_DIR:-.fuzz}
read -r -a extra <<<"${FUZZ_FLAGS:-}"

# The fuzz target is in the package graph only with SIFTD_FUZZ set. SwiftPM's own
# --sanitize=fuzzer (not only -Xswiftc -sanitize=fuzzer) matters: with it SwiftPM leaves the
# executable's `main` alone, so libFuzzer's main is the one linked in. With ASan, SwiftPM hands
# swiftc `-sanitize=fuzzer -sanitize=address`, and swiftc keeps only the last of those: the
# Swift code would get ASan but no coverage, and the fuzzer would be blind. The trailing
# -Xswiftc -sanitize=fuzzer,address (user flags come last) gives Swift both; the C targets get
# -fsanitize=fuzzer -fsanitize=address from SwiftPM, which clang combines.
scratch=.build-fuzz
sanitizers=(--sanitize=fuzzer)
if [ "$asan" != 0 ]; then
  sanitizers+=(--sanitize=address -Xswiftc -sanitize=fuzzer,address)
else
  scratch=.build-fuzz-noasan   # a different instrumentation: kept apart so neither rebuilds the other
fi

echo "fuzz: building IngestionFuzzer (release, ${sanitizers[*]}) in $scratch"
SIFTD_FUZZ=1 swift build -c release --scratch-path "$scratch" --product IngestionFuzzer "${sanitizers[@]}"
binary="$(SIFTD_FUZZ=1 swift build -c release --scratch-path "$scratch" "${sanitizers[@]}" --show-bin-path)/IngestionFuzzer"

# Swift's own crash backtracer would take over the crash signal from libFuzzer (and spend
# seconds symbolicating); libFuzzer and ASan report the crash and save the input instead.
export SWIFT_BACKTRACE=enable=no
# The Swift runtime keeps caches for the life of the process that LeakSanitizer would report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer >/dev/null 2>&1; then
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer)"
fi

if (($#)); then
  exec "$binary" -timeout="$timeout" -rss_limit_mb="$rss_mb" "${extra[@]}" "$@"
fi

corpus="$dir/corpus"
artifacts="$dir/artifacts"
mkdir -p "$corpus" "$artifacts"
before="$(ls -1 "$artifacts")"

echo "fuzz: $seconds s, inputs up to $max_len bytes, $timeout s per input at most, $rss_mb MB;" \
  "working corpus $corpus, seeds Tests/Fuzz/Corpus and Tests/Fuzz/Regressions, artifacts $artifacts/"
status=0
# The working corpus comes first: libFuzzer writes new inputs only into the first directory,
# so the committed seeds are read and never changed.
"$binary" "$corpus" Tests/Fuzz/Corpus Tests/Fuzz/Regressions \
  -dict=Tests/Fuzz/html-json.dict \
  -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" -max_len="$max_len" \
  -artifact_prefix="$artifacts/" -print_final_stats=1 \
  "${extra[@]}" || status=$?

found="$(comm -13 <(printf '%s\n' "$before") <(ls -1 "$artifacts"))"
if [ -n "$found" ]; then
  echo "fuzz: new artifacts in $artifacts/:"
  printf '  %s\n' $found
fi
if ((status != 0)); then
  echo "fuzz: the fuzzer stopped with status $status (a crash, a hang or out of memory; see above)." >&2
  echo "fuzz: reproduce with: scripts/fuzz.sh $artifacts/<artifact>; once fixed, keep the input in Tests/Fuzz/Regressions/ (make test replays it)." >&2
  exit "$status"
fi
echo "fuzz: no crash, hang or out-of-memory input in $seconds s; artifacts (if any, from earlier runs) are in $artifacts/"
