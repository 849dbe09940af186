#!/usr/bin/env bash
# Each stage's cost per KB at four document sizes (10 KB, 100 KB, 1 MB, 5 MB), from the stage
# durations the release siftd reports in its results (`siftd process`, the default pipeline; the
# least of RUNS runs). Fails (exit 1) when a stage costs more than LIMIT times as much per KB at
# 5 MB as at 100 KB: every stage is meant to be linear in its input.
#
# The documents are news articles from ../shared/data/corpus/ant-multisource joined one after
# another (distinct text, as a long report has), or, without ../shared, the seed articles
# repeated, each copy numbered (the repeats make the later stages' caches look better than
# they are on real text).
# Usage: scripts/measure-scaling.sh [RUNS=3] [LIMIT=1.5]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/measure-lib.sh
runs=${1:-3}
limit=${2:-1.5}
binary=$(release_binary)
work=$(mktemp -d "${TMPDIR:-/tmp}/siftd-scaling.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'EOF'
import glob, gzip, json, os, sys
work = sys.argv[1]
corpus = sorted(glob.glob('../shared/data/corpus/ant-multisource/*.jsonl.gz'))
texts = []
if corpus:
    outlets = []
    for path in corpus:
        with gzip.open(path, 'rt', encoding='utf-8') as lines:
            articles = []
            for number, line in enumerate(lines):
                if number >= 2000:
                    break
                article = json.loads(line)
                articles.append(article['title'] + '\n\n' + article['text'])
            outlets.append(articles)
    # The outlets in turn: their articles are cut into paragraphs differently.
    texts = [article for turn in zip(*outlets) for article in turn]
    source = 'ant-multisource articles, the three outlets in turn'
else:
    texts = [open(path, encoding='utf-8').read() for path in sorted(glob.glob('seeds/*'))]
    source = 'the seeds, repeated'
for name, size in [('10KB', 10_000), ('100KB', 100_000), ('1MB', 1_000_000), ('5MB', 5_000_000)]:
    parts, total, index = [], 0, 0
    while total < size:
        text = texts[index % len(texts)]
        if not corpus:
            text += '\n%d\n' % index
        parts.append(text)
        total += len(text.encode('utf-8')) + 2
        index += 1
    with open(os.path.join(work, name + '.txt'), 'w', encoding='utf-8') as out:
        out.write('\n\n'.join(parts))
print('documents: ' + source)
EOF

for size in 10KB 100KB 1MB 5MB; do
  for ((run = 1; run <= runs; run++)); do
    "$binary" process "$work/$size.txt" >"$work/$size.$run.json"
  done
done

python3 - "$work" "$runs" "$limit" <<'EOF'
import json, os, sys
work, runs, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
sizes = ['10KB', '100KB', '1MB', '5MB']
per_kb = {}
for size in sizes:
    kilobytes = os.path.getsize(os.path.join(work, size + '.txt')) / 1000
    best = {}
    for run in range(1, runs + 1):
        result = json.load(open(os.path.join(work, '%s.%d.json' % (size, run))))
        for stage in result['plugins']:
            best[stage['stage']] = min(best.get(stage['stage'], float('inf')), stage['duration_ms'])
    for stage, milliseconds in best.items():
        per_kb.setdefault(stage, {})[size] = milliseconds / kilobytes
print('%-10s %9s %9s %9s %9s   %s' % ('ms per KB', *sizes, '5MB / 100KB'))
failed = []
for stage, costs in per_kb.items():
    growth = costs['5MB'] / costs['100KB']
    print('%-10s %9.3f %9.3f %9.3f %9.3f   %.2f' % (stage, *(costs[size] for size in sizes), growth))
    if growth > limit:
        failed.append('%s (%.2f)' % (stage, growth))
if failed:
    print('not linear within %.2fx from 100 KB to 5 MB: %s' % (limit, ', '.join(failed)))
    sys.exit(1)
print('every stage linear within %.2fx from 100 KB to 5 MB' % limit)
EOF
