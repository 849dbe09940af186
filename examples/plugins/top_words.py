#!/usr/bin/env python3
"""A complete siftd external plugin: the five most frequent words of each document."""
import collections, json, re, sys

def send(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()

for line in sys.stdin:
    message = json.loads(line)
    if message["type"] == "hello":
        send({"type": "hello", "protocol": 1, "name": "top-words", "version": "1.0.0",
              "requires": [], "provides": ["top_words"]})
    elif message["type"] == "process":
        words = re.findall(r"\w{4,}", message["document"]["text"].lower())
        top = [{"word": w, "count": c} for w, c in collections.Counter(words).most_common(5)]
        send({"type": "result", "id": message["id"], "annotations": {"top_words": top}})
