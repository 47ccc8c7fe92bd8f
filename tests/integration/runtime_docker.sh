#!/usr/bin/env bash
# Docker end to end: a dockerd of our own (its own data root, exec root,
# socket and pid file; vfs, no iptables, no bridge) with bulkhead-runtime
# registered as a runtime, driven by `docker run --runtime bulkhead` for
# every case of issue 5, and a container that tries the known escapes.
# The daemon is stopped by its pid at the end.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/runtime.sh"
rt_require_root
if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
  echo "1..0 # SKIP dockerd and docker are not installed"
  exit 0
fi
D=$T/docker
mkdir -p "$D"
DOCKERD_PID=
stop_dockerd() {
  if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    docker ps -aq 2>/dev/null | xargs -r docker rm -f >/dev/null 2>&1
    kill "$DOCKERD_PID"
    for i in $(seq 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$DOCKERD_PID" 2>/dev/null
  fi
  # what dockerd may leave mounted under its roots
  grep -o " $D[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  rt_cleanup
}
trap stop_dockerd EXIT

# policies: the default one, and one that allows CAP_SYS_TIME and CAP_NET_ADMIN
echo '{"capabilities": ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE","CAP_SYS_TIME","CAP_NET_ADMIN"]}' > "$D/open.json"
# the escape attempts run against a copy of the runtime, never the build's
cp "$RT" "$D/rt-copy"
cat > "$D/daemon.json" <<JSON
{"runtimes": {
  "bulkhead": {"path": "$RT"},
  "escape": {"path": "$D/rt-copy"},
  "bulkhead-open": {"path": "$RT", "runtimeArgs": ["--policy", "$D/open.json"]}
}}
JSON
export DOCKER_HOST=unix://$D/docker.sock
dockerd --config-file "$D/daemon.json" --data-root "$D/data" --exec-root "$D/exec" \
  --pidfile "$D/dockerd.pid" -H "$DOCKER_HOST" --iptables=false --ip6tables=false \
  --bridge=none --storage-driver=vfs > "$D/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for i in $(seq 120); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
if ! docker version >/dev/null 2>&1; then
  tap_not_ok "our dockerd answers" "$(tail -n 20 "$D/dockerd.log")"
  tap_done; exit 1
fi
tap_check "dockerd lists bulkhead as a runtime" sh -c 'docker info 2>/dev/null | grep -q "Runtimes:.*bulkhead"'

make_rootfs "$ROOTFS"
tar -C "$ROOTFS" -c . | docker import - bhrt/busybox:test >/dev/null
IMG=bhrt/busybox:test
R="--runtime bulkhead"

out=$(docker run --rm $R $IMG sh -c 'echo hello; exit 3')
tap_is "docker run --rm: exit status" "$?" 3
tap_is "docker run --rm: output" "$out" hello
tap_is "docker run --rm leaves no container" "$(docker ps -aq | wc -l)" 0

docker run -d --name c1 $R $IMG sleep 1000 >/dev/null
tap_is "docker run -d" "$(docker inspect -f '{{.State.Running}}' c1)" true
tap_is "docker exec" "$(docker exec c1 sh -c 'echo exec; id -u')" "$(printf 'exec\n0')"
docker exec c1 sh -c 'exit 5'
tap_is "docker exec returns the status" "$?" 5
tap_is "docker exec -t gets a tty" "$(docker exec -t c1 tty | tr -d '\r')" /dev/pts/0
tap_is "docker exec of a missing program: 126, as with runc" "$(docker exec c1 nosuch >/dev/null 2>&1; echo $?)" 126
tap_is "docker run of a missing program: 127" "$(docker run --rm $R $IMG nosuch >/dev/null 2>&1; echo $?)" 127
tap_is "docker run of a missing path: 127, as with runc" "$(docker run --rm $R $IMG /bin/nosuch >/dev/null 2>&1; echo $?)" 127
tap_is "docker run of a file that is not executable: 126, as with runc" "$(docker run --rm $R $IMG /etc/passwd >/dev/null 2>&1; echo $?)" 126
docker run -d --name oom1 $R --oom-score-adj 500 $IMG sleep 1000 >/dev/null
tap_is "docker exec keeps the container's --oom-score-adj" "$(docker exec oom1 cat /proc/self/oom_score_adj)" 500
docker rm -f oom1 >/dev/null
tap_check "docker top lists the container's processes" sh -c 'docker top c1 | grep -q "sleep 1000"'
docker pause c1 >/dev/null
tap_is "docker pause" "$(docker inspect -f '{{.State.Status}}' c1)" paused
docker unpause c1 >/dev/null
tap_is "docker unpause" "$(docker inspect -f '{{.State.Status}}' c1)" running
docker update --memory 48m --memory-swap 96m c1 >/dev/null
cid=$(docker inspect -f '{{.Id}}' c1)
tap_is "docker update --memory" "$(cat /sys/fs/cgroup/memory/docker/$cid/memory.limit_in_bytes)" 50331648
docker update --pids-limit 33 c1 >/dev/null
tap_is "docker update --pids-limit" "$(cat /sys/fs/cgroup/pids/docker/$cid/pids.max)" 33
start=$(date +%s.%N)
docker stop -t 1 c1 >/dev/null
tap_is "docker stop (SIGTERM ignored by PID 1, then SIGKILL)" "$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' c1)" "exited 137"
docker rm c1 >/dev/null
tap_check "docker rm removes the runtime's state and cgroups" sh -c "! ls '$D/exec/runtime-bulkhead/moby/$cid' >/dev/null 2>&1 && ! ls -d /sys/fs/cgroup/memory/docker/$cid >/dev/null 2>&1"
docker run -d --name c2 $R $IMG sh -c 'trap "exit 10" USR1; while :; do sleep 0.1; done' >/dev/null
docker kill -s USR1 c2 >/dev/null
for i in $(seq 30); do [ "$(docker inspect -f '{{.State.Running}}' c2)" = false ] && break; sleep 0.2; done
tap_is "docker kill -s USR1 reaches the process" "$(docker inspect -f '{{.State.ExitCode}}' c2)" 10
docker rm -f c2 >/dev/null

out=$(echo 'tty; echo it-ok; exit 4' | script -qec "docker run -it --rm $R $IMG sh" /dev/null | tr -d '\r')
tap_check "docker run -it: an interactive tty" sh -c 'echo "$1" | grep -q "^/dev/pts/0$" && echo "$1" | grep -q "^it-ok$"' sh "$out"

mkdir -p "$D/data"
docker run --rm $R -v "$D/data:/data" $IMG sh -c 'echo from-container > /data/f'
tap_is "-v a host directory (read-write)" "$(cat "$D/data/f" 2>/dev/null)" from-container
tap_is "-v ...:ro" "$(docker run --rm $R -v "$D/data:/data:ro" $IMG sh -c 'touch /data/g 2>/dev/null || echo ro')" ro
tap_is "--device" "$(docker run --rm $R --device /dev/zero:/dev/myzero $IMG sh -c 'head -c 3 /dev/myzero | wc -c')" 3
docker run -d --name c3 $R $IMG sh -c 'trap "exit 0" TERM; echo started >> /tmp/count; while :; do sleep 0.1; done' >/dev/null
docker restart -t 2 c3 >/dev/null
tap_is "docker restart" "$(docker inspect -f '{{.State.Running}} {{.RestartCount}}' c3)" "true 0"
tap_is "... the process started again (the container's files stay)" "$(docker exec c3 wc -l /tmp/count | awk '{print $1}')" 2
docker rm -f c3 >/dev/null
tap_is "--read-only" "$(docker run --rm $R --read-only $IMG sh -c 'touch /x 2>/dev/null || echo ro')" ro
tap_is "--user" "$(docker run --rm $R --user 1000:1000 $IMG id)" "uid=1000(user) gid=1000(user) groups=1000(user)"
tap_is "--cap-drop CHOWN" "$(docker run --rm $R --cap-drop CHOWN $IMG sh -c 'chown 1 /tmp 2>/dev/null || echo denied')" denied
tap_is "--cap-add SYS_TIME is dropped by the default policy" "$(docker run --rm $R --cap-add SYS_TIME $IMG sh -c 'grep CapEff /proc/self/status | cut -f2')" 00000000a80425fb
tap_is "--cap-add SYS_TIME with a policy that allows it" "$(docker run --rm --runtime bulkhead-open --cap-add SYS_TIME $IMG sh -c 'grep CapEff /proc/self/status | cut -f2')" 00000000aa0425fb
cat > "$D/nomkdir.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
JSON
tap_is "--security-opt seccomp=<file>" "$(docker run --rm $R --security-opt seccomp="$D/nomkdir.json" $IMG sh -c 'mkdir /tmp/x 2>&1 | grep -c "Permission denied"')" 1
tap_is "--security-opt no-new-privileges" "$(docker run --rm $R --security-opt no-new-privileges $IMG grep NoNewPrivs /proc/self/status | cut -f2)" 1
tap_is "no_new_privileges is on even without the flag" "$(docker run --rm $R $IMG grep NoNewPrivs /proc/self/status | cut -f2)" 1
tap_is "--pids-limit" "$(docker run --rm $R --pids-limit 7 $IMG cat /sys/fs/cgroup/pids/pids.max)" 7
tap_is "--memory" "$(docker run --rm $R --memory 40m $IMG cat /sys/fs/cgroup/memory/memory.limit_in_bytes)" 41943040
tap_is "--pid host sees the host's processes" "$(docker run --rm $R --pid host $IMG sh -c "ps -o pid | grep -qw $$ && echo host")" host
tap_is "--network none" "$(docker run --rm $R --network none $IMG ls /sys/class/net)" lo
tap_check "--network host" sh -c "docker run --rm $R --network host $IMG ls /sys/class/net | grep -vqx lo"
tap_is "Docker's seccomp profile is in force" "$(docker run --rm $R $IMG rt-probe syscall add_key)" "add_key: EPERM"

# a container that tries the escapes
sum=$(sha256sum < "$D/rt-copy")
docker run -d --name esc --runtime escape --tmpfs /tmp $IMG sleep 1000 >/dev/null
docker exec -d esc sh -c 'rt-probe attack-exe 4 > /tmp/attack.out'
for i in $(seq 30); do docker exec esc true; done
sleep 4.5
tap_check "CVE-2019-5736 from a Docker container: the runtime's exe is never written" sh -c 'docker exec esc cat /tmp/attack.out | tail -n 1 | grep -q ", 0 written"'
tap_is "... the runtime binary is unchanged" "$(sha256sum < "$D/rt-copy")" "$sum"
tap_is "CVE-2024-21626: only stdio in a docker exec'd process" "$(docker exec esc rt-probe fds | grep -cv '^fd [012] ')" 0
docker rm -f esc >/dev/null
out=$(docker run --rm $R -w /proc/self/fd/7 $IMG rt-probe cwd 2>&1)
tap_check "CVE-2024-21626: docker run -w /proc/self/fd/7 is refused" sh -c 'echo "$1" | grep -q "process.cwd"' sh "$out"
mkdir -p "$D/vol"
tap_check "a volume over /proc/sys/kernel is refused" sh -c "! docker run --rm $R -v '$D/vol:/proc/sys/kernel/shm_rmid_forced' $IMG true 2>/dev/null"
tap_is "nothing of the runtime is left" "$(ls "$D/exec/runtime-bulkhead/moby" "$D/exec/runtime-escape/moby" 2>/dev/null | grep -c .)" 0

tap_done
