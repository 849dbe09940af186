#!/usr/bin/env bash
# Boots a real systemd as PID 1 in private PID, mount and cgroup namespaces, for tests (as root).
#   systemd-sandbox.sh start DIR   boot; DIR (outside /tmp) keeps overlays and state; prints nothing
#   systemd-sandbox.sh run DIR CMD  run CMD inside (nsenter into the sandbox's mount and PID namespaces)
#   systemd-sandbox.sh stop DIR    end the sandbox and everything in it, remove its cgroup
# /etc, /usr and /var are overlays (nothing installed leaks to the host), /run and /tmp are
# private tmpfs mounts (systemd empties /tmp at boot), and systemd gets a cgroup subtree of its own.
# The repository (this script's parent) stays visible at its own path.
set -euo pipefail
command=$1
dir=$(realpath -m "$2")
shift 2
repository=$(cd "$(dirname "$0")/.." && pwd)

case "$command" in
start)
  mkdir -p "$dir"
  cgroup=/sys/fs/cgroup/unified/siftd-sandbox-$$
  [ -d /sys/fs/cgroup/unified ] || cgroup=/sys/fs/cgroup/siftd-sandbox-$$
  mkdir -p "$cgroup"
  echo "$cgroup" > "$dir/cgroup"
  # The booting shell moves itself into the new cgroup, then everything it becomes lives there.
  # It keeps no inherited descriptor but its own: a caller's pipe would otherwise never close.
  setsid bash -c '
    set -e
    for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" || true; done
    echo $$ > "'"$cgroup"'/cgroup.procs"
    exec unshare --pid --fork --mount --mount-proc --cgroup bash -c "
      set -e
      mount --make-rprivate /
      for d in etc usr var; do
        mkdir -p '"$dir"'/upper/\$d '"$dir"'/work/\$d
        mount -t overlay overlay -o lowerdir=/\$d,upperdir='"$dir"'/upper/\$d,workdir='"$dir"'/work/\$d /\$d
      done
      mkdir -p /var/lib/siftd-sandbox/repository
      mount --bind '"$repository"' /var/lib/siftd-sandbox/repository
      mount -t tmpfs -o mode=755 tmpfs /run
      mount -t tmpfs -o mode=1777 tmpfs /tmp
      mkdir -p '"$repository"'
      mount --bind /var/lib/siftd-sandbox/repository '"$repository"'
      mount -t cgroup2 cgroup2 /sys/fs/cgroup
      echo siftd-sandbox > /etc/hostname
      exec /lib/systemd/systemd --system --log-target=journal --log-level=notice
    "
  ' > "$dir/console.log" 2>&1 < /dev/null &
  # The sandbox's PID 1, as the host sees it: the child of unshare.
  for _ in $(seq 1 100); do
    pid=$(pgrep -P "$(pgrep -f -n "unshare --pid --fork --mount --mount-proc --cgroup" || echo 0)" -x systemd || true)
    [ -n "$pid" ] && break
    sleep 0.1
  done
  [ -n "${pid:-}" ] || { echo "systemd-sandbox: systemd did not start; console:" >&2; cat "$dir/console.log" >&2; exit 1; }
  echo "$pid" > "$dir/pid"
  for _ in $(seq 1 200); do
    state=$(nsenter -t "$pid" -m -p systemctl is-system-running 2>/dev/null || true)
    case "$state" in running|degraded) exit 0 ;; esac
    sleep 0.1
  done
  echo "systemd-sandbox: the system did not finish booting (state: ${state:-unknown})" >&2
  exit 1
  ;;
run)
  exec nsenter -t "$(cat "$dir/pid")" -m -p "$@"
  ;;
stop)
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  if [ -f "$dir/cgroup" ]; then
    cgroup=$(cat "$dir/cgroup")
    for _ in $(seq 1 100); do
      find "$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [ -d "$cgroup" ] || break
      sleep 0.05
    done
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: systemd-sandbox.sh start|run|stop DIR [COMMAND...]" >&2
  exit 2
  ;;
esac
