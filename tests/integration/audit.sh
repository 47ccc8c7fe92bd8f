#!/usr/bin/env bash
# bulkhead audit against the real engine: one container per risky setting, and
# every per-container verdict checked (the cases the benchmark's reference tool
# gets wrong are among them).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/docker.sh"
trap cleanup_docker EXIT

if ! docker_available; then
  tap_skip "audit integration" "no Docker engine"
  tap_done; exit 0
fi

# an "sshd" that only sleeps, built static so it runs in the busybox image
cat > "$BH_TEST_TMP/sshd.c" <<'C'
#include <unistd.h>
int main(void) { for (;;) pause(); }
C
mkdir -p "$BH_TEST_TMP/extra/usr/sbin"
gcc -static -O2 -o "$BH_TEST_TMP/extra/usr/sbin/sshd" "$BH_TEST_TMP/sshd.c"
make_busybox_image "$BH_TEST_IMAGE"
make_busybox_image $P/sshd:latest "$BH_TEST_TMP/extra"
# setuid and setgid files, then a layer that removes one and clears another:
# 4.8 must judge the final filesystem, not every layer
mkdir -p "$BH_TEST_TMP/setid/usr/bin" "$BH_TEST_TMP/setid/bin"
cp /usr/bin/busybox "$BH_TEST_TMP/setid/bin/su"; chmod 4755 "$BH_TEST_TMP/setid/bin/su"
cp /usr/bin/busybox "$BH_TEST_TMP/setid/bin/gone"; chmod 4755 "$BH_TEST_TMP/setid/bin/gone"
cp /usr/bin/busybox "$BH_TEST_TMP/setid/usr/bin/wall"; chmod 2755 "$BH_TEST_TMP/setid/usr/bin/wall"
make_busybox_image $P/setid-base:latest "$BH_TEST_TMP/setid"
mkdir -p "$BH_TEST_TMP/build"
printf 'FROM %s\nRUN rm /bin/gone && chmod u-s /bin/su\n' "$P/setid-base:latest" > "$BH_TEST_TMP/build/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t $P/setid:latest "$BH_TEST_TMP/build" >/dev/null 2>&1 &&
  BH_CREATED_IMAGES+=($P/setid:latest)


img=$BH_TEST_IMAGE
n=--network=none
run_container $P-default $n $img sleep 1d
run_container $P-user1000 $n --user 1000 $img sleep 1d
run_container $P-user00 $n --user 0:0 $img sleep 1d
run_container $P-readonly $n --read-only $img sleep 1d
run_container $P-sysadmin $n --cap-add SYS_ADMIN $img sleep 1d
run_container $P-pidhost $n --pid host $img sleep 1d
run_container $P-nethost --network host $img sleep 1d
run_container $P-limits $n --memory 64m --pids-limit 100 --security-opt no-new-privileges $img sleep 1d
run_container $P-etc $n -v /etc:/host-etc $img sleep 1d
run_container $P-etc-ro $n -v /etc:/x:ro $img sleep 1d
run_container $P-unconfined $n --security-opt seccomp=unconfined $img sleep 1d
run_container $P-sshd $n $P/sshd:latest /usr/sbin/sshd
run_container $P-sock $n -v /var/run/docker.sock:/var/run/docker.sock $img sleep 1d
run_container $P-restart $n --restart always $img sleep 1d
# what real hosts showed wrong: root spelled 00, another container's host
# namespaces joined, -p without a network of its own
run_container $P-zero $n --user 00 $img sleep 1d
run_container $P-ipchost $n --ipc host $img sleep 1d
run_container $P-joinnet --network container:$P-nethost $img sleep 1d
run_container $P-joinpid $n --pid container:$P-pidhost $img sleep 1d
run_container $P-joinipc $n --ipc container:$P-ipchost $img sleep 1d
run_container $P-joindefault --network container:$P-default $img sleep 1d
run_container $P-noport --network none -p 80:80 $img sleep 1d
docker exec -d --user 00 $P-zero sleep 600
create_container $P-nnp1 $n --security-opt no-new-privileges=1 $img sleep 1d
# /etc under another name: a local volume that binds it
docker volume create --opt type=none --opt o=bind --opt device=/etc $P-etcvol >/dev/null &&
  BH_CREATED_VOLUMES+=($P-etcvol)
