#!/usr/bin/env bash
# bulkhead-runtime's secure defaults (each a behaviour of the policy file)
# and the known runtime escapes, each tried for real.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/runtime.sh"
rt_require_root
trap rt_cleanup EXIT
make_rootfs "$ROOTFS"

policy() { # policy NAME JSON: writes a policy file, prints its path
  echo "$2" > "$T/policy-$1.json"
  echo "$T/policy-$1.json"
}
run_with() { # run_with POLICY NAME JQ SCRIPT
  local pol=$1 name=$2 filter=$3 script=$4 b
  b=$(make_bundle "$name" "$filter")
  jq --arg s "$script" '.process.args = ["sh", "-c", $s]' "$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
  if [ -n "$pol" ]; then rt --policy "$pol" run --bundle "$b" "$name" 2>&1; else rt run --bundle "$b" "$name" 2>&1; fi
}
docker_caps='.process.capabilities = {"bounding": ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]} | .process.capabilities.effective = .process.capabilities.bounding | .process.capabilities.permitted = .process.capabilities.bounding'

# ---- the policy's defaults ----

# no seccomp in the spec: Docker's default profile
got=$(run_with "" sc1 "$docker_caps" 'rt-probe status | grep Seccomp:; rt-probe syscall add_key; rt-probe syscall unshare-user')
tap_is "no seccomp in the spec: Docker's default profile applies" "$(echo $got)" "Seccomp: 2 add_key: EPERM unshare-user: EPERM"
open=$(policy unconfined '{"seccompProfile": "unconfined"}')
got=$(run_with "$open" sc2 "$docker_caps" 'rt-probe status | grep Seccomp:; rt-probe syscall add_key')
tap_is "... unless the policy says unconfined" "$(echo $got)" "Seccomp: 0 add_key: ok"
# Docker's conditions: CAP_SYS_ADMIN (allowed by this policy) opens unshare and friends
admin=$(policy admin '{"capabilities": ["ALL"]}')
got=$(run_with "$admin" sc3 "$docker_caps | .process.capabilities.bounding += [\"CAP_SYS_ADMIN\"]" 'rt-probe syscall unshare-user')
tap_is "the default profile is compiled for the container's capabilities" "$got" "unshare-user: ok"
tap_check "compiled filters are cached by digest" sh -c "ls '$T/seccomp'/*.bpf | grep -cE '/[0-9a-f]{64}\\.bpf$' | grep -q '^[2-9]'"

# privileged-style specs
b=$(make_bundle priv1 '.process.capabilities.bounding = ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_DAC_READ_SEARCH","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_LINUX_IMMUTABLE","CAP_NET_BIND_SERVICE","CAP_NET_BROADCAST","CAP_NET_ADMIN","CAP_NET_RAW","CAP_IPC_LOCK","CAP_IPC_OWNER","CAP_SYS_MODULE","CAP_SYS_RAWIO","CAP_SYS_CHROOT","CAP_SYS_PTRACE","CAP_SYS_PACCT","CAP_SYS_ADMIN","CAP_SYS_BOOT","CAP_SYS_NICE","CAP_SYS_RESOURCE","CAP_SYS_TIME","CAP_SYS_TTY_CONFIG","CAP_MKNOD","CAP_LEASE","CAP_AUDIT_WRITE","CAP_AUDIT_CONTROL","CAP_SETFCAP","CAP_MAC_OVERRIDE","CAP_MAC_ADMIN","CAP_SYSLOG","CAP_WAKE_ALARM","CAP_BLOCK_SUSPEND","CAP_AUDIT_READ","CAP_PERFMON","CAP_BPF","CAP_CHECKPOINT_RESTORE"]')
rt create --bundle "$b" priv1 2>/dev/null
tap_is "a spec with every capability is refused" "$(last_error | sed 's/;.*//')" "refusing a privileged container: it asks for every capability"
tap_check "... leaving nothing" nothing_left priv1
b=$(make_bundle priv2 '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW"}')
rt create --bundle "$b" priv2 2>/dev/null
tap_is "seccomp off is refused" "$(last_error | sed 's/;.*//')" "refusing a privileged container: its seccomp profile allows every system call"
b=$(make_bundle priv3 '.linux.namespaces |= map(select(.type != "pid")) | .process.capabilities.bounding += ["CAP_SYS_ADMIN"]')
rt create --bundle "$b" priv3 2>/dev/null
tap_is "host PID namespace with CAP_SYS_ADMIN is refused" "$(last_error | sed 's/;.*//')" "refusing a privileged container: it shares the host's PID namespace and has CAP_SYS_ADMIN"
# docker run --privileged lists the capabilities Docker knows (fewer than the
# kernel's) but always allows every device
b=$(make_bundle priv5 '.linux.resources.devices = [{"allow": true, "access": "rwm"}]')
rt create --bundle "$b" priv5 2>/dev/null
tap_is "device rules that allow every device are refused" "$(last_error | sed 's/;.*//')" "refusing a privileged container: its device rules allow every host device (docker run --privileged)"
b=$(make_bundle priv6 '.linux.resources.devices = [{"allow": true, "access": "rwm"}, {"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]')
rt create --bundle "$b" priv6 2>/dev/null
tap_is "... but not once a later rule denies them again" "$(rt state priv6 | jq -r .status)" created
rt delete --force priv6 >/dev/null 2>&1
allow=$(policy allowpriv '{"allowPrivileged": true}')
tap_is "... unless the policy allows privileged containers" "$(run_with "$allow" priv4 '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW"}' 'rt-probe status | grep Seccomp:')" "Seccomp:	2"

