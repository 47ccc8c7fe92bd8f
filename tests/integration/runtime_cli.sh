#!/usr/bin/env bash
# bulkhead-runtime's command line as Docker and containerd call it: global
# flags, every command and flag, the error wording containerd matches, the
# state JSON, --version, and the lifecycle create/start/state/kill/delete.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/runtime.sh"
rt_require_root
trap rt_cleanup EXIT
make_rootfs "$ROOTFS"

# --version and help
v=$("$RT" --version)
tap_is "--version first line" "$(echo "$v" | head -n 1 | sed 's/ [^ ]*$//')" "bulkhead-runtime version"
case "$(echo "$v" | sed -n 2p)" in "spec: 1."*) tap_ok "--version second line is spec: 1.x" ;; *) tap_not_ok "--version spec line" "$v" ;; esac
out=$("$RT" --help)
missing=""
for c in create start run exec kill delete state list ps pause resume update features spec; do
  echo "$out" | grep -q "^  $c " || missing="$missing $c"
done
tap_is "--help lists every command" "$missing" ""
out=$("$RT" exec --help)
tap_check "exec --help names runc's inline flags" sh -c 'for f in --process --detach --pid-file --console-socket --tty --cwd --env --user --cap --no-new-privs; do echo "$1" | grep -q -- "$f" || exit 1; done' sh "$out"
"$RT" nosuchcommand >/dev/null 2>&1
tap_is "an unknown command fails" "$?" 1
"$RT" create --bogus x >/dev/null 2>&1
tap_is "an unknown flag is a usage error (2)" "$?" 2

# run: exit status and output
b=$(make_bundle run1 '.process.args = ["sh", "-c", "echo out; exit 3"]')
out=$(rt run --bundle "$b" run1 2>&1)
tap_is "run returns the container's exit status" "$?" 3
tap_is "run passes stdio through" "$out" "out"
tap_check "run removes the container when it exits" nothing_left run1

# the lifecycle, as the shim drives it
b=$(make_bundle life '.process.args = ["sleep", "100"] | .mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777"]}]')
rt create --bundle "$b" --pid-file "$T/life.pid" life
tap_is "create succeeds" "$?" 0
st=$(rt state life)
tap_is "state after create is created" "$(echo "$st" | jq -r .status)" created
tap_is "the pid file holds the init's pid" "$(cat "$T/life.pid")" "$(echo "$st" | jq -r .pid)"
tap_check "state JSON has the spec's fields" sh -c 'echo "$1" | jq -e ".ociVersion and .id == \"life\" and .bundle == \"$2\" and .pid > 0 and (.created | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T\"))" >/dev/null' sh "$st" "$b"
rt start life
tap_is "state after start is running" "$(rt state life | jq -r .status)" running
rt start life 2>/dev/null
tap_is "start twice fails" "$?" 1
tap_is "list --format json shows it" "$(rt list --format json | jq -r '.[] | select(.id == "life") | .status')" running
tap_is "list --quiet prints ids" "$(rt list -q)" life
pid=$(rt state life | jq -r .pid)
tap_is "ps --format json is an array of host pids" "$(rt ps --format json life)" "[$pid]"
tap_check "ps (table) shows the process" sh -c "\"$RT\" --root \"$ROOT\" ps life | grep -q 'sleep 100'"
rt pause life
tap_is "pause freezes" "$(rt state life | jq -r .status)" paused
rt resume life
tap_is "resume thaws" "$(rt state life | jq -r .status)" running
rt resume life 2>/dev/null
tap_is "resume of a running container fails" "$?" 1
rt delete life 2>/dev/null
tap_is "delete of a running container fails" "$?" 1
tap_is "... saying it is not stopped" "$(last_error)" "cannot delete container life that is not stopped: running"

# update: JSON on stdin (containerd) and the flags
echo '{"memory":{"limit":33554432},"pids":{"limit":50},"cpu":{"shares":512}}' | rt update --resources - life
tap_is "update --resources - sets memory" "$(cat /sys/fs/cgroup/memory/$CG/life/memory.limit_in_bytes)" 33554432
tap_is "update --resources - sets pids" "$(cat /sys/fs/cgroup/pids/$CG/life/pids.max)" 50
tap_is "update --resources - sets cpu shares" "$(cat /sys/fs/cgroup/cpu/$CG/life/cpu.shares)" 512
rt update --memory 64m --pids-limit 20 --cpu-quota 50000 --cpu-period 100000 life
tap_is "update --memory 64m" "$(cat /sys/fs/cgroup/memory/$CG/life/memory.limit_in_bytes)" 67108864
tap_is "update --pids-limit" "$(cat /sys/fs/cgroup/pids/$CG/life/pids.max)" 20
tap_is "update --cpu-quota" "$(cat /sys/fs/cgroup/cpu/$CG/life/cpu.cfs_quota_us)" 50000

