#!/usr/bin/env bash
# The runtime spec on Linux, one behaviour at a time: namespaces (new and
# joined), mounts, devices, sysctls, rlimits, capabilities, users, hooks,
# seccomp, cgroup resources on this machine's hybrid layout, personality,
# time offsets, --preserve-fds, --no-pivot, idmapped mounts.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/runtime.sh"
rt_require_root
trap rt_cleanup EXIT
make_rootfs "$ROOTFS"

# run_in NAME JQ-FILTER SH-SCRIPT: runs sh -c SCRIPT in a fresh container, prints its output
run_in() {
  local name=$1 filter=$2 script=$3 b
  b=$(make_bundle "$name" "$filter | .process.args = [\"sh\", \"-c\", \$script]" 2>/dev/null) ||
    b=$(make_bundle "$name" "$filter")
  jq --arg script "$script" ".process.args = [\"sh\", \"-c\", \$script]" "$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
  rt run --bundle "$b" "$name" 2>&1
}

# namespaces
tap_is "a new PID namespace: the process is PID 1" "$(run_in ns1 . 'echo $$')" 1
tap_is "hostname" "$(run_in ns2 '.hostname = "bh-host"' hostname)" bh-host
tap_is "domainname" "$(run_in ns3 '.domainname = "bh.example"' 'cat /proc/sys/kernel/domainname')" bh.example
tap_is "a new network namespace has only lo" "$(run_in ns4 . 'ls /sys/class/net')" lo
tap_is "a new cgroup namespace roots /proc/self/cgroup" "$(run_in ns5 '.linux.namespaces += [{"type": "cgroup"}]' 'grep memory /proc/self/cgroup')" "4:memory:/"
tap_is "a new time namespace with a boottime offset" "$(run_in ns6 '.linux.namespaces += [{"type": "time"}] | .linux.timeOffsets = {"boottime": {"secs": 86400000, "nanosecs": 0}}' 'cut -d. -f1 /proc/uptime' | awk '{print ($1 > 86400000) ? "shifted" : "not shifted"}')" shifted
tap_is "no network namespace: the host's interfaces" "$(run_in ns7 '.linux.namespaces |= map(select(.type != "network"))' 'ls /sys/class/net | grep -c .' | awk '{print ($1 > 1) ? "host" : "own"}')" host
b=$(make_bundle holder '.process.args = ["sleep", "100"]')
rt run --detach --bundle "$b" holder
hp=$(rt state holder | jq -r .pid)
want=$(readlink /proc/$hp/ns/net)
got=$(run_in ns8 ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$hp/ns/net\" else . end)" 'readlink /proc/self/ns/net')
tap_is "a network namespace joined by path" "$got" "$want"
got=$(run_in ns9 ".linux.namespaces |= map(if .type == \"pid\" then .path = \"/proc/$hp/ns/pid\" else . end)" 'ps -o comm | grep -c sleep')
tap_is "a PID namespace joined by path sees its processes" "$got" 1
got=$(run_in ns10 ".linux.namespaces |= map(if .type == \"ipc\" then .path = \"/proc/$hp/ns/ipc\" elif .type == \"uts\" then .path = \"/proc/$hp/ns/uts\" else . end) | del(.hostname)" 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts' | tr '\n' ' ')
tap_is "ipc and uts namespaces joined by path" "$got" "$(readlink /proc/$hp/ns/ipc /proc/$hp/ns/uts | tr '\n' ' ')"
umap='.linux.uidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}] | .linux.gidMappings = .linux.uidMappings'
got=$(run_in ns12 ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$hp/ns/net\" else . end) | .linux.namespaces += [{\"type\": \"user\"}] | $umap" 'readlink /proc/self/ns/net; cat /proc/self/uid_map | tr -s " " | sed "s/^ //"; echo $$')
tap_is "a new user namespace with a joined network namespace (two-stage init)" "$(echo $got)" "$want 0 200000 65536 1"
rt delete --force holder
b=$(make_bundle uholder ".process.args = [\"sleep\", \"100\"] | .linux.namespaces += [{\"type\": \"user\"}] | $umap")
rt run --detach --bundle "$b" uholder
up=$(rt state uholder | jq -r .pid)
got=$(run_in ns13 ".linux.namespaces += [{\"type\": \"user\", \"path\": \"/proc/$up/ns/user\"}]" 'readlink /proc/self/ns/user; echo $$')
tap_is "a joined user namespace with a new PID namespace (two-stage init)" "$(echo $got)" "$(readlink /proc/$up/ns/user) 1"
rt delete --force uholder
got=$(run_in ns11 '.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}] | .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}] | .root.readonly = true' 'cat /proc/self/uid_map; id -u')
tap_is "a new user namespace with mappings" "$(echo $got)" "0 200000 65536 0"

# mounts
mkdir -p "$T/hostdir" && echo hostfile > "$T/hostdir/f"
got=$(run_in m1 ".mounts += [{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$T/hostdir\", \"options\": [\"rbind\", \"ro\"]}]" 'cat /data/f; touch /data/x 2>/dev/null && echo writable || echo read-only')
tap_is "a read-only bind mount" "$(echo $got)" "hostfile read-only"
got=$(run_in m2 '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=700", "noexec"]}]' 'grep " /scratch " /proc/mounts')
tap_check "a tmpfs with size, mode and noexec" sh -c 'echo "$1" | grep -q "tmpfs /scratch tmpfs rw,nosuid\?.*noexec.*size=1024k,mode=700\|noexec.*size=1024k,mode=700"' sh "$got"
got=$(run_in m3 ".mounts += [{\"destination\": \"/etc/hostfile\", \"type\": \"bind\", \"source\": \"$T/hostdir/f\", \"options\": [\"bind\"]}]" 'cat /etc/hostfile')
tap_is "a file bind mount (target file created in the rootfs)" "$got" hostfile
tap_is "the rootfs is read-only" "$(run_in m4 '.root.readonly = true' 'touch /x 2>&1 | grep -c Read-only')" 1
tap_is "masked paths: a file is /dev/null" "$(run_in m5 . 'wc -c < /proc/keys; stat -c %t:%T /proc/keys' | tr '\n' ' ')" "0 1:3 "
tap_is "masked paths: a directory is an empty read-only tmpfs" "$(run_in m6 . 'ls /sys/firmware | wc -l; touch /sys/firmware/x 2>/dev/null || echo ro' | tr '\n' ' ')" "0 ro "
tap_is "read-only paths" "$(run_in m7 . '(echo 1 > /proc/sys/kernel/domainname) 2>/dev/null || echo ro')" ro
tap_is "the cgroup mount shows the container's own cgroups" "$(run_in m8 . 'ls /sys/fs/cgroup/memory/cgroup.procs /sys/fs/cgroup/unified/cgroup.procs >/dev/null && cat /sys/fs/cgroup/pids/cgroup.procs')" 1
tap_is "mounts keep their order (a tmpfs over an earlier one)" "$(run_in m9 '.mounts += [{"destination": "/a", "type": "tmpfs", "source": "t1"}, {"destination": "/a/b", "type": "tmpfs", "source": "t2"}]' 'grep -c " /a" /proc/mounts')" 2
got=$(run_in m10 '.linux.rootfsPropagation = "rshared"' 'awk "\$5 == \"/\"" /proc/self/mountinfo | grep -c shared')
tap_is "rootfsPropagation rshared" "$got" 1

# devices
got=$(run_in d1 '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 432, "uid": 0, "gid": 0}]' 'stat -c "%F %t:%T %a" /dev/fuse')
tap_is "a device from linux.devices" "$got" "character special file a:e5 660"
tap_is "default devices and /dev links" "$(run_in d2 . 'for d in null zero full random urandom tty; do [ -c /dev/$d ] || echo no $d; done; for l in fd stdin ptmx; do readlink /dev/$l; done | tr "\n" " "')" "/proc/self/fd /proc/self/fd/0 pts/ptmx "
tap_is "the devices cgroup denies what is not allowed" "$(run_in d3 '.linux.devices = [{"path": "/dev/loopx", "type": "b", "major": 7, "minor": 0}]' 'head -c1 /dev/loopx 2>&1 | grep -c "not permitted"')" 1
tap_is "the devices cgroup allows what is allowed" "$(run_in d4 '.linux.devices = [{"path": "/dev/loopx", "type": "b", "major": 7, "minor": 0}] | .linux.resources.devices += [{"allow": true, "type": "b", "major": 7, "minor": 0, "access": "rwm"}]' 'head -c1 /dev/loopx >/dev/null 2>&1; echo $?')" 0

# sysctls, rlimits, oom_score_adj, umask, user, caps, env, cwd
tap_is "linux.sysctl in the container's namespaces" "$(run_in s1 '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}' 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax | tr "\n" " "')" "1 4096 "
# a sysctl of a namespace the container does not have of its own would be
# written to the host: refused, and the host's value is unchanged
host_port_start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
host_msgmax=$(cat /proc/sys/kernel/msgmax)
run_in s1a '.linux.namespaces |= map(select(.type != "network")) | .linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "77"}' true >/dev/null 2>&1
tap_is "a net.* sysctl with the host's network namespace is refused" "$(last_error)" \
  'config.json: linux.sysctl: "net.ipv4.ip_unprivileged_port_start" is not allowed in the host'"'"'s network namespace'
run_in s1b '.linux.namespaces |= map(select(.type != "ipc")) | .linux.sysctl = {"kernel.msgmax": "8193"}' true >/dev/null 2>&1
tap_is "an IPC sysctl with the host's IPC namespace is refused" "$(last_error)" \
  'config.json: linux.sysctl: "kernel.msgmax" is not allowed in the host'"'"'s IPC namespace'
run_in s1c '.linux.sysctl = {"vm.stat_interval": "1"}' true >/dev/null 2>&1
case "$(last_error)" in *'"vm.stat_interval" is not in a namespace of the container'*'would change the host') tap_ok "a sysctl of no namespace (vm.*) is refused" ;; *) tap_not_ok "a sysctl of no namespace (vm.*) is refused" "$(last_error)" ;; esac
run_in s1d '.linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "77"} | .linux.namespaces |= map(if .type == "network" then .path = "/proc/'$$'/ns/net" else . end)' true >/dev/null 2>&1
case "$(last_error)" in *"the network namespace joined is the host's"*) tap_ok "joining the host's network namespace by path counts as the host's" ;; *) tap_not_ok "joining the host's network namespace by path counts as the host's" "$(last_error)" ;; esac
tap_is "... and the host's values are unchanged" "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start) $(cat /proc/sys/kernel/msgmax)" "$host_port_start $host_msgmax"
tap_is "additional gids are set once each" "$(run_in s5b '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5, 5, 65534, 5]}' 'id -G')" "1000 5 65534"
tap_is "rlimits" "$(run_in s2 '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}]' 'ulimit -n; ulimit -Hn' | tr '\n' ' ')" "321 654 "
tap_is "oomScoreAdj" "$(run_in s3 '.process.oomScoreAdj = 432' 'cat /proc/self/oom_score_adj')" 432
tap_is "umask" "$(run_in s4 '.process.user.umask = 63' umask)" 0077
tap_is "user, group and additional gids" "$(run_in s5 '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5, 65534]}' 'id')" "uid=1000(user) gid=1000(user) groups=5(tty),65534(nobody)"
got=$(run_in s6 '.process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN", "CAP_KILL"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}' 'grep ^Cap /proc/self/status | awk "{print \$2}" | tr "\n" " "')
tap_is "the five capability sets (as seen after exec)" "$got" "0000000000000020 0000000000000021 0000000000000021 0000000000000021 0000000000000020 "
tap_is "env and cwd" "$(run_in s7 '.process.env = ["X=1", "PATH=/bin"] | .process.cwd = "/home/user"' 'echo $X $(pwd) $HOME')" "1 /home/user /root"
tap_is "a missing cwd is created" "$(run_in s8 '.process.cwd = "/newdir/sub" | .root.readonly = false' pwd)" /newdir/sub
tap_is "personality LINUX32" "$(run_in s9 '.linux.personality = {"domain": "LINUX32"}' 'uname -m')" i686
tap_is "scheduler SCHED_BATCH" "$(run_in s10 '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}' 'awk "{print \$19, \$41}" /proc/self/stat')" "5 3"
tap_is "ioPriority" "$(run_in s11 '.process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}' 'rt-probe status >/dev/null; ionice -p $$ 2>/dev/null || echo none')" "idle"
tap_is "noNewPrivileges" "$(run_in s12 '.process.noNewPrivileges = true' 'grep NoNewPrivs /proc/self/status | cut -f2')" 1

