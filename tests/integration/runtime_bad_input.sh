#!/usr/bin/env bash
# Bad input to bulkhead-runtime create: each case must fail with a clear
# error in the JSON log and leave nothing behind (no state directory, cgroup,
# process or mount).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/runtime.sh"
rt_require_root
trap rt_cleanup EXIT
make_rootfs "$ROOTFS"

# refused ID BUNDLE EXPECTED-MESSAGE-PATTERN DESCRIPTION: create must fail,
# log an error matching the pattern, and leave nothing
refused() {
  local id=$1 b=$2 pattern=$3 desc=$4 out rc msg
  : > "$LOG"
  out=$(rt create --bundle "$b" "$id" 2>&1)
  rc=$?
  msg=$(last_error)
  if [ $rc -eq 0 ]; then
    tap_not_ok "$desc: refused" "create succeeded"
    rt delete --force "$id" >/dev/null 2>&1
    return
  fi
  if echo "$msg" | grep -qE -- "$pattern"; then
    tap_ok "$desc: refused with \"$msg\""
  else
    tap_not_ok "$desc: the error names the problem" "got:  $msg" "want: /$pattern/"
  fi
  if jq -e 'select(.level == "error") | .msg and .time' "$LOG" >/dev/null 2>&1; then :; else
    tap_not_ok "$desc: the log is JSON" "$(cat "$LOG")"
  fi
  local left check=$id
  # an id that is not a name: check under a name that cannot exist instead,
  # and that the state root holds nothing
  case "$id" in */*|..) check=no-such-id; [ -z "$(ls -A "$ROOT" 2>/dev/null)" ] || left="state root not empty" ;; esac
  if [ -z "$left" ] && left=$(nothing_left "$check" 2>&1); then tap_ok "$desc: nothing left behind"; else tap_not_ok "$desc: nothing left behind" "$left"; fi
}

b=$(make_bundle malformed)
echo '{"ociVersion": "1.0.2", "process": {' > "$b/config.json"
refused malformed "$b" 'config.json: line [0-9]+, column [0-9]+' "malformed JSON"

b=$(make_bundle huge)
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
c["annotations"] = {"pad%d" % i: "x" * 1000 for i in range(5000)}
json.dump(c, open(sys.argv[1], "w"))' "$b/config.json"
refused huge "$b" 'larger than|bytes, more than' "a 5 MB config.json"

b=$(make_bundle notobject)
echo '[1, 2, 3]' > "$b/config.json"
refused notobject "$b" 'must be a JSON object' "config.json that is not an object"

b=$(make_bundle oldversion '.ociVersion = "0.9.0"')
refused oldversion "$b" 'ociVersion "0.9.0" is not supported' "an unsupported ociVersion"

b=$(make_bundle unknownns '.linux.namespaces += [{"type": "bogus"}]')
refused unknownns "$b" 'linux.namespaces\[5\].type: unknown namespace "bogus"' "an unknown namespace type"

b=$(make_bundle unknowncap '.process.capabilities.bounding += ["CAP_MAKE_COFFEE"]')
refused unknowncap "$b" 'process.capabilities.bounding: unknown capability "CAP_MAKE_COFFEE"' "an unknown capability"

b=$(make_bundle wrongtype '.process.args = "true"')
refused wrongtype "$b" 'process.args: must be an array of strings' "a member of the wrong type"

b=$(make_bundle noargs '.process.args = []')
refused noargs "$b" 'process.args: must name the program' "no program to run"

b=$(make_bundle unknownrlimit '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]')
refused unknownrlimit "$b" 'rlimits\[0\].type: unknown resource limit' "an unknown rlimit"

b=$(make_bundle badseccomp '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_EXPLODE"}]}')
refused badseccomp "$b" 'linux.seccomp.syscalls\[0\].action: unknown action "SCMP_ACT_EXPLODE"' "an unknown seccomp action"

b=$(make_bundle badresources '.linux.resources.memory.limit = "lots"')
refused badresources "$b" 'linux.resources.memory.limit: must be an integer' "a resource of the wrong type"

b=$(make_bundle badcgpath '.linux.cgroupsPath = "/../../escape"')
refused badcgpath "$b" 'cgroupsPath "/../../escape"' "a cgroupsPath with .."

# unknown properties are ignored, as the spec requires
b=$(make_bundle unknownprop '.futureThing = {"x": 1} | .process.futureFlag = true | .linux.futureList = [1]')
rt run --bundle "$b" unknownprop
tap_is "unknown properties are ignored (the spec requires it)" "$?" 0

b=$(make_bundle norootfs '.root.path = "/nonexistent/rootfs"')
refused norootfs "$b" 'rootfs /nonexistent/rootfs \(root.path in config.json\): No such file' "a missing rootfs"

b=$(make_bundle rootfsfile ".root.path = \"$ROOTFS/bin/busybox\"")
refused rootfsfile "$b" 'not a directory' "a rootfs that is a file"

# ids with / or ..
b=$(make_bundle okbundle)
refused "a/b" "$b" 'invalid container id "a/b"' "an id with /"
refused ".." "$b" 'invalid container id ".."' "the id .."
refused "../escape" "$b" 'invalid container id' "an id with ../"
tap_check "an id with .. created nothing next to the state root" test ! -e "$T/escape"

# invalid mappings
userns='.linux.namespaces += [{"type": "user"}]'
b=$(make_bundle nomap "$userns")
refused nomap "$b" 'a new user namespace needs uidMappings and gidMappings' "a user namespace without mappings"
b=$(make_bundle overlap "$userns | .linux.uidMappings = [{\"containerID\": 0, \"hostID\": 100000, \"size\": 1000}, {\"containerID\": 500, \"hostID\": 200000, \"size\": 10}] | .linux.gidMappings = .linux.uidMappings")
refused overlap "$b" 'uidMappings\[1\].containerID: overlaps' "overlapping mappings"
b=$(make_bundle zeromap "$userns | .linux.uidMappings = [{\"containerID\": 0, \"hostID\": 100000, \"size\": 0}] | .linux.gidMappings = .linux.uidMappings")
refused zeromap "$b" 'uidMappings\[0\].size: 0 is out of range' "a mapping of size 0"
b=$(make_bundle mapnons '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}] | .linux.gidMappings = .linux.uidMappings')
refused mapnons "$b" 'mappings need a user namespace' "mappings without a user namespace"
b=$(make_bundle hugemap "$userns | .linux.uidMappings = [{\"containerID\": 4294967000, \"hostID\": 100000, \"size\": 1000}] | .linux.gidMappings = .linux.uidMappings")
refused hugemap "$b" 'runs past the last id' "a mapping past the last id"

# a hook that hangs (createRuntime runs while the init waits: it must die too)
b=$(make_bundle hang '.hooks.createRuntime = [{"path": "/bin/sleep", "args": ["sleep", "60"], "timeout": 1}] | .process.args = ["sleep", "100"]')
start=$(date +%s)
refused hang "$b" 'createRuntime hook 0 \(/bin/sleep\) timed out after 1 s' "a hook that hangs"
tap_check "... gave up after its timeout" test $(($(date +%s) - start)) -lt 10
tap_check "... and killed the hook" sh -c '! pgrep -x -f "sleep 60" >/dev/null'
b=$(make_bundle hookfail '.hooks.prestart = [{"path": "/bin/false"}]')
refused hookfail "$b" 'prestart hook 0 \(/bin/false\) failed: exit status 1' "a failing prestart hook"
b=$(make_bundle hooknotabs '.hooks.prestart = [{"path": "false"}]')
refused hooknotabs "$b" 'hooks.prestart\[0\].path: must be an absolute path' "a hook with a relative path"

# a bundle on a read-only file system: the rootfs lacks /sys and /dev/mqueue here
rofs=$T/rofs
mkdir -p "$rofs/rootfs/bin"
cp /usr/bin/busybox "$rofs/rootfs/bin/"
ln -s busybox "$rofs/rootfs/bin/true"
jq --arg cg "/$CG/robundle" '.root.path = "rootfs" | .process.terminal = false | .process.args = ["/bin/true"] | .linux.cgroupsPath = $cg' "$T/spec.json" > "$rofs/config.json"
out=$(unshare -m sh -c "mount --bind '$rofs' '$rofs' && mount -o remount,bind,ro '$rofs' && '$RT' --root '$ROOT' --log '$LOG' --log-format json create --bundle '$rofs' robundle" 2>&1)
rc=$?
tap_is "a read-only bundle whose rootfs lacks mount points is refused" "$rc" 1
tap_check "... naming the directory it could not create" sh -c "jq -r 'select(.level == \"error\") | .msg' '$LOG' | tail -n 1 | grep -q 'cannot create /proc in the container: Read-only file system'"
tap_check "... leaving nothing" nothing_left robundle

# the program to run does not exist
b=$(make_bundle noprog '.process.args = ["no-such-program"]')
refused noprog "$b" 'exec: "no-such-program": executable file not found in \$PATH' "a missing program"

# the same id twice
b=$(make_bundle twice '.process.args = ["sleep", "100"]')
rt create --bundle "$b" twice
: > "$LOG"
rt create --bundle "$b" twice 2>/dev/null
tap_is "a second create with the same id fails" "$?" 1
tap_is "... with a clear message" "$(last_error)" "container with id twice already exists"
tap_is "... and leaves the first one alone" "$(rt state twice | jq -r .status)" created
rt delete --force twice

# bad exec input
b=$(make_bundle execbad '.process.args = ["sleep", "100"]')
rt run -d --bundle "$b" execbad
echo '{"args": []}' > "$T/badproc.json"
rt exec --process "$T/badproc.json" execbad 2>/dev/null
tap_is "exec with a process without args fails" "$?" 1
tap_is "... naming the member" "$(last_error)" "$T/badproc.json: config.json: process.args: must name the program to run"
rt exec --cwd /proc/self/fd/1 execbad true 2>/dev/null
tap_is "exec with a cwd through a magic link is refused" "$?" 1
rt delete --force execbad

tap_done