run_container $P-etcvol $n -v $P-etcvol:/v:ro $img sleep 1d
run_container $P-cgrule $n --device-cgroup-rule 'c 1:3 rwm' $img sleep 1d
# these two cannot start on hosts whose bounding set lacks capabilities (as
# here); created, they are audited with --all
create_container $P-privileged $n --privileged $img sleep 1d
create_container $P-capall $n --cap-add ALL $img sleep 1d

# an sshd on the host, outside every container: --pid host must not make the
# audit blame a container for it
"$BH_TEST_TMP/extra/usr/sbin/sshd" & host_sshd=$!
trap 'kill $host_sshd 2>/dev/null; cleanup_docker' EXIT

out=$BH_TEST_TMP/audit.json
export XDG_CACHE_HOME=$BH_TEST_TMP/cache
"$BULKHEAD" audit --format json -o "$out"

rc=$?
tap_is "audit exits 1 when there are failures" "$rc" 1
tap_check "the report is JSON with the contract's members" \
  jq -e '.tool.name == "bulkhead" and .command == "audit" and (.duration_ms|type) == "number"
         and (.summary|keys) == ["error","fail","info","manual","na","pass","warn"]
         and (.results|length) > 100' "$out"
tap_check "every result has id, rule, title, section, severity, status, target and references" \
  jq -e 'all(.results[]; .id and .rule and .title and .section and .severity and .status
         and .target.kind and (.references|type) == "array")' "$out"
tap_check "every fail carries a remediation" \
  jq -e 'all(.results[] | select(.status == "fail"); (.remediation // "") | length > 10)' "$out"
tap_check "container targets carry the 64-hex id and the name" \
  jq -e 'all(.results[] | select(.target.kind == "container"); (.target.id|test("^[0-9a-f]{64}$")) and (.target.name|length) > 0)' "$out"

# (other suites may share the engine: judge only this run's containers)
running=$(docker ps --filter "name=^$P-" -q --no-trunc | sort | tr '\n' ' ')
audited=$(jq -r --arg p "$P-" '[.results[] | select(.id == "5.5" and (.target.name|startswith($p))) | .target.id] | unique | sort | join(" ")' "$out")
tap_is "by default every running container, and only those, is audited (docker ps)" "$audited" "${running% }"
tap_is "a created container is not audited without --all" "$(verdict "$out" 5.5 $P-privileged)" ""

