#!/usr/bin/env bash
# cgroup v2 on a machine that is hybrid: the test runs in a private mount
# namespace where a cgroup2 mount covers /sys/fs/cgroup, so the runtime sees
# a unified hierarchy (whose only controller here is hugetlb; the others stay
# bound to v1). That exercises the v2 paths: CLONE_INTO_CGROUP, the eBPF
# device filter, cgroup.freeze, unified keys, a cgroup namespace's mount.
if [ -z "${BH_CGROUP2_NS:-}" ]; then
  if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root"; exit 0; fi
  exec unshare -m env BH_CGROUP2_NS=1 bash "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/runtime.sh"
rt_require_root
mount --make-rprivate /
if ! mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; then
  echo "1..0 # SKIP cannot mount cgroup2 here"
  exit 0
fi
v2_cleanup() {
  rt_cleanup
  find "/sys/fs/cgroup/$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap v2_cleanup EXIT
make_rootfs "$ROOTFS"
run_in() { # run_in NAME JQ SCRIPT
  local b
  b=$(make_bundle "$1" "$2")
  jq --arg s "$3" '.process.args = ["sh", "-c", $s]' "$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
  rt run --bundle "$b" "$1" 2>&1
}

tap_is "the container is born in its cgroup2 directory" "$(run_in a1 . 'grep ^0:: /proc/self/cgroup')" "0::/$CG/a1"
tap_check "... which is gone after the run" test ! -e "/sys/fs/cgroup/$CG/a1"
dev='.linux.devices = [{"path": "/dev/loopx", "type": "b", "major": 7, "minor": 0}]'
tap_is "the eBPF device filter denies what is not allowed" "$(run_in a2 "$dev" 'head -c1 /dev/loopx 2>&1 | grep -c "not permitted"')" 1
tap_is "... and allows what is" "$(run_in a3 "$dev | .linux.resources.devices = [{\"allow\": true, \"type\": \"b\", \"major\": 7, \"minor\": 0, \"access\": \"r\"}]" 'head -c1 /dev/loopx >/dev/null 2>&1; echo $?')" 0
tap_is "... and the default devices" "$(run_in a4 . 'head -c1 /dev/zero | wc -c; echo x > /dev/null && echo null-ok' | tr '\n' ' ')" "1 null-ok "
tap_is "linux.resources.unified" "$(run_in a5 '.linux.resources.unified = {"hugetlb.2MB.max": "2097152"}' "cat /sys/fs/cgroup/hugetlb.2MB.max 2>/dev/null || cat /proc/self/cgroup")" 2097152
b=$(make_bundle a6 '.linux.resources.memory = {"limit": 1048576}')
rt create --bundle "$b" a6 2>/dev/null
tap_is "a controller cgroup2 does not have here is a clear error" "$(last_error)" "linux.resources.memory: the memory cgroup controller is not available here"
tap_check "... leaving nothing" test ! -e "/sys/fs/cgroup/$CG/a6" -a ! -e "$ROOT/a6"
tap_is "a cgroup namespace gets cgroup2 mounted at its root" "$(run_in a7 '.linux.namespaces += [{"type": "cgroup"}]' 'grep ^0:: /proc/self/cgroup; ls /sys/fs/cgroup/cgroup.procs')" "$(printf '0::/\n/sys/fs/cgroup/cgroup.procs')"

b=$(make_bundle a8 '.process.args = ["sleep", "100"]')
rt run -d --bundle "$b" a8
tap_is "exec joins the container's cgroup2 directory" "$(rt exec a8 grep ^0:: /proc/self/cgroup)" "0::/$CG/a8"
rt pause a8
tap_is "pause freezes through cgroup.freeze" "$(rt state a8 | jq -r .status) $(cat /sys/fs/cgroup/$CG/a8/cgroup.freeze)" "paused 1"
rt resume a8
tap_is "resume thaws" "$(rt state a8 | jq -r .status)" running
rt exec -d a8 sleep 100
tap_is "ps lists every process of the cgroup" "$(rt ps --format json a8 | jq length)" 2
rt update --resources - a8 <<< '{"unified": {"hugetlb.2MB.max": "4194304"}}'
tap_is "update writes unified keys" "$(cat /sys/fs/cgroup/$CG/a8/hugetlb.2MB.max)" 4194304
rt kill --all a8 KILL
for i in $(seq 50); do [ "$(rt state a8 | jq -r .status)" = stopped ] && break; sleep 0.1; done
tap_is "kill --all" "$(rt state a8 | jq -r .status)" stopped
rt delete a8
tap_check "delete removes the cgroup2 directory" test ! -e "/sys/fs/cgroup/$CG/a8"

tap_done