# no_new_privileges forced on
tap_is "no_new_privileges is forced on" "$(run_with "" nnp1 '.process.noNewPrivileges = false' 'grep NoNewPrivs /proc/self/status | cut -f2')" 1
nonnp=$(policy nonnp '{"noNewPrivileges": false}')
tap_is "... unless the policy turns that off" "$(run_with "$nonnp" nnp2 '.process.noNewPrivileges = false' 'grep NoNewPrivs /proc/self/status | cut -f2')" 0

# capabilities outside the allow-list
: > "$LOG"
got=$(run_with "" cap1 '.process.capabilities.bounding += ["CAP_SYS_TIME", "CAP_NET_ADMIN"] | .process.capabilities.effective = .process.capabilities.bounding | .process.capabilities.permitted = .process.capabilities.bounding' 'grep CapBnd /proc/self/status | cut -f2')
tap_is "capabilities outside the allow-list are dropped" "$got" "0000000020000420"
tap_check "... with a warning in the log" sh -c "jq -r 'select(.level == \"warning\") | .msg' '$LOG' | grep -q 'dropped CAP_NET_ADMIN, CAP_SYS_TIME: not in the runtime policy'"
nettime=$(policy nettime '{"capabilities": ["CAP_KILL", "CAP_AUDIT_WRITE", "CAP_NET_BIND_SERVICE", "CAP_SYS_TIME"]}')
tap_is "... the allow-list comes from the policy" "$(run_with "$nettime" cap2 '.process.capabilities.bounding += ["CAP_SYS_TIME"]' 'grep CapBnd /proc/self/status | cut -f2')" "0000000022000420"

# run as non-root
nonroot=$(policy nonroot '{"runAsNonRoot": true}')
b=$(make_bundle nr1)
rt --policy "$nonroot" create --bundle "$b" nr1 2>/dev/null
tap_is "runAsNonRoot refuses uid 0" "$(last_error | sed 's/:.*//')" "refusing to run as root (uid 0)"
tap_is "... and runs uid 1000" "$(run_with "$nonroot" nr2 '.process.user = {"uid": 1000, "gid": 1000}' 'id -u')" 1000
tap_is "... and uid 0 mapped elsewhere by a user namespace" "$(run_with "$nonroot" nr3 '.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 400000, "size": 65536}] | .linux.gidMappings = .linux.uidMappings' 'id -u')" 0

