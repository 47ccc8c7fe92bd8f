#!/usr/bin/env bash
# bulkhead audit when the daemon is missing or misbehaves, when the audit is
# not root, and when the host's configuration is broken: a clear error result
# for the checks touched, and the audit goes on.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
tmp=$(mktemp -d /tmp/bh-bad.XXXXXX)
fake_pid=
stop_fake() { [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fake_pid=; }
trap 'stop_fake; rm -rf "$tmp"' EXIT

start_fake() { # start_fake MODE -> socket path in $sock
  stop_fake
  sock=$tmp/$1.sock
  python3 "$here/fake_engine.py" "$1" "$sock" & fake_pid=$!
  for _ in $(seq 50); do [ -S "$sock" ] && return 0; sleep 0.1; done
  return 1
}

# 1. nothing listens
"$BULKHEAD" audit --host unix://$tmp/none.sock --format json -o "$tmp/none.json" 2>"$tmp/none.err"
tap_is "no daemon: exit 1 (host checks still find failures)" "$?" 1
tap_check "no daemon: daemon checks are errors naming the socket" \
  jq -e --arg s "$tmp/none.sock" '[.results[] | select(.id=="5.1" or .id=="1.2.2" or .id=="4.6")] | length == 3 and all(.status=="error" and (.message|contains($s)))' "$tmp/none.json"
tap_check "no daemon: host checks still judge (1.1.1 and 3.5 are not errors)" \
  jq -e '[.results[] | select(.id=="1.1.1" or .id=="3.5") | .status] | all(. != "error")' "$tmp/none.json"
tap_check "no daemon: one clear line on stderr" grep -q "could not be asked" "$tmp/none.err"

# 2. garbage, a hang, a truncated answer, an endless answer, bad JSON
for mode in garbage hang truncate huge badjson; do
  start_fake $mode || { tap_not_ok "$mode: fake engine did not start"; continue; }
  start=$(date +%s)
  timeout 60 "$BULKHEAD" audit --host unix://$sock --timeout 2 --format json -o "$tmp/$mode.json" 2>"$tmp/$mode.err"
  rc=$?
  took=$(( $(date +%s) - start ))
  tap_is "$mode: the audit finishes with findings (exit 1)" "$rc" 1
  tap_check "$mode: engine checks are errors with a reason" \
    jq -e '[.results[] | select(.id=="1.2.2")] | length == 1 and .[0].status == "error" and (.[0].message|length) > 20' "$tmp/$mode.json"
  [ $mode = hang ] && tap_check "hang: gives up within the timeout (took ${took}s)" test "$took" -lt 20
done
jq -r '.results[] | select(.id=="1.2.2") | .message' "$tmp/hang.json" | grep -qi "timeout\|timed out" &&
  tap_ok "hang: the reason says it timed out" || tap_not_ok "hang: the reason says it timed out" "$(jq -r '.results[] | select(.id=="1.2.2") | .message' "$tmp/hang.json")"
jq -r '.results[] | select(.id=="1.2.2") | .message' "$tmp/huge.json" | grep -q "larger than" &&
  tap_ok "huge: the answer is refused past the size bound" || tap_not_ok "huge: the answer is refused past the size bound"

# 3. a container that vanishes between the list and its inspect
start_fake vanish
"$BULKHEAD" audit --host unix://$sock --format json -o "$tmp/vanish.json" 2>/dev/null
tap_check "vanish: per-container checks are errors saying it went away" \
  jq -e '[.results[] | select(.id=="5.10")] | length == 1 and .[0].status == "error" and (.[0].message|test("went away"))' "$tmp/vanish.json"
tap_check "vanish: the engine checks still judge" \
  jq -e '.results[] | select(.id=="2.17") | .status == "pass"' "$tmp/vanish.json"
stop_fake

# 4. without root: what cannot be read is an error, never a pass or a guess
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
  cp "$BULKHEAD" "$tmp/bulkhead" && chmod 755 "$tmp" "$tmp/bulkhead"
  setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/bulkhead" audit --format json -o - > "$tmp/nobody.json" 2>"$tmp/nobody.err"
  tap_check "non-root: the kernel's audit rules are an error, not a fail" \
    jq -e '.results[] | select(.id=="1.1.3") | .status == "error" and (.message|test("CAP_AUDIT_CONTROL|not permitted"))' "$tmp/nobody.json"
  if [ -S /var/run/docker.sock ]; then
    tap_check "non-root: the daemon's checks are errors (permission denied)" \
      jq -e '.results[] | select(.id=="5.1") | .status == "error" and (.message|test("ermission"))' "$tmp/nobody.json"
  else
    tap_skip "non-root: the daemon's checks are errors (permission denied)" "no Docker engine at /var/run/docker.sock"
  fi
  tap_check "non-root: stderr says it is not root" grep -q "not running as root" "$tmp/nobody.err"
  tap_check "non-root: no check claims a pass on something it could not read (1.1.x, 3.23)" \
    jq -e '[.results[] | select(.id | test("^1\\.1\\.([3-9]|1[0-8])$|^3\\.2[34]$")) | .status] | all(. == "error" or . == "na")' "$tmp/nobody.json"
else
  tap_skip "non-root audit" "needs root and setpriv"
fi

# 5. a host whose daemon.json is broken (an offline host tree with --root)
root=$tmp/host
mkdir -p "$root/etc/docker" "$root/proc/4242"
printf 'dockerd' > "$root/proc/4242/comm"
printf '/usr/bin/dockerd\0--icc=false\0-H\0unix:///run/docker.sock\0' > "$root/proc/4242/cmdline"
printf '{\n  "log-level": "info",\n  "icc": \n}\n' > "$root/etc/docker/daemon.json"
"$BULKHEAD" audit --root "$root" --host unix://$tmp/none.sock --check 2 --format json -o "$tmp/broken.json" 2>/dev/null
tap_check "broken daemon.json: config checks are errors naming the file and line" \
  jq -e '.results[] | select(.id=="2.2") | .status == "error" and (.message|test("daemon.json: line [0-9]+, column"))' "$tmp/broken.json"
printf '{"icc": true, "log-level": "debug", "live-restore": true}' > "$root/etc/docker/daemon.json"
"$BULKHEAD" audit --root "$root" --host unix://$tmp/none.sock --check 2 --format json -o "$tmp/ok.json" 2>/dev/null
tap_check "offline host: flags win over daemon.json (--icc=false passes 2.2)" \
  jq -e '.results[] | select(.id=="2.2") | .status == "pass"' "$tmp/ok.json"
tap_check "offline host: log-level debug from daemon.json warns (2.3)" \
  jq -e '.results[] | select(.id=="2.3") | .status == "warn"' "$tmp/ok.json"
tap_check "offline host: live-restore from daemon.json passes (2.15)" \
  jq -e '.results[] | select(.id=="2.15") | .status == "pass"' "$tmp/ok.json"
head -c 5000000 /dev/zero | tr '\0' ' ' > "$root/etc/docker/daemon.json"
"$BULKHEAD" audit --root "$root" --host unix://$tmp/none.sock --check 2.2 --format json -o "$tmp/huge.json" 2>/dev/null
tap_check "huge daemon.json: refused with its size" \
  jq -e '.results[] | select(.id=="2.2") | .status == "error" and (.message|test("bytes"))' "$tmp/huge.json"
tap_done
