#!/usr/bin/env bash
# Runs a command next to a private systemd-journald, then exports what the journal holds.
# Usage (as root): unshare --mount --fork scripts/with-private-journald.sh OUTPUT.json COMMAND [ARG...]
# The journal lives on tmpfs mounts private to this mount namespace: nothing reaches the host's.
# COMMAND finds journald's process id in $JOURNALD_PID (to stop it, say).
set -euo pipefail
output=$1
shift
mount --make-rprivate /
mkdir -p /run/systemd/journal /run/log /var/log/journal
for directory in /run/systemd/journal /run/log /var/log/journal; do
  mount -t tmpfs tmpfs "$directory"
done
/lib/systemd/systemd-journald &
journald=$!
trap 'kill "$journald" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -S /run/systemd/journal/socket ] && break
  sleep 0.05
done
[ -S /run/systemd/journal/socket ] || { echo "with-private-journald: journald did not start" >&2; exit 1; }
status=0
JOURNALD_PID=$journald "$@" || status=$?
journalctl --sync 2>/dev/null || sleep 0.5
journalctl --directory /var/log/journal --directory /run/log/journal --no-pager -o json SYSLOG_IDENTIFIER=siftd > "$output" 2>/dev/null \
  || journalctl --directory /run/log/journal --no-pager -o json SYSLOG_IDENTIFIER=siftd > "$output"
exit $status