# automatic user namespace
auto=$(policy auto '{"autoUserNamespace": {"enabled": true, "size": 65536, "hostStart": 500000, "hostCount": 655360}}')
got=$(run_with "$auto" au1 '.root.readonly = false' 'cat /proc/self/uid_map | awk "{print \$1, \$3}"; stat -c %u /bin/busybox; id -u')
tap_is "autoUserNamespace: root maps to an unprivileged range, the rootfs is idmapped" "$(echo $got)" "0 65536 0 0"
b=$(make_bundle au2 '.process.args = ["sleep", "100"]')
rt --policy "$auto" run -d --bundle "$b" au2
hostid=$(awk '{print $2}' /proc/$(rt state au2 | jq -r .pid)/uid_map)
tap_check "... from the policy's host range" test "$hostid" -ge 500000 -a "$hostid" -lt 1155360
b=$(make_bundle au3 '.process.args = ["sleep", "100"]')
rt --policy "$auto" run -d --bundle "$b" au3
hostid3=$(awk '{print $2}' /proc/$(rt state au3 | jq -r .pid)/uid_map)
tap_check "... each container its own range" test "$hostid" != "$hostid3"
rt delete --force au2; rt delete --force au3
tap_is "... released on delete" "$(ls "$T/seccomp.userns" | wc -l)" 0

# extra masked paths
tap_is "extra sensitive paths are masked (/proc/kallsyms)" "$(run_with "" mask1 . 'wc -c < /proc/kallsyms')" 0
tap_is "... (/sys/kernel/debug)" "$(run_with "" mask2 . 'ls /sys/kernel/debug | wc -l')" 0

# per-container overrides by annotation, when the policy allows
b=$(make_bundle ann1 '.annotations = {"org.bulkhead.runtime.runAsNonRoot": "true"}')
rt create --bundle "$b" ann1 2>/dev/null
tap_check "an annotation the policy does not allow is refused" sh -c "echo '$(last_error)' | grep -q 'does not let containers override \"runAsNonRoot\"'"
ovr=$(policy ovr '{"annotationOverrides": ["runAsNonRoot", "seccompProfile"]}')
b=$(make_bundle ann2 '.annotations = {"org.bulkhead.runtime.runAsNonRoot": "true"}')
rt --policy "$ovr" create --bundle "$b" ann2 2>/dev/null
tap_is "an allowed annotation overrides the policy" "$(last_error | sed 's/:.*//')" "refusing to run as root (uid 0)"
tap_is "... (seccompProfile: unconfined)" "$(run_with "$ovr" ann3 '.annotations = {"org.bulkhead.runtime.seccompProfile": "unconfined"}' 'rt-probe status | grep Seccomp:')" "Seccomp:	0"

# a broken policy fails closed
bad=$(policy bad '{"allowPrivileged": "yes"}')
b=$(make_bundle pol1)
rt --policy "$bad" create --bundle "$b" pol1 2>/dev/null
tap_is "a policy that does not parse refuses every container" "$(last_error)" "$bad: \"allowPrivileged\" must be true or false"
typo=$(policy typo '{"alowPrivileged": true}')
rt --policy "$typo" create --bundle "$b" pol2 2>/dev/null
tap_check "an unknown policy key is refused (a typo would weaken it)" sh -c "echo '$(last_error)' | grep -q 'unknown key \"alowPrivileged\"'"

# ---- escapes ----

# CVE-2019-5736: overwrite the runtime through /proc/<pid>/exe. The attack
# targets a copy of the runtime, never the build's binary.
cp "$RT" "$T/rt-copy"
sum=$(sha256sum < "$T/rt-copy")
attack() { # attack NAME POLICY JQ: a container attacking while exec runs many times
  local name=$1 pol=$2 filter=$3 b i
  b=$(make_bundle "$name" "$filter | .process.args = [\"sleep\", \"100\"]")
  "$T/rt-copy" --root "$ROOT" --policy "$pol" run -d --bundle "$b" "$name" || return 1
  "$T/rt-copy" --root "$ROOT" --policy "$pol" exec -d "$name" sh -c 'rt-probe attack-exe 4 > /tmp/attack.out 2>&1'
  for i in $(seq 60); do "$T/rt-copy" --root "$ROOT" --policy "$pol" exec "$name" true; done
  sleep 4.5
  "$T/rt-copy" --root "$ROOT" --policy "$pol" exec "$name" cat /tmp/attack.out | tail -n 1
  "$T/rt-copy" --root "$ROOT" delete --force "$name"
}
tmp_tmpfs='.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}]'
out=$(attack cve1 "$(policy default '{}')" "$tmp_tmpfs")
tap_check "CVE-2019-5736: the container cannot even open the runtime's exe" sh -c "echo '$out' | grep -q 'opened 0\\|[0-9]* opened, 0 written'"
tap_is "... and the binary is unchanged" "$(sha256sum < "$T/rt-copy")" "$sum"
ptrace=$(policy ptrace '{"capabilities": ["CAP_KILL", "CAP_AUDIT_WRITE", "CAP_NET_BIND_SERVICE", "CAP_SYS_PTRACE"]}')
out=$(attack cve2 "$ptrace" "$tmp_tmpfs | .process.capabilities.bounding += [\"CAP_SYS_PTRACE\"] | .process.capabilities.effective += [\"CAP_SYS_PTRACE\"] | .process.capabilities.permitted += [\"CAP_SYS_PTRACE\"]")
tap_check "CVE-2019-5736 with CAP_SYS_PTRACE: nothing written through exe" sh -c "echo '$out' | grep -q ', 0 written'"
tap_is "... the binary is unchanged (the runtime ran from a sealed copy)" "$(sha256sum < "$T/rt-copy")" "$sum"

