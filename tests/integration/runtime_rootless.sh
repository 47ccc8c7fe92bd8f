#!/usr/bin/env bash
# Rootless: bulkhead-runtime run by an unprivileged user (nobody, through
# setpriv): a user namespace mapping the user to root, state under
# $XDG_RUNTIME_DIR, cgroups skipped on v1 with one clear warning,
# newuidmap/newgidmap for more than the user's own id.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/runtime.sh"
rt_require_root
trap rt_cleanup EXIT
if ! command -v setpriv >/dev/null; then
  echo "1..0 # SKIP setpriv (util-linux) is not installed"
  exit 0
fi
USER_ID=65534
make_rootfs "$ROOTFS"
XDG=$T/xdg
mkdir -p "$XDG" "$T/rl"
chown $USER_ID:$USER_ID "$XDG" "$T/rl"
as_user() { setpriv --reuid $USER_ID --regid $USER_ID --clear-groups env -u BULKHEAD_SECCOMP_CACHE XDG_RUNTIME_DIR="$XDG" HOME=/ "$@"; }
rtu() { as_user "$RT" --log "$T/rl/log.json" --log-format json "$@"; }
ulast_error() { jq -r 'select(.level == "error") | .msg' "$T/rl/log.json" | tail -n 1; }

(cd "$T/rl" && as_user "$RT" spec --rootless)
tap_check "spec --rootless maps the user's own ids" jq -e --argjson u $USER_ID '.linux.uidMappings == [{"containerID": 0, "hostID": $u, "size": 1}]' "$T/rl/config.json"
rbundle() { # rbundle NAME SCRIPT
  mkdir -p "$T/rl/$1"
  jq --arg root "$ROOTFS" --arg s "$2" '.root.path = $root | .process.terminal = false | .process.args = ["sh", "-c", $s]' "$T/rl/config.json" > "$T/rl/$1/config.json"
  chown -R $USER_ID "$T/rl/$1"
  echo "$T/rl/$1"
}

b=$(rbundle r1 'id -u; cat /proc/self/uid_map | tr -s " " | sed "s/^ //"; grep Seccomp: /proc/self/status | cut -f2; grep NoNewPrivs /proc/self/status | cut -f2')
out=$(rtu run --bundle "$b" r1)
tap_is "rootless run: root in a user namespace mapped to the user" "$(echo $out)" "0 0 $USER_ID 1 2 1"
tap_is "... cgroup v1 skipped with one warning" "$(jq -r 'select(.level == "warning") | .msg' "$T/rl/log.json" | grep -c 'rootless: cgroup v1 cannot be delegated')" 1

b=$(rbundle r2 'sleep 100')
rtu run -d --bundle "$b" r2
tap_check "rootless state lives under \$XDG_RUNTIME_DIR/bulkhead" test -f "$XDG/bulkhead/r2/state.json"
tap_is "rootless state: running, owned by the user" "$(rtu state r2 | jq -r '.status + " " + .owner')" "running nobody"
tap_is "rootless exec" "$(rtu exec r2 sh -c 'echo $(id -u) in $(hostname)')" "0 in bulkhead"
rtu pause r2 2>/dev/null
tap_is "rootless pause without a freezer cgroup fails clearly" "$(ulast_error)" "pausing needs the freezer cgroup; this container has none"
rtu kill r2 KILL
for i in $(seq 50); do [ "$(rtu state r2 | jq -r .status)" = stopped ] && break; sleep 0.1; done
tap_is "rootless kill" "$(rtu state r2 | jq -r .status)" stopped
rtu delete r2
tap_check "rootless delete removes the state" test ! -e "$XDG/bulkhead/r2"

b=$(rbundle r3 'true')
jq '.linux.uidMappings = [{"containerID": 0, "hostID": 65534, "size": 1}, {"containerID": 1, "hostID": 700000, "size": 1000}]' "$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
chown $USER_ID "$b/config.json"
if grep -q "^nobody:" /etc/subuid 2>/dev/null; then
  rtu run --bundle "$b" r3
  tap_is "several ranges go through newuidmap" "$?" 0
else
  rtu run --bundle "$b" r3 2>/dev/null
  tap_check "several ranges need newuidmap and a grant in /etc/subuid" sh -c "echo '$(ulast_error)' | grep -q 'newuidmap failed.*granted in /etc/subuid'"
fi
tap_check "... nothing left" test ! -e "$XDG/bulkhead/r3"

# with a grant in /etc/subuid and /etc/subgid (added for this test, and the
# files put back as they were): the ranges are written by newuidmap/newgidmap
grant_saved=
restore_grants() {
  [ -n "$grant_saved" ] || return 0
  local f
  for f in subuid subgid; do
    if [ -e "$T/$f.orig" ]; then cat "$T/$f.orig" > "/etc/$f"; else rm -f "/etc/$f"; fi
  done
  grant_saved=
}
trap 'restore_grants; rt_cleanup' EXIT
if command -v newuidmap >/dev/null && command -v newgidmap >/dev/null && ! grep -q "^nobody:" /etc/subuid 2>/dev/null; then
  for f in subuid subgid; do
    [ -e "/etc/$f" ] && cp -p "/etc/$f" "$T/$f.orig"
    echo "nobody:700000:65536" >> "/etc/$f"
  done
  grant_saved=1
  b=$(rbundle r5 'cat /proc/self/uid_map /proc/self/gid_map | tr -s " " | sed "s/^ //" | tr "\n" ";"; touch /tmp/f && chown 1:2 /tmp/f && stat -c "%u:%g" /tmp/f')
  jq '.linux.uidMappings = [{"containerID": 0, "hostID": 65534, "size": 1}, {"containerID": 1, "hostID": 700000, "size": 1000}]
      | .linux.gidMappings = [{"containerID": 0, "hostID": 65534, "size": 1}, {"containerID": 1, "hostID": 700000, "size": 1000}]
      | .mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}]
      | .process.capabilities |= with_entries(.value += ["CAP_CHOWN"])' \
    "$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
  chown $USER_ID "$b/config.json"
  out=$(rtu run --bundle "$b" r5)
  tap_is "a granted range is mapped through newuidmap and newgidmap" "$out" \
    "0 65534 1;1 700000 1000;0 65534 1;1 700000 1000;1:2"
  restore_grants
  tap_is "... and /etc/subuid is as it was" "$(grep -c '^nobody:700000' /etc/subuid 2>/dev/null || true)" 0
else
  tap_skip "granted ranges through newuidmap" "newuidmap missing or nobody already has a grant"
fi

b=$(rbundle r4 'true')
jq '.linux.namespaces |= map(select(.type != "user")) | del(.linux.uidMappings, .linux.gidMappings)' "$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
chown $USER_ID "$b/config.json"
rtu run --bundle "$b" r4 2>/dev/null
tap_is "rootless without a user namespace is refused clearly" "$(ulast_error)" "rootless: the spec needs a user namespace with mappings (bulkhead-runtime spec --rootless writes one)"

tap_done
