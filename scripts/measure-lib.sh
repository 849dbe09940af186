# Shared by the measurement scripts (sourced, not run).

# Renames every file of $1 into $2, one rename(2) each. (GNU mv can report an error for a file
# the daemon claimed a moment after mv renamed it, which aborted the measurement.)
rename_all() {
  python3 -c 'import os, sys
for name in os.listdir(sys.argv[1]):
    os.rename(os.path.join(sys.argv[1], name), os.path.join(sys.argv[2], name))' "$1" "$2"
}

# The release binary, built if missing; SIFTD_BINARY names another (a build of another commit,
# copied beside it in .build/release so that it finds its models), for measurements side by side.
release_binary() {
  if [ -n "${SIFTD_BINARY:-}" ]; then
    echo "$SIFTD_BINARY"
    return
  fi
  [ -x .build/release/siftd ] || swift build -c release --product siftd >/dev/null
  echo .build/release/siftd
}

# Waits until directory $1 holds at least $2 files, looking every 50 ms from one process (a
# `find | wc` per look forks three processes twenty times a second: CPU taken from what is measured).
wait_for_files() {
  python3 -c 'import os, sys, time
while sum(1 for entry in os.scandir(sys.argv[1]) if entry.is_file()) < int(sys.argv[2]):
    time.sleep(0.05)' "$1" "$2"
}
