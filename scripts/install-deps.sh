#!/usr/bin/env bash
# Installs what building and testing siftd needs, when it is missing. Idempotent; run as root
# on Debian (apt-get); prints what it would need otherwise.
set -euo pipefail

packages=()
command -v python3 >/dev/null 2>&1 || packages+=(python3)   # the example external plugins
command -v make >/dev/null 2>&1 || packages+=(make)
command -v git >/dev/null 2>&1 || packages+=(git)
command -v pkg-config >/dev/null 2>&1 || packages+=(pkg-config)
pkg-config --exists libsystemd 2>/dev/null || packages+=(libsystemd-dev)   # the journal and sd_notify
# The tests validate results against docs/*.schema.json with Python's jsonschema.
if ! python3 -c 'import jsonschema' >/dev/null 2>&1 && ! /usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1; then
  packages+=(python3-jsonschema)
fi

if ((${#packages[@]})); then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing ${packages[*]}; install them (as root: apt-get install ${packages[*]})" >&2
    exit 1
  fi
  echo "install-deps: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "install-deps: swift is in /opt/swift/usr/bin but not on PATH; the Makefile adds it" >&2
  else
    echo "install-deps: no Swift toolchain found; install Swift 6.2 or later (https://swift.org/install)" >&2
    exit 1
  fi
fi
