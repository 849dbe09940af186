# Shared by the measurement scripts (sourced, not run).

# Renames every file of $1 into $2, one rename(2) each. (GNU mv can report an error for a file
# the daemon claimed a moment after mv renamed it, which aborted the measurement.)
rename_all() {
  python3 -c 'import os, sys
for name in os.listdir(sys.argv[1]):
    os.rename(os.path.join(sys.argv[1], name), os.path.join(sys.argv[2], name))' "$1" "$2"
}

# The release binary, built if missing.
release_binary() {
  [ -x .build/release/siftd ] || swift build -c release --product siftd >/dev/null
  echo .build/release/siftd
}
