#!/usr/bin/env python3
"""A test plugin that misbehaves on purpose, as its first argument says:
ok, slow (0.3 s per document), and, on documents containing "trigger": hang, garbage, crash, huge, error;
or at the handshake: bad-hello, silent-hello."""
import json, os, sys, time

mode = sys.argv[1]
state_file = sys.argv[2] if len(sys.argv) > 2 else None

def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()

for line in sys.stdin:
    message = json.loads(line)
    if message["type"] == "hello":
        if mode == "silent-hello":
            time.sleep(60)
        if mode == "bad-hello":
            send({"type": "hello", "protocol": 99, "name": "x"})
            continue
        if state_file:
            with open(state_file, "a") as f:
                f.write(f"{os.getpid()}\n")
        print(f"misbehaving plugin started in mode {mode}", file=sys.stderr, flush=True)
        send({"type": "hello", "protocol": 1, "name": "misbehaving", "version": "0.1",
              "requires": ["counts"], "provides": ["echo"]})
        continue
    text = message["document"]["text"]
    trigger = "trigger" in text
    if mode == "slow":
        time.sleep(0.3)
    if mode == "hang" and trigger:
        time.sleep(3600)
    elif mode == "garbage" and trigger:
        sys.stdout.write("this is not json\n")
        sys.stdout.flush()
        continue
    elif mode == "crash" and trigger:
        print("about to crash", file=sys.stderr, flush=True)
        os._exit(3)
    elif mode == "huge" and trigger:
        send({"type": "result", "id": message["id"], "annotations": {"echo": "x" * 4_000_000}})
        continue
    elif mode == "error" and trigger:
        send({"type": "error", "id": message["id"], "message": "cannot handle this one"})
        continue
    words = message["document"]["annotations"].get("text", {}).get("counts", {}).get("words")
    send({"type": "result", "id": message["id"], "annotations": {"echo": {"words": words, "pid": os.getpid()}}})