# 4.1 user
expect "4.1 default container runs as root" "$out" 4.1 $P-default fail
expect "4.1 --user 1000 passes" "$out" 4.1 $P-user1000 pass
expect "4.1 --user 0:0 is root" "$out" 4.1 $P-user00 fail
expect "4.1 --user 00 is root too (runc reads uid 0)" "$out" 4.1 $P-zero fail
expect "5.24 an exec with --user 00 ran as root" "$out" 5.24 $P-zero warn
expect "BH-2 --user 1000 is not root on the host" "$out" BH-2 $P-user1000 pass
expect "BH-2 default is root on the host" "$out" BH-2 $P-default fail
# 5.4 capabilities
expect "5.4 default capabilities pass" "$out" 5.4 $P-default pass
expect "5.4 --cap-add SYS_ADMIN fails" "$out" 5.4 $P-sysadmin fail
tap_check "5.4 names SYS_ADMIN" jq -e --arg n "$P-sysadmin" '.results[] | select(.id=="5.4" and .target.name==$n) | .message | test("SYS_ADMIN")' "$out"
expect "5.5 default is not privileged" "$out" 5.5 $P-default pass
# 5.6 sensitive mounts, read-write and read-only
expect "5.6 -v /etc:/host-etc fails" "$out" 5.6 $P-etc fail
expect "5.6 -v /etc:/x:ro fails too" "$out" 5.6 $P-etc-ro fail
expect "5.6 default passes" "$out" 5.6 $P-default pass
expect "5.6 a volume that binds /etc fails" "$out" 5.6 $P-etcvol fail
expect "5.18 a device cgroup rule exposes host devices" "$out" 5.18 $P-cgrule warn
expect "5.18 default passes" "$out" 5.18 $P-default pass
tap_check "5.6 says read-only for the :ro mount" jq -e --arg n "$P-etc-ro" '.results[] | select(.id=="5.6" and .target.name==$n) | .message | test("read-only")' "$out"
# 5.7 sshd
expect "5.7 a container running sshd fails" "$out" 5.7 $P-sshd fail
expect "5.7 --pid host does not see the host's sshd" "$out" 5.7 $P-pidhost pass
expect "5.7 default passes" "$out" 5.7 $P-default pass
# namespaces
expect "5.10 --network host fails" "$out" 5.10 $P-nethost fail
expect "5.10 --network none passes" "$out" 5.10 $P-default pass
expect "5.16 --pid host fails" "$out" 5.16 $P-pidhost fail
expect "5.16 default passes" "$out" 5.16 $P-default pass
expect "5.8 host network has no port mapping: na" "$out" 5.8 $P-nethost na
expect "5.10 joining a host-network container shares the host's network" "$out" 5.10 $P-joinnet fail
expect "5.16 joining a --pid host container shares the host's processes" "$out" 5.16 $P-joinpid fail
expect "5.17 joining an --ipc host container shares the host's IPC" "$out" 5.17 $P-joinipc fail
expect "5.10 joining an ordinary container passes" "$out" 5.10 $P-joindefault pass
tap_check "and says whose namespace it joined" jq -e --arg n "$P-joinnet" --arg t "$P-nethost" '.results[] | select(.id=="5.10" and .target.name==$n) | .message | contains("through container " + $t)' "$out"
expect "5.8 -p with --network none publishes nothing: na" "$out" 5.8 $P-noport na
expect "5.14 -p with --network none binds nothing: na" "$out" 5.14 $P-noport na
# limits
expect "5.11 --memory 64m passes" "$out" 5.11 $P-limits pass
expect "5.11 default has no memory limit" "$out" 5.11 $P-default fail
expect "5.29 --pids-limit 100 passes" "$out" 5.29 $P-limits pass
expect "5.29 default has no pids limit" "$out" 5.29 $P-default fail
expect "5.26 no-new-privileges passes" "$out" 5.26 $P-limits pass
expect "5.26 default fails" "$out" 5.26 $P-default fail
expect "5.13 --read-only passes" "$out" 5.13 $P-readonly pass
expect "5.13 default fails" "$out" 5.13 $P-default fail
# seccomp: the option and what /proc shows
expect "5.22 seccomp=unconfined fails" "$out" 5.22 $P-unconfined fail
expect "5.22 default passes" "$out" 5.22 $P-default pass
expect "BH-1 unconfined shows no filter in /proc" "$out" BH-1 $P-unconfined fail
expect "BH-1 default runs under a filter" "$out" BH-1 $P-default pass
expect "5.32 docker.sock mount fails" "$out" 5.32 $P-sock fail
expect "5.32 default passes" "$out" 5.32 $P-default pass
expect "5.15 --restart always fails" "$out" 5.15 $P-restart fail
expect "5.15 no restart policy passes" "$out" 5.15 $P-default pass
# things this kernel and host do not have are na, never pass
expect "5.2 AppArmor is na on a kernel without it" "$out" 5.2 $P-default na
expect "7.1 swarm checks are na with swarm off" "$out" 7.1 "" na
expect "2.2 icc is na without a default bridge" "$out" 2.2 "" na

# each memory verdict agrees with docker inspect
agree=0 total=0
for c in $(docker ps --filter "name=^$P-" --format '{{.Names}}'); do
  mem=$(docker inspect -f '{{.HostConfig.Memory}}' "$c")
  want=fail; [ "$mem" -gt 0 ] && want=pass
  total=$((total + 1))
  [ "$(verdict "$out" 5.11 "$c")" = "$want" ] && agree=$((agree + 1))
done
tap_is "5.11 agrees with docker inspect for all $total running containers" "$agree" "$total"