# CVE-2024-21626: a working directory through a leaked descriptor
fails=0
for n in 3 4 5 6 7 8 9; do
  b=$(make_bundle "cwd$n" ".process.cwd = \"/proc/self/fd/$n\" | .process.args = [\"rt-probe\", \"cwd\"]")
  out=$(rt run --bundle "$b" "cwd$n" 2>&1)
  case "$out" in "cwd: /"*) case "$out" in *"(unreachable)"*) fails=$((fails + 1)) ;; esac ;; *"process.cwd"*) ;; *) fails=$((fails + 1)) ;; esac
  rt delete --force "cwd$n" >/dev/null 2>&1
done
tap_is "CVE-2024-21626: cwd /proc/self/fd/N never lands outside the container" "$fails" 0
exec 7< /etc/hostname 8>"$T/leak"
got=$(run_with "" leak1 '.process.args = ["rt-probe", "fds"]' 'rt-probe fds' | grep -cv '^fd [012] ')
tap_is "CVE-2024-21626: no host descriptor leaks into the container" "$got" 0
b=$(make_bundle leak2 '.process.args = ["sleep", "100"]')
rt run -d --bundle "$b" leak2
tap_is "... nor into exec'd processes" "$(rt exec leak2 rt-probe fds | grep -cv '^fd [012] ')" 0
tap_is "... and exec's cwd cannot be a magic link" "$(rt exec --cwd /proc/self/fd/7 leak2 rt-probe cwd 2>&1 | grep -c 'cwd: /')" 0
rt delete --force leak2
exec 7<&- 8>&-

# symlinks on mount targets resolve inside the rootfs
evil=$T/evilroot
cp -a "$ROOTFS" "$evil"
hosttarget=$T/host-target
mkdir -p "$hosttarget"
ln -s "../../../../../../../../$hosttarget" "$evil/up"
ln -s "$hosttarget" "$evil/abs"
got=$(run_with "" sym1 ".root.path = \"$evil\" | .mounts += [{\"destination\": \"/up/t1\", \"type\": \"tmpfs\", \"source\": \"t1\"}, {\"destination\": \"/abs/t2\", \"type\": \"tmpfs\", \"source\": \"t2\"}]" "grep -c ' $hosttarget/t[12] tmpfs' /proc/mounts")
tap_is "mount targets through symlinks land inside the rootfs" "$got" 2
tap_is "... and nothing was created on the host" "$(ls -A "$hosttarget" | wc -l)" 0
tap_check "... the targets were made inside the rootfs" test -d "$evil/$hosttarget/t1" -a -d "$evil/$hosttarget/t2"
# a race: a running container swaps a directory with a symlink to / while
# another container mounts onto a path through it
shared=$T/shared
mkdir -p "$shared/d"
b=$(make_bundle racer ".mounts += [{\"destination\": \"/shared\", \"type\": \"bind\", \"source\": \"$shared\", \"options\": [\"rbind\"]}] | .process.args = [\"sh\", \"-c\", \"while :; do rm -rf /shared/d; mkdir /shared/d; rm -rf /shared/d; ln -s / /shared/d; done 2>/dev/null\"]")
rt run -d --bundle "$b" racer
escaped=0
for i in $(seq 20); do
  out=$(run_with "" "race$i" ".mounts += [{\"destination\": \"/shared\", \"type\": \"bind\", \"source\": \"$shared\", \"options\": [\"rbind\"]}, {\"destination\": \"/shared/d/etc\", \"type\": \"tmpfs\", \"source\": \"racefs\"}]" 'cat /etc/passwd | head -c 4')
  # if the tmpfs landed on the container's /etc, /etc/passwd is gone; either
  # way nothing may appear outside the rootfs
  [ -e "$T/etc" ] && escaped=$((escaped + 1))
  rt delete --force "race$i" >/dev/null 2>&1
