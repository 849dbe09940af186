#!/usr/bin/env python3
"""How well can any word-frequency model do on the Persian and Urdu single words?

Many of the single words in ../shared/data/langid/dev/single-words/{fa,ur}.txt are in *both*
the Persian and the Urdu wordfreq lists. For such a word, the only evidence a model trained on
those lists has is how frequent the word is in each; a decision is then a threshold on the
ratio of the two frequencies. This script tries every threshold and prints, for the best ones,
how many of the shared words each side gets right, and the accuracy each side would reach if
every other word (not shared) were classified correctly -- an upper bound.

Usage: scripts/langid-fa-ur-bound.py [SHARED_DATA_DIR=../shared/data]
"""
import math
import sys

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"


def frequencies(code):
    table = {}
    with open(f"{data}/wordfreq/{code}.tsv", encoding="utf-8") as file:
        for line in file:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2:
                table[fields[0]] = float(fields[1])
    return table


fa, ur = frequencies("fa"), frequencies("ur")
samples = {}
for code in ("fa", "ur"):
    with open(f"{data}/langid/dev/single-words/{code}.txt", encoding="utf-8") as file:
        samples[code] = [line.strip() for line in file if line.strip()]

shared = [(word, code) for code in samples for word in samples[code] if word in fa and word in ur]
count = {code: sum(1 for _, c in shared if c == code) for code in samples}
ratios = sorted({math.log(fa[w] / ur[w]) for w, _ in shared})
thresholds = [ratios[0] - 1] + [(a + b) / 2 for a, b in zip(ratios, ratios[1:])] + [ratios[-1] + 1]
results = []
for threshold in thresholds:
    right = {"fa": 0, "ur": 0}
    for word, code in shared:
        guess = "fa" if math.log(fa[word] / ur[word]) > threshold else "ur"
        right[code] += guess == code
    results.append((min(right.values()), right["fa"] + right["ur"], threshold, right))
results.sort(reverse=True)
print(f"shared words: fa {count['fa']} of {len(samples['fa'])}, ur {count['ur']} of {len(samples['ur'])}")
for _, _, threshold, right in results[:5]:
    bound = {c: 100 * (len(samples[c]) - count[c] + right[c]) / len(samples[c]) for c in samples}
    print(f"threshold {threshold:+.2f}: shared right fa {right['fa']}/{count['fa']}, ur {right['ur']}/{count['ur']}"
          f" -> upper bound fa {bound['fa']:.1f}%, ur {bound['ur']:.1f}%")
need = {c: math.ceil(0.93 * len(samples[c])) - (len(samples[c]) - count[c]) for c in samples}
best = max((r[3]["ur"] for r in results if r[3]["fa"] >= need["fa"]), default=0)
print(f"93% on both needs at least {need['fa']} shared fa and {need['ur']} shared ur words right at one threshold;"
      f" with {need['fa']} fa right, the most ur right at any threshold is {best}"
      + (" -- unreachable" if best < need["ur"] else ""))
