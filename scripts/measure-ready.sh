#!/usr/bin/env bash
# How long the release siftd takes from its start to READY=1 (sd_notify, as systemd sees it) with
# FILES files waiting in the inbox, the median and the range of RUNS starts. Each start finds the
# same waiting files: the daemon is stopped as soon as it is ready, before it takes many.
# Usage: scripts/measure-ready.sh [FILES=100000] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/measure-lib.sh
files=${1:-100000}
runs=${2:-5}
binary=$(release_binary)
spool=$(mktemp -d "${TMPDIR:-/tmp}/siftd-ready.XXXXXX")
trap 'rm -rf "$spool"' EXIT
mkdir -p "$spool/inbox"
python3 - "$spool/inbox" "$files" <<'EOF'
import os, sys
inbox, count = sys.argv[1], int(sys.argv[2])
seeds = sorted(os.listdir('seeds'))
texts = [open(os.path.join('seeds', name), 'rb').read() for name in seeds]
for number in range(count):
    with open(os.path.join(inbox, '%d-%s' % (number, seeds[number % len(seeds)])), 'wb') as out:
        out.write(texts[number % len(texts)] + b'\n%d\n' % number)
EOF

python3 - "$binary" "$spool" "$runs" <<'EOF'
import os, socket, subprocess, sys, time, signal, statistics
binary, spool, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for run in range(runs):
    path = os.path.join(spool, 'notify.sock')
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    environment = dict(os.environ, NOTIFY_SOCKET=path, SIFTD_SETTLE_MS='0')
    start = time.monotonic()
    daemon = subprocess.Popen([binary, 'run', '--spool', spool, '--instance', 'ready', '--log-level', 'error'], env=environment)
    ready = None
    listener.settimeout(30)
    while ready is None:
        message = listener.recv(4096).decode()
        if 'READY=1' in message.split('\n'):
            ready = time.monotonic() - start
    daemon.send_signal(signal.SIGTERM)
    daemon.wait()
    listener.close()
    times.append(ready * 1000)
    print('start %d: READY after %.0f ms' % (run + 1, times[-1]))
print('READY with %s files waiting: median %.0f ms (%.0f to %.0f) over %d starts' % (
    format(len(os.listdir(os.path.join(spool, 'inbox'))), ','), statistics.median(times), min(times), max(times), runs))
EOF
