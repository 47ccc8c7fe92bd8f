#!/usr/bin/env bash
# 4.8 on a daemon with the overlay2 storage driver: the images' layer
# directories are read in place (whiteouts and opaque directories applied,
# no export), and give the same answers as the stream. A second dockerd of
# our own, on its own socket and data root, stopped by its pid at the end.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
tmp=$(mktemp -d /tmp/bh-ov2.XXXXXX)
pid=
sock=$tmp/docker.sock
dk() { docker -H "unix://$sock" "$@"; }
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null
  fi
  grep " $tmp/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ] || ! grep -qw overlay /proc/filesystems; then
  tap_skip "overlay2 in place" "needs root and overlayfs"; tap_done; exit 0
fi
dockerd -D --data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/dockerd.pid" \
  -H "unix://$sock" --iptables=false --ip6tables=false --bridge=none --storage-driver=overlay2 \
  >"$tmp/dockerd.log" 2>&1 & pid=$!
for _ in $(seq 60); do dk version >/dev/null 2>&1 && break; sleep 0.5; done
if ! dk version >/dev/null 2>&1; then
  tap_skip "overlay2 in place" "a second dockerd with overlay2 did not start: $(tail -n 2 "$tmp/dockerd.log" | tr '\n' ' ')"
  tap_done; exit 0
fi

root=$tmp/rootfs
mkdir -p "$root/bin" "$root/usr/bin" "$root/opt/keep"
cp /usr/bin/busybox "$root/bin/busybox"
for a in sh rm mkdir chmod; do ln -s busybox "$root/bin/$a"; done
cp /usr/bin/busybox "$root/bin/su" && chmod 4755 "$root/bin/su"
cp /usr/bin/busybox "$root/bin/gone" && chmod 4755 "$root/bin/gone"
cp /usr/bin/busybox "$root/usr/bin/wall" && chmod 2755 "$root/usr/bin/wall"
cp /usr/bin/busybox "$root/opt/keep/suid" && chmod 4755 "$root/opt/keep/suid"
tar -C "$root" -c . | dk import - bhov/base:1 >/dev/null
mkdir -p "$tmp/ctx"
printf 'FROM bhov/base:1\nRUN rm /bin/gone && chmod u-s /bin/su\nRUN rm -rf /usr/bin && mkdir /usr/bin\n' > "$tmp/ctx/Dockerfile"
DOCKER_BUILDKIT=0 dk build -q -t bhov/derived:1 "$tmp/ctx" >/dev/null 2>&1
tap_is "the derived image has three layers" "$(dk image inspect -f '{{len .RootFS.Layers}}' bhov/derived:1 2>&1)" 3
tap_is "its storage is overlay2" "$(dk image inspect -f '{{.GraphDriver.Name}}' bhov/derived:1)" overlay2

: > "$tmp/dockerd.log.mark"
before=$(wc -l < "$tmp/dockerd.log")
XDG_CACHE_HOME=$tmp/cache "$BULKHEAD" audit --host "unix://$sock" --check 4.8 --no-cache --format json -o "$tmp/a.json"
msg() { jq -r --arg n "$1" '.results[] | select(.target.name == $n) | "\(.status): \(.message)"' "$tmp/a.json"; }
tap_is "base: every setuid/setgid file" "$(msg bhov/base:1)" \
  "warn: bhov/base:1 has 4 setuid/setgid files: /bin/gone, /bin/su, /opt/keep/suid, /usr/bin/wall"
tap_is "derived: the whiteout, the cleared bit and the opaque /usr/bin are applied" "$(msg bhov/derived:1)" \
  "warn: bhov/derived:1 has 1 setuid/setgid file: /opt/keep/suid"
exports=$(tail -n +"$((before + 1))" "$tmp/dockerd.log" | grep -c 'images/[^ ]*/get' || true)
tap_is "the layers were read in place: no image was exported" "$exports" 0

# the same image on the main engine (vfs here: its files come from the stream)
main_tag=bhov$$
if docker version >/dev/null 2>&1; then
  tar -C "$root" -c . | docker import - "$main_tag/base:1" >/dev/null
  sed "s|bhov/base:1|$main_tag/base:1|" "$tmp/ctx/Dockerfile" > "$tmp/ctx/Dockerfile.main"
  DOCKER_BUILDKIT=0 docker build -q -f "$tmp/ctx/Dockerfile.main" -t "$main_tag/derived:1" "$tmp/ctx" >/dev/null 2>&1
  XDG_CACHE_HOME=$tmp/cache2 "$BULKHEAD" audit --check 4.8 --no-cache --format json -o "$tmp/b.json"
  streamed=$(jq -r --arg n "$main_tag/derived:1" '.results[] | select(.target.name == $n) | .message' "$tmp/b.json")
  tap_is "the stream from another engine gives the same files" "${streamed#$main_tag/derived:1 }" \
    "has 1 setuid/setgid file: /opt/keep/suid"
  docker rmi -f "$main_tag/derived:1" "$main_tag/base:1" >/dev/null 2>&1
else
  tap_skip "the stream gives the same files" "no main engine"
fi
tap_done