# exec: containerd's form and runc's inline flags
cat > "$T/proc.json" <<JSON
{"args":["sh","-c","echo \$FOO > /tmp/exec-out; pwd >> /tmp/exec-out; id -u >> /tmp/exec-out"],
 "env":["FOO=from-process-json","PATH=/bin"],"cwd":"/tmp","user":{"uid":1000,"gid":1000},
 "capabilities":{"bounding":[],"effective":[],"permitted":[]}}
JSON
rt exec --process "$T/proc.json" --detach --pid-file "$T/exec.pid" life
tap_is "exec --process --detach --pid-file succeeds" "$?" 0
tap_check "the exec pid file holds a pid" grep -qE '^[0-9]+$' "$T/exec.pid"
sleep 0.3
tap_is "exec ran with the process's env, cwd and user" "$(rt exec life cat /tmp/exec-out | tr '\n' ' ')" "from-process-json /tmp 1000 "
tap_is "exec inline --env --cwd --user" "$(rt exec --env A=1 --cwd /home/user --user 1000:1000 life sh -c 'echo $A $(pwd) $(id -u):$(id -g)')" "1 /home/user 1000:1000"
rt exec life sh -c 'exit 7'
tap_is "exec returns the process's status" "$?" 7
rt exec life nosuchprogram 2>/dev/null
tap_is "exec of a missing program fails" "$?" 1
tap_is "... with Go's wording (Docker maps it to 127)" "$(last_error)" 'exec: "nosuchprogram": executable file not found in $PATH'
tap_is "exec inline --cap adds to the process's capabilities" "$(rt exec --cap CAP_CHOWN life grep CapEff /proc/self/status | awk '{print $2}')" "0000000020000421"