: > "$LOG"
got=$(run_in s13 '.process.apparmorProfile = "docker-default" | .process.selinuxLabel = "system_u:system_r:container_t:s0"' 'echo ran')
if [ -d /sys/kernel/security/apparmor ] || grep -q apparmor /sys/kernel/security/lsm 2>/dev/null; then
  tap_skip "LSM labels without the modules" "this kernel runs AppArmor"
else
  tap_is "AppArmor and SELinux labels without the modules: the process runs" "$got" ran
  tap_is "... with a warning for each" "$(jq -r 'select(.level == "warning") | .msg' "$LOG" | grep -c 'ignored: .* is not enabled in this kernel')" 2
fi

# hooks: every kind gets the state on stdin
mkdir -p "$T/hooks"
cat > "$T/hooks/hook.sh" <<'SH'
#!/bin/sh
# $1: the hook's name; the state arrives on stdin
cat > "$HOOKDIR/$1.json"
echo "$1" >> "$HOOKDIR/order"
SH
chmod +x "$T/hooks/hook.sh"
# the same path on the host and (bound) in the container: startContainer
# hooks resolve in the container
hooks=$(jq -n --arg h "$T/hooks/hook.sh" --arg d "HOOKDIR=$T/hooks" '
  def hk(n): [{"path": $h, "args": ["hook.sh", n], "env": [$d], "timeout": 10}];
  {prestart: hk("prestart"), createRuntime: hk("createRuntime"), createContainer: hk("createContainer"),
   startContainer: hk("startContainer"), poststart: hk("poststart"), poststop: hk("poststop")}')
b=$(make_bundle h1 ".hooks = $hooks | .process.args = [\"true\"] | .mounts += [{\"destination\": \"$T/hooks\", \"type\": \"bind\", \"source\": \"$T/hooks\", \"options\": [\"bind\"]}]")
rt create --bundle "$b" h1 && rt start h1 && sleep 0.2 && rt delete h1
tap_is "all six hooks run, in order" "$(tr '\n' ' ' < "$T/hooks/order")" "prestart createRuntime createContainer startContainer poststart poststop "
tap_check "hooks get the state with id, pid and bundle" jq -e --arg b "$b" '.id == "h1" and .pid > 0 and .bundle == $b' "$T/hooks/createRuntime.json"
tap_is "poststop sees the container stopped" "$(jq -r .status "$T/hooks/poststop.json")" stopped
b=$(make_bundle h2 ".hooks = {\"poststart\": [{\"path\": \"/bin/false\"}], \"poststop\": [{\"path\": \"/bin/false\"}]} | .process.args = [\"true\"]")
rt run --bundle "$b" h2
tap_is "failing poststart and poststop hooks are warnings" "$?" 0
tap_check "... logged" grep -q '"level":"warning","msg":"poststart hook 0 (/bin/false) failed' "$LOG"

# seccomp from the spec
sc='{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [
  {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
  {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
  {"names": ["no_such_syscall_anywhere"], "action": "SCMP_ACT_KILL"},
  {"names": ["getcwd"], "action": "SCMP_ACT_LOG"}]}'
got=$(run_in sc1 ".linux.seccomp = $sc | .root.readonly = false" 'rt-probe syscall mkdir; rt-probe syscall personality; rt-probe cwd')
tap_is "seccomp from the spec: errnoRet, args, unknown names skipped, LOG" "$(echo $got)" "mkdir: ENOSYS personality: EPERM cwd: /"
got=$(run_in sc2 '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["add_key"], "action": "SCMP_ACT_KILL_PROCESS"}]}' 'sh -c "exec rt-probe syscall add_key"; echo "after $?"')
tap_is "seccomp KILL_PROCESS kills the caller (SIGSYS), not the rest" "$(echo "$got" | tail -n 1)" "after 159"
got=$(run_in sc3 '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"], "syscalls": [{"names": ["bpf"], "action": "SCMP_ACT_TRAP"}]}' 'rt-probe syscall bpf; echo status=$?')
tap_is "seccomp flags and SCMP_ACT_TRAP (SIGSYS)" "$(echo "$got" | tail -n 1)" "status=159"

# seccomp notify: the agent gets the listener and the state
cat > "$T/agent.py" <<'PY'
import array, json, os, socket, struct, sys, fcntl
RECV = 0xc0502100
SEND = 0xc0182101
def serve(c):
    # the state and the listener; answer one notification with -ENOMSG
    msg, anc, _, _ = c.recvmsg(65536, socket.CMSG_LEN(4))
    fds = array.array("i")
    for level, kind, data in anc:
        fds.frombytes(data[:4])
    state = json.loads(msg.decode())
    buf = bytearray(80)
    fcntl.ioctl(fds[0], RECV, buf)
    nid = struct.unpack_from("Q", buf, 0)[0]
    fcntl.ioctl(fds[0], SEND, struct.pack("QqiI", nid, 0, -42, 0))
    print(state["fds"][0], state["metadata"], state["state"]["id"], "answered", flush=True)
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(2)
open(path + ".ready", "w").close()
for _ in range(int(sys.argv[2])):
    c, _ = s.accept()
    serve(c)
PY
python3 "$T/agent.py" "$T/agent.sock" 1 > "$T/agent.out" &
apid=$!
for i in $(seq 50); do [ -e "$T/agent.sock.ready" ] && break; sleep 0.1; done
got=$(run_in sc4 ".linux.seccomp = {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$T/agent.sock\", \"listenerMetadata\": \"meta-1\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]} | .root.readonly = false" 'rt-probe syscall mkdir')
wait $apid
tap_is "seccomp notify: the syscall waits for the agent's answer" "$got" "mkdir: ENOMSG"
tap_is "seccomp notify: the agent gets seccompFd, metadata and state" "$(cat "$T/agent.out")" "seccompFd meta-1 sc4 answered"
rm -f "$T/agent.sock" "$T/agent.sock.ready"
python3 "$T/agent.py" "$T/agent.sock" 2 > "$T/agent2.out" &
apid=$!
for i in $(seq 50); do [ -e "$T/agent.sock.ready" ] && break; sleep 0.1; done
b=$(make_bundle sc5 ".linux.seccomp = {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$T/agent.sock\", \"listenerMetadata\": \"meta-2\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]} | .root.readonly = false | .process.args = [\"sh\", \"-c\", \"rt-probe syscall mkdir; sleep 100\"]")
rt run -d --bundle "$b" sc5 > "$T/sc5.out"
tap_is "seccomp notify in an exec'd process: its listener goes to the agent too" "$(rt exec sc5 rt-probe syscall mkdir)" "mkdir: ENOMSG"
wait $apid
tap_is "... for the same container" "$(cut -d' ' -f3 "$T/agent2.out" | tr '\n' ' ')" "sc5 sc5 "
rt delete --force sc5

# cgroup resources on this machine (v1 controllers, hugetlb in cgroup2)
res='{"memory": {"limit": 67108864, "reservation": 33554432, "swappiness": 10}, "cpu": {"shares": 256, "quota": 20000, "period": 100000, "cpus": "0", "mems": "0"}, "pids": {"limit": 42}, "blockIO": {"weight": 200}}'
b=$(make_bundle cg1 ".linux.resources = $res | .process.args = [\"sleep\", \"100\"]")
rt run --detach --bundle "$b" cg1
d=/sys/fs/cgroup
got="$(cat $d/memory/$CG/cg1/memory.limit_in_bytes $d/memory/$CG/cg1/memory.soft_limit_in_bytes $d/memory/$CG/cg1/memory.swappiness $d/cpu/$CG/cg1/cpu.shares $d/cpu/$CG/cg1/cpu.cfs_quota_us $d/cpuset/$CG/cg1/cpuset.cpus $d/pids/$CG/cg1/pids.max | tr '\n' ' ')"
tap_is "memory, cpu, cpuset and pids limits" "$got" "67108864 33554432 10 256 20000 0 42 "
w=$(cat $d/blkio/$CG/cg1/blkio.bfq.weight 2>/dev/null || cat $d/blkio/$CG/cg1/blkio.weight)
tap_is "blkio weight" "$(echo "$w" | awk '{print $NF}')" 200
rt delete --force cg1
if [ -e $d/unified/hugetlb.2MB.max ] || grep -q hugetlb $d/unified/cgroup.controllers 2>/dev/null; then
  b=$(make_bundle cg2 '.linux.resources = {"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}], "unified": {"hugetlb.1GB.max": "0"}} | .process.args = ["sleep", "100"]')
  rt run --detach --bundle "$b" cg2
  tap_is "hugetlb limits go to cgroup2 on a hybrid machine" "$(cat $d/unified/$CG/cg2/hugetlb.2MB.max)" 4194304
  tap_is "linux.resources.unified keys are written to cgroup2" "$(cat $d/unified/$CG/cg2/hugetlb.1GB.max 2>/dev/null)" 0
  rt delete --force cg2
else
  tap_skip "hugetlb in cgroup2" "no hugetlb controller in the cgroup2 hierarchy here"
  tap_skip "linux.resources.unified" "no cgroup2 controller to write"
fi
b=$(make_bundle cg3 '.linux.resources = {"memory": {"limit": 8388608}} | .process.args = ["sh", "-c", "x=$(head -c 50000000 /dev/zero | tr \"\\\\0\" a); echo survived"]')
out=$(rt run --bundle "$b" cg3 2>&1)
tap_is "the memory limit holds (the process is OOM-killed)" "$?" 137

# --preserve-fds, --no-pivot
b=$(make_bundle pf '.process.args = ["sh", "-c", "cat <&3; rt-probe fds | grep -c \"^fd [0-9]\""]')
echo preserved > "$T/fd3"
tap_is "--preserve-fds passes fd 3 and nothing more" "$(rt run --preserve-fds 1 --bundle "$b" pf 3<"$T/fd3" | tr '\n' ' ')" "preserved 4 "
b=$(make_bundle np '.process.args = ["sh", "-c", "echo $$; ls / | grep -c bin"]')
tap_is "--no-pivot" "$(rt run --no-pivot --bundle "$b" np | tr '\n' ' ')" "1 1 "

# idmapped mounts
mkdir -p "$T/idmap" "$ROOTFS/plain" "$ROOTFS/mapped" && touch "$T/idmap/rootfile"
userns='.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 300000, "size": 65536}] | .linux.gidMappings = [{"containerID": 0, "hostID": 300000, "size": 65536}]'
got=$(run_in id1 "$userns | .mounts += [{\"destination\": \"/plain\", \"type\": \"bind\", \"source\": \"$T/idmap\", \"options\": [\"bind\"]}, {\"destination\": \"/mapped\", \"type\": \"bind\", \"source\": \"$T/idmap\", \"options\": [\"bind\", \"idmap\"]}]" 'stat -c %u /plain/rootfile /mapped/rootfile | tr "\n" " "')
tap_is "an idmapped bind mount shows host root as the container's root" "$got" "65534 0 "
got=$(run_in id2 ".mounts += [{\"destination\": \"/mapped\", \"type\": \"bind\", \"source\": \"$T/idmap\", \"options\": [\"bind\"], \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]}]" 'stat -c %u:%g /mapped/rootfile')
tap_is "an idmapped bind mount with its own mappings (on-disk 0 seen as 1000)" "$got" "1000:1000"

tap_done
