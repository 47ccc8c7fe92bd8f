#!/usr/bin/env bash
# The image configuration checks of `bulkhead scan` on real images: one made
# with `docker import` from a busybox root filesystem (setuid and
# world-writable files, secrets in ENV and labels, runs as root), scanned from
# the engine; and a docker-archive whose config carries a build history (remote
# ADD, a secret build argument), a HEALTHCHECK, a USER and an old date.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
bin=${BULKHEAD:-$top/build/src/cli/bulkhead}
work=$(mktemp -d /tmp/bh-scan-config.XXXXXX)
images=()
cleanup() {
  for i in "${images[@]}"; do docker rmi -f "$i" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
export NO_COLOR=1
status() { jq -r --arg id "$1" '[.results[] | select(.id==$id) | .status] | join(",")'; }

# a handcrafted docker-archive with a history
python3 - "$work/hist.tar" <<'PY'
import hashlib, io, json, sys, tarfile
def tar(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for name, mode, data in entries:
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = mode
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()
layer = tar([("etc/os-release", 0o644, b"ID=alpine\nVERSION_ID=3.19.1\n"), ("app/run", 0o755, b"#!")])
cfg = {"created": "2020-01-02T03:04:05Z", "config": {"User": "10001", "Env": ["PATH=/usr/bin"],
       "Healthcheck": {"Test": ["CMD", "/app/run", "--health"]}},
       "history": [{"created_by": "/bin/sh -c #(nop) ADD https://example.com/tool.tar.gz /opt/"},
                   {"created_by": "|1 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789 /bin/sh -c npm ci", "empty_layer": True}],
       "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]}}
man = [{"Config": "c.json", "RepoTags": ["example/app:latest"], "Layers": ["l/layer.tar"]}]
open(sys.argv[1], "wb").write(tar([("l/layer.tar", 0o644, layer), ("c.json", 0o644, json.dumps(cfg).encode()),
                                   ("manifest.json", 0o644, json.dumps(man).encode())]))
PY
out=$("$bin" scan --no-vulns --format json "$work/hist.tar")
tap_is "remote ADD in the history is flagged" "$(status IMG-REMOTE-ADD <<<"$out")" warn
tap_is "a secret build argument in the history is flagged" "$(status IMG-SECRET-HISTORY <<<"$out")" fail
tap_check "the history finding names the variable, never the value" \
  sh -c "jq -r '.results[] | select(.id==\"IMG-SECRET-HISTORY\") | .message' <<'J' | grep -q NPM_TOKEN && ! grep -q abcdefghij <<'K'
$out
J
$out
K"
tap_is "USER 10001 passes" "$(status IMG-USER <<<"$out")" pass
tap_is "a HEALTHCHECK passes" "$(status IMG-HEALTHCHECK <<<"$out")" pass
tap_is "an image from 2020 is old" "$(status IMG-AGE <<<"$out")" warn
tap_is "only tagged latest" "$(status IMG-LATEST <<<"$out")" warn
tap_is "no shell (distroless)" "$(status IMG-SHELL <<<"$out")" pass
tap_is "--max-age wide enough passes" \
  "$("$bin" scan --no-vulns --max-age 100000 --format json "$work/hist.tar" | status IMG-AGE)" pass

if ! docker version >/dev/null 2>&1; then
  tap_skip "engine image configuration checks" "no Docker engine"
  tap_done; exit
fi
bb=$(command -v busybox || echo /bin/busybox)
if [ ! -x "$bb" ] || ! file "$bb" 2>/dev/null | grep -q static; then
  bb=/bin/busybox
fi
root=$work/root
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/srv"
cp "$bb" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
printf 'ID=alpine\nVERSION_ID=3.19.1\n' > "$root/etc/os-release"
printf '#!/bin/sh\n' > "$root/bin/helper"
chmod 4755 "$root/bin/helper"
printf 'x\n' > "$root/srv/shared"
chmod 0666 "$root/srv/shared"
chmod 1777 "$root/tmp"
tag=bh-scan-config-test:$$
tar -C "$root" -cf - . | docker import \
  --change 'ENV DB_PASSWORD=hunter2-not-real' \
  --change 'LABEL org.example.api_key=AKIAIOSFODNN7EXAMPLE' \
  - "$tag" >/dev/null && images+=("$tag")
out=$("$bin" scan --no-vulns --format json "$tag")
tap_is "engine: no USER means root" "$(status IMG-USER <<<"$out")" fail
tap_is "engine: a secret in ENV" "$(status IMG-SECRET-ENV <<<"$out")" fail
tap_is "engine: a secret in a label" "$(status IMG-SECRET-LABEL <<<"$out")" fail
tap_is "engine: the setuid file" \
  "$(jq -r '.results[] | select(.id=="IMG-SETID") | .files | map(.path) | join(",")' <<<"$out")" "bin/helper"
tap_is "engine: the world-writable file (not the sticky /tmp)" \
  "$(jq -r '.results[] | select(.id=="IMG-WORLD-WRITABLE") | .files | map(.path) | join(",")' <<<"$out")" "srv/shared"
tap_is "engine: a shell is present" "$(status IMG-SHELL <<<"$out")" info
tap_check "engine: the ENV value is never printed" sh -c "! grep -q hunter2 <<'J'
$out
J"
tap_is "engine: exit 1 on the failures" "$("$bin" scan --no-vulns --format json "$tag" >/dev/null; echo $?)" 1
tap_done
