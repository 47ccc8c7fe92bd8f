# Helpers for bulkhead-runtime's tests: source after tests/lib/tap.sh.
# Finds the runtime next to $BULKHEAD (build/src/cli/bulkhead) unless
# BULKHEAD_RUNTIME names it; keeps every container, cgroup and cache of a
# test under one temporary directory and one cgroup parent, and removes them
# at exit.

rt_build_dir() {
  if [ -n "${BULKHEAD:-}" ]; then
    (cd "$(dirname "$BULKHEAD")/../.." && pwd)
  else
    (cd "$(dirname "${BASH_SOURCE[0]}")/../../build" && pwd)
  fi
}
BH_BUILD=$(rt_build_dir)
RT=${BULKHEAD_RUNTIME:-$BH_BUILD/src/runtime/bulkhead-runtime}
PROBE=${BULKHEAD_RT_PROBE:-$BH_BUILD/tests/runtime/rt-probe}
T=$(mktemp -d /tmp/bh-rt-test.XXXXXX)
chmod 755 "$T"
ROOT=$T/state
CG=bh-rt-test-$$
LOG=$T/log.json
export BULKHEAD_SECCOMP_CACHE=$T/seccomp
ROOTFS=$T/rootfs

rt_require_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP the runtime tests need root"
    exit 0
  fi
  if [ ! -x "$RT" ] || [ ! -x "$PROBE" ]; then
    echo "not ok 1 - bulkhead-runtime or rt-probe not built ($RT, $PROBE)"
    exit 1
  fi
}

# a busybox-static root file system with rt-probe, users and the usual dirs
make_rootfs() { # make_rootfs DIR
  local r=$1
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/root" "$r/home/user"
  chmod 1777 "$r/tmp"
  cp /usr/bin/busybox "$r/bin/busybox"
  local a
  for a in $(busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"; done
  cp "$PROBE" "$r/bin/rt-probe"
  printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$r/etc/passwd"
  printf 'root:x:0:\nuser:x:1000:\ntty:x:5:\nnobody:x:65534:\n' > "$r/etc/group"
  chown 1000:1000 "$r/home/user"
}

rt() { "$RT" --root "$ROOT" --log "$LOG" --log-format json "$@"; }

# make_bundle NAME [JQ-FILTER]: a bundle with the spec's defaults, our
# rootfs, no terminal, a cgroup under the test's parent; prints its path
make_bundle() {
  local name=$1 filter=${2:-.} dir=$T/bundles/$1
  mkdir -p "$dir"
  [ -f "$T/spec.json" ] || (cd "$T" && "$RT" spec && mv config.json spec.json)
  jq --arg root "$ROOTFS" --arg cg "/$CG/$name" '
      .root.path = $root | .process.terminal = false | .process.args = ["true"]
      | .linux.cgroupsPath = $cg' "$T/spec.json" | jq "$filter" > "$dir/config.json" || return 1
  echo "$dir"
}

# the message of the last error the runtime logged
last_error() { jq -r 'select(.level == "error") | .msg' "$LOG" 2>/dev/null | tail -n 1; }

# nothing_left ID: no state directory, cgroup, runtime process or mount
nothing_left() {
  local id=$1 what=""
  [ -e "$ROOT/$id" ] && what="$what state-dir"
  ls -d /sys/fs/cgroup/*/"$CG/$id" >/dev/null 2>&1 && what="$what cgroup"
  pgrep -f -- "--root $ROOT" >/dev/null 2>&1 && what="$what process"
  grep -q "$T" /proc/self/mountinfo && what="$what mount"
  [ -z "$what" ] && return 0
  echo "left behind:$what" >&2
  return 1
}

rt_cleanup() {
  local id
  if [ -d "$ROOT" ]; then
    for id in $(ls "$ROOT" 2>/dev/null); do "$RT" --root "$ROOT" delete --force "$id" >/dev/null 2>&1; done
  fi
  local d
  for d in /sys/fs/cgroup/*/"$CG"; do
    [ -d "$d" ] || continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  rm -rf "$T"
}
