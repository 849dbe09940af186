#!/usr/bin/env bash
# Retrains the Arabic entity model shipped in Sources/Plugins/SiftEntityTagger/Resources/ner.model:
# word classes from the ANT corpus and ANERcorp's training part, then the tagger on ANERcorp
# (its last 10% held out for development and scored at the end), with ANERgazet, the CLDR
# place and currency names (Debian: unicode-cldr-core), the wordfreq Arabic word frequencies and
# names harvested from the ANT corpus. Each pass is a conditional random field (L2 0.03, at most
# 150 L-BFGS iterations, weights below 0.05 pruned), which, unlike the perceptron, does not
# depend on the order of the sentences: on two processors the script reproduces the committed
# model (the gradient is summed in one share per processor).
# Usage: scripts/train-ner.sh [SHARED_DATA_DIR=../shared/data]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}
cldr=/usr/share/unicode/cldr/common/main
[ -f "$cldr/ar.xml" ] || apt-get install -y unicode-cldr-core
swift build -c release --product siftd
classes=$(mktemp "${TMPDIR:-/tmp}/siftd-classes.XXXXXX")
trap 'rm -f "$classes"' EXIT
.build/release/siftd train word-classes --corpus "$data/corpus/ant-cnn-arabic" \
  --conll "$data/ner/anercorp/train.txt" --out "$classes"
.build/release/siftd train ner --data "$data/ner/anercorp/train.txt" --gazetteers "$data/ner/anergazet" \
  --cldr "$cldr/ar.xml" --cldr "$cldr/en.xml" --cldr "$cldr/fr.xml" --classes "$classes" \
  --frequencies "$data/wordfreq/ar.tsv" --harvest "$data/corpus/ant-cnn-arabic" \
  --algorithm crf --l2 0.03 --iterations 150 --prune-below 0.05 --out Sources/Plugins/SiftEntityTagger/Resources/ner.model