# --all adds the created --privileged container
all=$BH_TEST_TMP/all.json
"$BULKHEAD" audit --all --check 5.5,5.4,5.26,BH-1 --format json -o "$all"
expect "--all: 5.26 no-new-privileges=1 on a created container passes (Go's ParseBool)" "$all" 5.26 $P-nnp1 pass
expect "--all: 5.5 the created --privileged container fails" "$all" 5.5 $P-privileged fail
expect "--all: 5.4 privileged holds every capability" "$all" 5.4 $P-privileged fail
expect "--all: 5.4 --cap-add ALL fails" "$all" 5.4 $P-capall fail
tap_check "--all: 5.4 says ALL" jq -e --arg n "$P-capall" '.results[] | select(.id=="5.4" and .target.name==$n) | .message | test("ALL")' "$all"
expect "--all: BH-1 is na for a container that is not running" "$all" BH-1 $P-privileged na
tap_is "--check selects only the named checks" "$(jq -r '[.results[].id] | unique | join(" ")' "$all")" "5.26 5.4 5.5 BH-1"

# --level 1 leaves out level-2 checks
"$BULKHEAD" audit --level 1 --format json -o "$BH_TEST_TMP/l1.json"
tap_is "--level 1 has no level-2 result" "$(jq '[.results[] | select(.level == 2)] | length' "$BH_TEST_TMP/l1.json")" 0
# --cis-version 1.8 numbers TLS 2.8 and adds devicemapper as 2.7
"$BULKHEAD" audit --cis-version 1.8 --check 'daemon-*' --format json -o "$BH_TEST_TMP/18.json"
tap_is "CIS 1.8: daemon-tls-auth is 2.8" "$(jq -r '.results[] | select(.rule=="daemon-tls-auth") | .id' "$BH_TEST_TMP/18.json")" 2.8
tap_is "CIS 1.8: 2.7 is devicemapper" "$(jq -r '.results[] | select(.id=="2.7") | .rule' "$BH_TEST_TMP/18.json")" daemon-no-devicemapper
tap_is "CIS 1.8: references name 1.8.0" "$(jq -r '.results[0].references[0]' "$BH_TEST_TMP/18.json")" "CIS Docker 1.8.0 2.1"

# 4.8 on the images' final filesystems, streamed from the engine
expect "4.8 the plain busybox image has no setuid file" "$out" 4.8 "$BH_TEST_IMAGE" pass
expect "4.8 the image with setuid and setgid files warns" "$out" 4.8 $P/setid-base:latest warn
tap_check "4.8 lists all three in the base image" jq -e --arg n "$P/setid-base:latest" '.results[] | select(.id=="4.8" and .target.name==$n) | .message | test("3 setuid/setgid files: /bin/gone, /bin/su, /usr/bin/wall")' "$out"
tap_check "4.8 after rm and chmod u-s only /usr/bin/wall is left" jq -e --arg n "$P/setid:latest" '.results[] | select(.id=="4.8" and .target.name==$n) | .message | test("1 setuid/setgid file: /usr/bin/wall$")' "$out"
expect "4.7 and 4.9 judge the built image's history" "$out" 4.9 $P/setid:latest pass
setid_id=$(docker image inspect -f '{{.Id}}' $P/setid:latest)
cache=$XDG_CACHE_HOME/bulkhead/audit-setid-v1/${setid_id#sha256:}.json
tap_check "the image's answer is cached under its id" jq -e '.setid == ["/usr/bin/wall"]' "$cache"
echo 'not json at all' > "$cache"
"$BULKHEAD" audit --check 4.8 --format json -o "$BH_TEST_TMP/recache.json"
expect "a broken cache entry is ignored and rebuilt" "$BH_TEST_TMP/recache.json" 4.8 $P/setid:latest warn
tap_check "and rewritten" jq -e '.setid == ["/usr/bin/wall"]' "$cache"
"$BULKHEAD" audit --check 4.8 --no-cache --format json -o "$BH_TEST_TMP/nocache.json"
ours='[.results[] | select(.target.name | startswith($p)) | [.target.name, .status, .message]]'
tap_is "--no-cache gives the same verdicts" "$(jq -c --arg p "$P/" "$ours" "$BH_TEST_TMP/nocache.json")" "$(jq -c --arg p "$P/" "$ours" "$BH_TEST_TMP/recache.json")"


kill $host_sshd 2>/dev/null
tap_done

