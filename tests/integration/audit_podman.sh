#!/usr/bin/env bash
# bulkhead audit against Podman's Docker-compatible API: the engine is
# recognised, dockerd's configuration checks are na, images are judged
# (4.8 streams them out of Podman).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
tmp=$(mktemp -d /tmp/bh-podman.XXXXXX)
pid=
image=localhost/bhtest-podman:1
cleanup() {
  podman rmi -f "$image" >/dev/null 2>&1
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v podman >/dev/null || [ "$(id -u)" != 0 ]; then
  tap_skip "audit against Podman" "needs root and podman"
  tap_done; exit 0
fi
mkdir -p "$tmp/root/bin"
cp /usr/bin/busybox "$tmp/root/bin/"
cp /usr/bin/busybox "$tmp/root/bin/mount"; chmod 4755 "$tmp/root/bin/mount"
tar -C "$tmp/root" -c . | podman import - "$image" >/dev/null 2>&1
sock=$tmp/podman.sock
podman system service --time=0 "unix://$sock" >"$tmp/service.log" 2>&1 & pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done

XDG_CACHE_HOME=$tmp/cache "$BULKHEAD" audit --host "unix://$sock" --format json -o "$tmp/a.json" 2>"$tmp/err"
tap_check "the audit asks Podman and gets answers (no error results)" \
  jq -e '.summary.error == 0 and (.results|length) > 100' "$tmp/a.json"
tap_check "1.2.2 recognises Podman instead of judging it as a Docker release" \
  jq -e '.results[] | select(.id=="1.2.2") | .status == "manual" and (.message|test("Podman"))' "$tmp/a.json"
tap_check "dockerd's configuration checks are na for Podman" \
  jq -e '[.results[] | select(.id=="2.2" or .id=="2.14" or .id=="2.16")] | all(.status == "na")' "$tmp/a.json"
tap_check "the Podman image is judged (4.6)" \
  jq -e --arg i "$image" 'any(.results[]; .id=="4.6" and .target.name==$i)' "$tmp/a.json"
tap_check "4.8 reads the image's files out of Podman and finds the setuid mount" \
  jq -e --arg i "$image" '.results[] | select(.id=="4.8" and .target.name==$i) | .status == "warn" and (.message|test("/bin/mount"))' "$tmp/a.json"
tap_done