for d in /sys/fs/cgroup/*/"$CG"/life; do mkdir -p "$d/sub1"; done
c=/sys/fs/cgroup/cpuset/$CG/life
cat "$c/cpuset.cpus" > "$c/sub1/cpuset.cpus"; cat "$c/cpuset.mems" > "$c/sub1/cpuset.mems"
tap_is "exec --cgroup joins a sub-cgroup of the container's" "$(rt exec --cgroup sub1 life grep memory /proc/self/cgroup)" "4:memory:/$CG/life/sub1"
rt exec --cgroup nosuch life true 2>/dev/null
tap_check "exec into a missing sub-cgroup fails, naming it" sh -c "jq -r 'select(.level == \"error\") | .msg' '$LOG' | tail -n 1 | grep -q 'life/nosuch/tasks: No such file'"

# kill: names and numbers, --all, errors
rt kill life USR1
tap_is "kill by name" "$?" 0
rt kill life 0 2>/dev/null; tap_is "kill 0 is not a signal" "$?" 2
rt kill life NOSUCHSIG 2>/dev/null; tap_is "kill with an unknown signal name" "$?" 2
rt kill --all life KILL
for i in $(seq 50); do [ "$(rt state life | jq -r .status)" = stopped ] && break; sleep 0.1; done
tap_is "kill --all KILL stops it" "$(rt state life | jq -r .status)" stopped
tap_is "a stopped container's pid is 0" "$(rt state life | jq -r .pid)" 0
rt kill life 9 2>/dev/null
tap_is "kill of a stopped container fails" "$?" 1
tap_is "... with containerd's wording" "$(last_error)" "container not running"
rt delete life
tap_check "delete removes everything" nothing_left life
rt state life 2>/dev/null
tap_is "state of a deleted container fails" "$?" 1
tap_is "... with containerd's wording" "$(last_error)" "container does not exist"
rt delete life 2>/dev/null; tap_is "delete of a missing container fails" "$?" 1
rt delete --force life; tap_is "delete --force of a missing container succeeds (shim cleanup)" "$?" 0
tap_check "the log is JSON lines with level, msg and time" sh -c "jq -e 'select(.level == \"error\") | .msg and .time' \"$LOG\" >/dev/null"

# delete of a created container kills its init; while it waits for start
# it holds none of its caller's descriptors (past --preserve-fds)
b=$(make_bundle created1 '.process.args = ["sleep", "100"]')
exec 7>"$T/callers-fd7"
rt create --bundle "$b" created1
exec 7>&-
pid=$(rt state created1 | jq -r .pid)
tap_is "a created container's init holds none of its caller's descriptors" "$(ls -l /proc/$pid/fd | grep -c callers-fd7)" 0
rt delete created1
tap_check "delete of a created container removes everything" nothing_left created1
tap_check "... and its init is gone" sh -c "! kill -0 $pid 2>/dev/null || grep -q '^State:.*Z' /proc/$pid/status"

# delete --force of a running one
b=$(make_bundle force1 '.process.args = ["sleep", "100"]')
rt run --detach --bundle "$b" force1
tap_is "run --detach returns with the container running" "$(rt state force1 | jq -r .status)" running
rt delete --force force1
tap_check "delete --force kills and removes a running container" nothing_left force1

# a signal to a created container's init stops it (PID 1 needs a handler)
b=$(make_bundle term1 '.process.args = ["sleep", "100"]')
rt create --bundle "$b" term1
rt kill term1 TERM
for i in $(seq 50); do [ "$(rt state term1 | jq -r .status)" = stopped ] && break; sleep 0.1; done
tap_is "SIGTERM stops a created container" "$(rt state term1 | jq -r .status)" stopped
rt delete term1

# the terminal: create --console-socket hands over the pty master
cat > "$T/console.py" <<'PY'
import array, os, socket, sys
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(1)
open(path + ".ready", "w").close()
c, _ = s.accept()
fds = array.array("i")
msg, anc, _, _ = c.recvmsg(1024, socket.CMSG_LEN(4))
for level, kind, data in anc:
    fds.frombytes(data[:4])
master = fds[0]
out = b""
while True:
    try:
        d = os.read(master, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
PY
b=$(make_bundle tty1 '.process.terminal = true | .process.args = ["sh", "-c", "tty; test -t 0 && echo stdin-is-tty; stat -c %t:%T /dev/console $(tty) | uniq | wc -l"]')
python3 "$T/console.py" "$T/con.sock" > "$T/con.out" &
cpid=$!
for i in $(seq 50); do [ -e "$T/con.sock.ready" ] && break; sleep 0.1; done
rt create --bundle "$b" --console-socket "$T/con.sock" tty1
rt start tty1
wait $cpid
tap_is "the console socket gets a working pty, also bound on /dev/console" "$(tr '\n' ' ' < "$T/con.out")" "/dev/pts/0 stdin-is-tty 1 "
rt delete --force tty1
rt create --bundle "$b" tty2 2>/dev/null
tap_is "a terminal without --console-socket fails create" "$?" 1
tap_check "... leaving nothing" nothing_left tty2

# --pidfd-socket (runc 1.2): the receiver gets a pidfd of the init
cat > "$T/pidfd.py" <<'PY'
import array, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
open(sys.argv[1] + ".ready", "w").close()
c, _ = s.accept()
msg, anc, _, _ = c.recvmsg(64, socket.CMSG_LEN(4))
fds = array.array("i")
for level, kind, data in anc:
    fds.frombytes(data[:4])
print(os.readlink("/proc/self/fd/%d" % fds[0]))
PY
python3 "$T/pidfd.py" "$T/pidfd.sock" > "$T/pidfd.out" &
ppid=$!
for i in $(seq 50); do [ -e "$T/pidfd.sock.ready" ] && break; sleep 0.1; done
b=$(make_bundle pidfd1 '.process.args = ["sleep", "100"]')
rt create --bundle "$b" --pidfd-socket "$T/pidfd.sock" pidfd1
wait $ppid
tap_is "create --pidfd-socket hands over a pidfd" "$(cat "$T/pidfd.out")" "anon_inode:[pidfd]"
rt delete --force pidfd1

# features and spec
f=$("$RT" features)
tap_check "features is the spec's JSON" sh -c 'echo "$1" | jq -e ".ociVersionMin and .ociVersionMax and (.hooks | index(\"createRuntime\")) and (.linux.namespaces | index(\"time\")) and (.linux.seccomp.actions | index(\"SCMP_ACT_NOTIFY\")) and .linux.cgroup.v1 and .linux.cgroup.v2 and .linux.mountExtensions.idmap.enabled" >/dev/null' sh "$f"
mkdir -p "$T/specdir"
"$RT" spec --bundle "$T/specdir"
tap_check "spec writes a valid config.json" jq -e '.ociVersion and .process and .linux.namespaces' "$T/specdir/config.json"
"$RT" spec --bundle "$T/specdir" 2>/dev/null
tap_is "spec refuses to overwrite" "$?" 1
rm "$T/specdir/config.json"
"$RT" spec --rootless --bundle "$T/specdir"
tap_check "spec --rootless has a user namespace and mappings" jq -e '(.linux.namespaces | map(.type) | index("user")) and .linux.uidMappings[0].hostID == 0' "$T/specdir/config.json"

# global flags containerd passes
rt --systemd-cgroup list >/dev/null
tap_is "--systemd-cgroup is accepted" "$?" 0
"$RT" --root "$ROOT" --log "$T/text.log" --log-format text state nosuch 2>/dev/null
tap_check "--log-format text writes logfmt" grep -q 'level=error msg="container does not exist"' "$T/text.log"
"$RT" --root "$ROOT" --debug list >/dev/null 2>&1
tap_is "--debug is accepted" "$?" 0

tap_done
