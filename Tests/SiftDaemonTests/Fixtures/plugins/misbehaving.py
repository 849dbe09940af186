#!/usr/bin/env python3
"""A test plugin that misbehaves on purpose, as its first argument says (modes joined by "+"):
ok, slow (0.3 s per document, or slow:SECONDS; it says "processing: TEXT" on stderr first),
and, on documents containing "trigger": hang, garbage, crash, huge, error,
long-stderr (a 1 MiB stderr line, then a short one), spam (30000 stderr lines);
stray (a member it does not declare, beside "echo", on documents containing "trigger"),
provides:NAME (declares NAME instead of "echo");
or at the handshake: bad-hello, silent-hello."""
import json, os, sys, time

mode = sys.argv[1]
modes = dict(part.partition(":")[::2] for part in mode.split("+"))
state_file = sys.argv[2] if len(sys.argv) > 2 else None

def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()

for line in sys.stdin:
    message = json.loads(line)
    if message["type"] == "hello":
        if "silent-hello" in modes:
            time.sleep(60)
        if "bad-hello" in modes:
            send({"type": "hello", "protocol": 99, "name": "x"})
            continue
        if state_file:
            with open(state_file, "a") as f:
                f.write(f"{os.getpid()}\n")
        print(f"misbehaving plugin started in mode {mode}", file=sys.stderr, flush=True)
        send({"type": "hello", "protocol": 1, "name": "misbehaving", "version": "0.1",
              "requires": ["counts"], "provides": [modes.get("provides") or "echo"]})
        continue
    text = message["document"]["text"]
    trigger = "trigger" in text
    if "slow" in modes:
        print(f"processing: {text}", file=sys.stderr, flush=True)
        time.sleep(float(modes["slow"] or 0.3))
    if "long-stderr" in modes and trigger:
        sys.stderr.write("x" * (1 << 20) + "\n")
        sys.stderr.write("after the long line\n")
        sys.stderr.flush()
    if "spam" in modes and trigger:
        for number in range(30000):
            sys.stderr.write(f"spam {number}\n")
        sys.stderr.flush()
    if "hang" in modes and trigger:
        time.sleep(3600)
    elif "garbage" in modes and trigger:
        sys.stdout.write("this is not json\n")
        sys.stdout.flush()
        continue
    elif "crash" in modes and trigger:
        print("about to crash", file=sys.stderr, flush=True)
        os._exit(3)
    elif "huge" in modes and trigger:
        send({"type": "result", "id": message["id"], "annotations": {"echo": "x" * 4_000_000}})
        continue
    elif "error" in modes and trigger:
        send({"type": "error", "id": message["id"], "message": "cannot handle this one"})
        continue
    words = message["document"]["annotations"].get("counts", {}).get("words")
    annotations = {"echo": {"words": words, "pid": os.getpid()}}
    if "stray" in modes and trigger:
        annotations["stray"] = True
    send({"type": "result", "id": message["id"], "annotations": annotations})