done
rt delete --force racer
tap_is "a directory/symlink race on a mount target never leaves the rootfs" "$escaped" 0

# /proc over-mounts (CVE-2019-16884 and kin)
for dest in /proc/self/attr/exec /proc/sys/kernel/core_pattern /proc/self/oom_score_adj /proc/1/attr/current; do
  n=$(echo "$dest" | tr -c 'a-z0-9' '_')
  b=$(make_bundle "po$n" ".mounts += [{\"destination\": \"$dest\", \"type\": \"bind\", \"source\": \"$T/leak\", \"options\": [\"bind\"]}]")
  rt create --bundle "$b" "po$n" 2>/dev/null
  case "$(last_error)" in *"is inside /proc; mounting over it is refused"*) tap_ok "a bind mount over $dest is refused" ;; *) tap_not_ok "a bind mount over $dest is refused" "$(last_error)"; rt delete --force "po$n" >/dev/null 2>&1 ;; esac
done
b=$(make_bundle pomk '.mounts += [{"destination": "/proc/mybind", "type": "bind", "source": "'"$T"'/leak", "options": ["bind"]}]')
rt create --bundle "$b" pomk 2>/dev/null
tap_is "a new mount target inside /proc is refused in so many words" "$(last_error)" "/proc/mybind is inside /proc; nothing can be created or mounted there"
rt delete --force pomk >/dev/null 2>&1
echo "MemTotal: 1 kB" > "$T/meminfo"
tap_is "lxcfs-style binds over /proc files stay possible" "$(run_with "" lxcfs ".mounts += [{\"destination\": \"/proc/meminfo\", \"type\": \"bind\", \"source\": \"$T/meminfo\", \"options\": [\"bind\", \"ro\"]}]" 'cat /proc/meminfo')" "MemTotal: 1 kB"

# 2025: masked paths bound with a /dev/null an attacker replaced
fakedev=$T/fakedev
mkdir -p "$fakedev"
ln -s /proc/sys/kernel/core_pattern "$fakedev/null"
before=$(cat /proc/sys/kernel/core_pattern)
b=$(make_bundle mnull ".mounts |= map(if .destination == \"/dev\" then {\"destination\": \"/dev\", \"type\": \"bind\", \"source\": \"$fakedev\", \"options\": [\"rbind\"]} else . end) | .mounts |= map(select(.destination | startswith(\"/dev/\") | not))")
rt create --bundle "$b" mnull 2>/dev/null
tap_is "CVE-2025-31133: a /dev/null that is not the null device is refused" "$(last_error)" "/dev/null in the container is not the null device; refusing to mask paths with it"
tap_is "... and nothing was written" "$(cat /proc/sys/kernel/core_pattern)" "$before"
tap_check "... leaving nothing" nothing_left mnull
# 2025: /dev/console replaced by a symlink to a /proc file
mkdir -p "$T/fakedev2/pts"
mknod "$T/fakedev2/null" c 1 3
ln -s /proc/sysrq-trigger "$T/fakedev2/console"
b=$(make_bundle mcons ".process.terminal = true | .mounts |= map(if .destination == \"/dev\" then {\"destination\": \"/dev\", \"type\": \"bind\", \"source\": \"$T/fakedev2\", \"options\": [\"rbind\"]} else . end) | .mounts |= map(select(.destination != \"/dev/shm\" and .destination != \"/dev/mqueue\"))")
python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); time.sleep(10)' "$T/con2.sock" &
cpid=$!
sleep 0.3
rt create --bundle "$b" --console-socket "$T/con2.sock" mcons 2>/dev/null
tap_check "CVE-2025-52565: a /dev/console symlink is not followed" sh -c "echo '$(last_error)' | grep -q '^/dev/console: Too many levels of symbolic links'"
tap_check "... leaving nothing" nothing_left mcons
kill $cpid 2>/dev/null; wait $cpid 2>/dev/null

tap_done
