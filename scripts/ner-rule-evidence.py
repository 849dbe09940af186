#!/usr/bin/env python3
"""Counts, on ANERcorp's training part (all but the last 10% of its sentences, the split
`siftd train ner` and `siftd eval ner --last 0.1` use), how often the entity tagger's output
rules (Sources/Plugins/SiftEntityTagger/EntityTagRules.swift) hold in the gold tags:

  1. a quoted span of one to four words after a head word (برنامج « … », صحيفة ' ' … ' ') is
     one name of the head word's type;
  2. a head word is never inside a person's name;
  3. a one-word person's name of the gazetteers, without the article and rarer than Zipf 5,
     just before a person's name is the name's first word.

Words are folded roughly as the tagger folds them (diacritics, tatweel, alef forms, taa
marbuta, alef maqsura), so the counts are close to, not exactly, what the Swift code sees.

Usage: scripts/ner-rule-evidence.py [SHARED_DATA_DIR=../shared/data] [--names HARVEST_FILE]
(HARVEST_FILE: the type<TAB>name lines `siftd train ner --harvest-out` writes; its one-word
PERS names join the gazetteer for rule 3, as they do in the model.)
"""
import collections
import re
import sys

args = sys.argv[1:]
names_file = None
if "--names" in args:
    at = args.index("--names")
    names_file = args[at + 1]
    del args[at:at + 2]
data = args[0] if args else "../shared/data"


def fold(word):
    word = re.sub("[\u064B-\u0652\u0640]", "", word)
    word = re.sub("[أإآ]", "ا", word)
    return word.replace("ة", "ه").replace("ى", "ي")


HEADS = {fold(w): "MISC" for w in ["برنامج", "بعنوان", "فيلم", "رواية", "مسرحية", "أغنية"]}
HEADS.update({fold(w): "ORG" for w in ["صحيفة", "جريدة", "مجلة", "شركة", "مؤسسة", "موقع", "وكالة", "قناة"]})
HEADS[fold("مدينة")] = "LOC"
CLOSE = {"«": "»", '"': '"', "“": "”", "'": "'"}


def head_type(word):
    """The rules' reading of a head word: proclitics (not لل), then a pronoun or accusative ending."""
    candidates = [fold(word)]
    for _ in range(2):
        last = candidates[-1]
        if last and last[0] in "وفبلك" and not (len(candidates) > 1 and candidates[-2][0] == "ل" and last[0] == "ل"):
            candidates.append(last[1:])
        else:
            break
    candidates += [c[: -len(s)] for c in list(candidates) for s in ("ها", "ه", "ا") if c.endswith(s) and len(c) > len(s) + 2]
    return next((HEADS[c] for c in candidates if c in HEADS), None)


def sentences(path):
    result, current = [], []
    for line in open(path, encoding="utf-8"):
        fields = line.split()
        if len(fields) < 2:
            if current:
                result.append(current)
                current = []
            continue
        current.append((fields[0], fields[-1]))
    if current:
        result.append(current)
    return result


everything = sentences(f"{data}/ner/anercorp/train.txt")
train = everything[: len(everything) - round(len(everything) * 0.1)]

# 1. Quoted spans after head words.
quoted = collections.Counter()
for sentence in train:
    tokens = [t for t, _ in sentence]
    tags = [g for _, g in sentence]
    index = 1
    while index < len(tokens):
        if tokens[index] in CLOSE:
            doubled = tokens[index] == "'" and index + 1 < len(tokens) and tokens[index + 1] == "'"
            head = index - 2 if tokens[index - 1] == "'" and index >= 2 else index - 1
            kind = head_type(tokens[head])
            start = index + (2 if doubled else 1)
            end = next((k for k in range(start, min(start + 5, len(tokens))) if tokens[k] == CLOSE[tokens[index]]), None)
            if kind and end and end > start and all(re.search(r"\w", t) for t in tokens[start:end]):
                span = tags[start:end]
                quoted[span[0] == "B-" + kind and all(t == "I-" + kind for t in span[1:])] += 1
                index = end
        index += 1
print(f"1. quoted spans after a head word: {quoted[True]} of {quoted[True] + quoted[False]} are one name of its type")

# 2. Head words inside people's names.
inside = collections.Counter()
for sentence in train:
    for token, tag in sentence:
        if head_type(token):
            inside[tag.endswith("PERS")] += 1
print(f"2. head words: {inside[True]} of {inside[True] + inside[False]} inside a person's name")

# 3. Rare one-word gazetteer names before a person's name.
zipf = {}
for line in open(f"{data}/wordfreq/ar.tsv", encoding="utf-8"):
    fields = line.rstrip("\n").split("\t")
    if len(fields) >= 3:
        try:
            zipf.setdefault(fold(fields[0]), float(fields[2]))
        except ValueError:
            pass
people = {fold(l.split()[0]) for l in open(f"{data}/ner/anergazet/ANERGazet_Pers.txt", encoding="utf-8") if len(l.split()) == 1}
if names_file:
    for line in open(names_file, encoding="utf-8"):
        kind, _, name = line.rstrip("\n").partition("\t")
        if kind == "PERS" and len(name.split()) == 1:
            people.add(fold(name))
first = collections.Counter()
for sentence in train:
    for index in range(1, len(sentence)):
        word = fold(sentence[index - 1][0])
        if word not in people or word.startswith("ال") or zipf.get(word, 0) >= 5:
            continue
        if sentence[index - 1][1] == "B-PERS" and sentence[index][1] == "I-PERS":
            first["first word"] += 1
        elif sentence[index - 1][1] == "O" and sentence[index][1] == "B-PERS":
            first["outside"] += 1
print(f"3. rare gazetteer first names before a person's name: its first word {first['first word']} times, outside it {first['outside']}")
