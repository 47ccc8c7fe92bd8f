#!/usr/bin/env bash
# bulkhead scan / db / sbom end to end: the Alpine test images (docker-archive,
# the engine, OCI layout and archive, a registry on loopback) must give exactly
# the expected findings and packages; a Debian root filesystem with a Debian
# Security Tracker fixture; ignore files and VEX; db update from a loopback
# HTTP server; version ordering against dpkg and rpm themselves.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
bin=${BULKHEAD:-$top/build/src/cli/bulkhead}
shared=${BH_SHARED:-$top/../shared}
[ -d "$shared" ] || shared=/work/shared # the usual place (README: Tests)
alpine=$shared/testdata/alpine
work=$(mktemp -d /tmp/bh-scan-test.XXXXXX)
pids=() images=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  for i in "${images[@]}"; do docker rmi -f "$i" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
export NO_COLOR=1 XDG_CACHE_HOME=$work/cache
db=$work/vuln.db

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# findings as sorted TSV rows: package origin installed id fixed
findings_tsv() { jq -r '.results[] | select(.kind=="vulnerability") |
  [.package, .source_package, .installed_version, .id, (.fixed_version // "")] | @tsv' | sort; }
expected_tsv() { grep -v '^#' "$1" | sort; }

if [ ! -d "$alpine" ]; then
  tap_skip "alpine test data" "no $alpine"
  tap_done; exit
fi

tap_check "db import of the archived Alpine secdb (YAML)" "$bin" db import --db "$db" "$alpine/secdb"
info=$("$bin" db info --db "$db" --format json 2>/dev/null)
tap_is "db info counts 6 secdb sources" "$(jq '.sources | length' <<<"$info")" 6

for img in alpine-310 alpine-311 alpine-310-synth-vuln; do
  file=$alpine/$img.tar.gz
  [ -f "$file" ] || file=$alpine/scan-$img.docker.tar
  got=$("$bin" scan --db "$db" --no-config --format json "$file" | findings_tsv)
  tap_is "$img: findings match the expected TSV (docker-archive)" "$got" "$(expected_tsv "$alpine/$img.expected.tsv")"
  pk=$("$bin" sbom --format cyclonedx "$file" | jq -r '.components[] | select(.type=="library") |
     [.name, .version, (.properties[] | select(.name=="bulkhead:source_package") | .value),
      (.purl | capture("arch=(?<a>[^&]*)").a)] | @tsv' | sort)
  tap_is "$img: packages match the expected TSV" "$pk" "$(expected_tsv "$alpine/$img.packages.tsv")"
done
synth=$alpine/scan-alpine-310-synth-vuln.docker.tar
want=$(expected_tsv "$alpine/alpine-310-synth-vuln.expected.tsv")

# layers: the packages come from the layer that rewrote the apk database
layer=$("$bin" scan --db "$db" --no-config --format json "$synth" | jq -r '[.results[].layer.index] | unique | join(",")')
tap_is "vulnerable packages are attributed to the layer that changed them" "$layer" "1"

# OCI layout (directory) and OCI archive, with gzip layers
python3 "$here/lib/make-oci.py" "$synth" "$work/oci" "$work/oci.tar"
tap_is "OCI layout directory gives the same findings" \
  "$("$bin" scan --db "$db" --no-config --format json "oci:$work/oci" | findings_tsv)" "$want"
tap_is "OCI archive gives the same findings" \
  "$("$bin" scan --db "$db" --no-config --format json "oci-archive:$work/oci.tar" | findings_tsv)" "$want"
tap_is "a bare OCI directory is recognised by its content" \
  "$("$bin" scan --db "$db" --no-config --format json "$work/oci" | findings_tsv)" "$want"

python3 "$here/lib/make-oci.py" --zstd "$synth" "$work/oci-zstd"
tap_is "zstd layers give the same findings" \
  "$("$bin" scan --db "$db" --no-config --format json "oci:$work/oci-zstd" | findings_tsv)" "$want"

# archives and layouts that hold several images: one is chosen by name or
# index (PATH:NAME, PATH:@N, as skopeo names them), never silently
python3 "$here/lib/merge-images.py" "$work/multi.tar" "$alpine/alpine-311.tar.gz" "$synth"
"$bin" scan --db "$db" --no-config "$work/multi.tar" >/dev/null 2>"$work/err"
tap_is "an archive of two images, none chosen, exits 3" "$?" 3
tap_check "and lists them with their tags" grep -q "holds 2 images (@0 alpine:3.11, @1 scan-alpine:3.10-synth-vuln)" "$work/err"
tap_is "docker-archive:PATH:TAG chooses by tag" \
  "$("$bin" scan --db "$db" --no-config --format json "docker-archive:$work/multi.tar:scan-alpine:3.10-synth-vuln" | findings_tsv)" "$want"
tap_is "docker-archive:PATH:@N chooses by index" \
  "$("$bin" scan --db "$db" --no-config --format json "docker-archive:$work/multi.tar:@0" | findings_tsv)" \
  "$(expected_tsv "$alpine/alpine-311.expected.tsv")"
tap_is "a tag matches however the registry is spelled (docker.io/library/...)" \
  "$("$bin" scan --no-vulns --format json "docker-archive:$work/multi.tar:docker.io/library/alpine:3.11" | jq -r '.images[0].id')" \
  "$("$bin" scan --no-vulns --format json "docker-archive:$work/multi.tar:@0" | jq -r '.images[0].id')"
tap_is "a bare path takes the choice too" \
  "$("$bin" scan --db "$db" --no-config --format json "$work/multi.tar:@1" | findings_tsv)" "$want"
"$bin" scan --no-vulns "docker-archive:$work/multi.tar:alpine:9.99" >/dev/null 2>"$work/err"
tap_is "an unknown tag exits 3" "$?" 3
tap_check "and says so" grep -q "no image tagged alpine:9.99" "$work/err"
python3 "$here/lib/make-oci.py" "$alpine/alpine-311.tar.gz" "$work/oci-311" "$work/oci-311.tar"
python3 "$here/lib/merge-images.py" --oci "$work/oci-multi" "$work/oci-311" "$work/oci"
"$bin" scan --no-vulns "oci:$work/oci-multi" >/dev/null 2>"$work/err"
tap_is "an OCI layout of two named images, none chosen, exits 3" "$?" 3
tap_is "oci:PATH:NAME chooses by org.opencontainers.image.ref.name" \
  "$("$bin" scan --db "$db" --no-config --format json "oci:$work/oci-multi:image1" | findings_tsv)" "$want"
tap_is "oci:PATH:@N chooses by index" \
  "$("$bin" scan --db "$db" --no-config --format json "oci:$work/oci-multi:@0" | findings_tsv)" \
  "$(expected_tsv "$alpine/alpine-311.expected.tsv")"

# the digest cache: a layer file that has not changed is not hashed again;
# any change to it (even with its mtime put back) is hashed afresh
cdir=$XDG_CACHE_HOME/bulkhead/digests-v1
rm -rf "$cdir"
cp "$synth" "$work/cached.tar"
tap_is "a scan records the digests of the layers it hashed" \
  "$("$bin" scan --db "$db" --no-config --format json "$work/cached.tar" | findings_tsv)" "$want"
entries=$(ls "$cdir" 2>/dev/null | wc -l)
tap_check "a cache entry was written" test "$entries" -ge 1
diff_ids=$(tar -xOf "$work/cached.tar" "$(tar -xOf "$work/cached.tar" manifest.json | jq -r '.[0].Config')" |
  jq -r '.rootfs.diff_ids[]' | sort)
tap_is "the entries hold the layers' computed digests" \
  "$(cat "$cdir"/* | awk '{print $9}' | sort -u)" "$diff_ids"
tap_is "a second scan gives the same findings" \
  "$("$bin" scan --db "$db" --no-config --format json "$work/cached.tar" 2>"$work/log" | findings_tsv)" "$want"
BULKHEAD_LOG=debug "$bin" scan --no-vulns --format json "$work/cached.tar" >/dev/null 2>"$work/log"
tap_check "and takes the digests from the cache (BULKHEAD_LOG=debug says so)" grep -q "from the cache" "$work/log"
BULKHEAD_LOG=debug "$bin" scan --no-cache --no-vulns --format json "$work/cached.tar" >/dev/null 2>"$work/log"
tap_check "--no-cache hashes (BULKHEAD_LOG=debug says so)" grep -q "hashing [0-9]* bytes" "$work/log"
# a forged entry is believed (that is what a cache is), but only for this
# user's own files that nobody else can write, and never with --no-cache
for f in "$cdir"/*; do
  sed -i 's/sha256:[0-9a-f]*/sha256:0000000000000000000000000000000000000000000000000000000000000000/g' "$f"
  chmod 600 "$f"
done
"$bin" scan --db "$db" --no-config --format json "$work/cached.tar" >/dev/null 2>"$work/err"
tap_is "the cached digest is what is checked (a forged entry fails the check)" "$?" 3
tap_check "and the error says the digest does not match" grep -q "does not match" "$work/err"
tap_is "--no-cache hashes afresh" \
  "$("$bin" scan --no-cache --db "$db" --no-config --format json "$work/cached.tar" | findings_tsv)" "$want"
for f in "$cdir"/*; do
  sed -i 's/sha256:0\{64\}/sha256:1111111111111111111111111111111111111111111111111111111111111111/g' "$f"
  chmod 620 "$f"
done
tap_is "an entry others could write is ignored" \
  "$("$bin" scan --db "$db" --no-config --format json "$work/cached.tar" | findings_tsv)" "$want"
# a good entry again; then change one byte of a file's body inside a layer
# and put the mtime back: only the ctime tells
rm -f "$cdir"/*
"$bin" scan --db "$db" --no-config --format json "$work/cached.tar" >/dev/null
python3 - "$work/cached.tar" <<'PY'
import os, sys, tarfile
path = sys.argv[1]
st = os.stat(path)
with tarfile.open(path) as outer:
    layers = [m for m in outer.getmembers() if m.name.endswith("layer.tar")]
    base = layers[-1].offset_data
    inner = tarfile.open(fileobj=outer.extractfile(layers[-1]))
    body = next(m for m in inner.getmembers() if m.isfile() and m.size > 16)
    at = base + body.offset_data + body.size // 2
with open(path, "r+b") as f:
    f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 0x20]))
os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
"$bin" scan --db "$db" --no-config --format json "$work/cached.tar" >/dev/null 2>"$work/err"
tap_is "a layer changed in place with its mtime put back is hashed again and fails" "$?" 3
tap_check "and the error names the layer" grep -q "layer.tar.*does not match" "$work/err"
echo previous > "$work/report.json"
"$bin" scan --db "$db" --no-config --format json -o "$work/report.json" "$work/cached.tar" 2>/dev/null
tap_is "and the report file named by -o is left as it was" "$(cat "$work/report.json")" previous
# the cache keeps the most recent 512 entries: an archive written afresh on
# every CI run leaves entries behind
python3 -c 'import os, sys
for i in range(1, 601):
    p = os.path.join(sys.argv[1], "%064x" % i)
    open(p, "w").write("stale\n")
    os.utime(p, (1577836800 + i, 1577836800 + i))' "$cdir"
touch "$cdir/notes.txt"
cp "$synth" "$work/fresh.tar"
"$bin" scan --no-vulns --format json "$work/fresh.tar" >/dev/null
tap_is "a write trims the cache to 512 entries" "$(find "$cdir" -regextype posix-extended -regex '.*/[0-9a-f]{64}' | wc -l)" 512
tap_check "the oldest go first" test ! -e "$cdir/$(printf '%064x' 1)"
tap_check "what is not an entry is left alone" test -f "$cdir/notes.txt"
rm -f "$cdir"/*
# compressed layers in a directory: both digests are cached, a changed blob is caught
n0=$(ls "$cdir" | wc -l)
cp -r "$work/oci" "$work/oci-cached"
"$bin" scan --db "$db" --no-config --format json "oci:$work/oci-cached" >/dev/null
tap_check "gzip layers of an OCI layout are cached too" test "$(ls "$cdir" | wc -l)" -gt "$n0"
tap_is "and read from the cache give the same findings" \
  "$("$bin" scan --db "$db" --no-config --format json "oci:$work/oci-cached" | findings_tsv)" "$want"
blob=$(ls -S "$work/oci-cached/blobs/sha256" | head -n1)
python3 -c 'import os,sys; p=sys.argv[1]; st=os.stat(p); d=bytearray(open(p,"rb").read()); d[-9]^=1; open(p,"wb").write(d); os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))' \
  "$work/oci-cached/blobs/sha256/$blob"
"$bin" scan --db "$db" --no-config --format json "oci:$work/oci-cached" >/dev/null 2>"$work/err"
tap_is "a changed gzip blob is caught despite the cache" "$?" 3

# a registry that redirects blob GETs to storage, as registries backed by
# object storage do (a mock: Debian's docker-registry serves blobs itself),
# behind the bearer-token flow (the real registry's token auth is tested with
# the engine below)
mport=$(free_port)
python3 "$here/lib/mock-registry.py" "$work/oci" "$mport" tokenuser tokenpass &
pids+=($!)
for _ in $(seq 50); do curl -s "http://127.0.0.1:$mport/v2/" >/dev/null && break; sleep 0.1; done
tap_is "registry with bearer-token authentication" \
  "$("$bin" scan --db "$db" --no-config --insecure --username tokenuser --password tokenpass --format json \
     "docker://127.0.0.1:$mport/bh/synth:1" | findings_tsv)" "$want"
"$bin" scan --no-vulns --insecure --username tokenuser --password wrong "docker://127.0.0.1:$mport/bh/synth:1" >/dev/null 2>"$work/err"
tap_is "a refused token exits 3" "$?" 3
tap_check "and says the token service refused" grep -q "token service answered 401" "$work/err"
mdigest=$(jq -r '.manifests[0].digest' "$work/oci/index.json")
tap_is "registry image by digest" \
  "$("$bin" scan --db "$db" --no-config --insecure --username tokenuser --password tokenpass --format json \
     "docker://127.0.0.1:$mport/bh/synth@$mdigest" | findings_tsv)" "$want"

# rpm: a Rocky Linux root filesystem with a real rpmdb.sqlite and an OSV advisory by source RPM
rroot=$work/rocky
mkdir -p "$rroot/etc" "$rroot/var/lib/rpm"
printf 'ID="rocky"\nVERSION_ID="9.3"\n' > "$rroot/etc/os-release"
cp "$top/tests/data/rpm/rpmdb.sqlite" "$rroot/var/lib/rpm/"
cat > "$work/rocky.json" <<'OSV'
[{"id": "RLSA-2099:0001", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2099-2222"],
  "affected": [{"package": {"ecosystem": "Rocky Linux:9", "name": "bhtest"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2:1.2.3-5.el9"}]}]}],
  "database_specific": {"severity": "Important"}},
 {"id": "RLSA-2099:0002", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2099-3333"],
  "affected": [{"package": {"ecosystem": "Rocky Linux:9", "name": "bhtest"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2:1.2.3-3.el9"}]}]}]}]
OSV
"$bin" db import --db "$db" "$work/rocky.json" 2>/dev/null
out=$("$bin" scan --db "$db" --no-config --format json "dir:$rroot")
tap_is "rpm: matched by source RPM with rpm ordering (epoch, release)" \
  "$(jq -r '[.results[] | select(.kind=="vulnerability") | "\(.package) \(.id) \(.fixed_version) \(.severity)"] | join(",")' <<<"$out")" \
  "bhtest CVE-2099-2222 2:1.2.3-5.el9 high"

# Ubuntu: records shaped as Canonical publishes them (UBUNTU-CVE-* with its
# CVE upstream, USN-* listing UBUNTU-CVE-*, Ubuntu Pro streams per ecosystem)
uroot=$work/ubuntu
mkdir -p "$uroot/etc/apt/sources.list.d" "$uroot/var/lib/dpkg"
printf 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n' > "$uroot/etc/os-release"
cat > "$uroot/var/lib/dpkg/status" <<'DPKG'
Package: php8.1-cli
Status: install ok installed
Architecture: amd64
Source: php8.1
Version: 8.1.2-1ubuntu2.21

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.2-0ubuntu1.10

Package: imagemagick-6.q16
Status: install ok installed
Architecture: amd64
Source: imagemagick
Version: 8:6.9.11.60+dfsg-1.3ubuntu0.22.04.5
DPKG
cat > "$work/ubuntu.json" <<'OSV'
[{"id": "UBUNTU-CVE-2099-6491", "modified": "2026-01-01T00:00:00Z", "upstream": ["CVE-2099-6491"],
  "related": ["USN-9648-1"],
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H"}, {"type": "Ubuntu", "score": "medium"}],
  "affected": [{"package": {"ecosystem": "Ubuntu:Pro:20.04:LTS", "name": "php7.4"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]},
               {"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "php8.1"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "8.1.2-1ubuntu2.22"}]}]}]},
 {"id": "USN-9648-1", "modified": "2026-01-01T00:00:00Z",
  "upstream": ["UBUNTU-CVE-2099-1220", "UBUNTU-CVE-2099-122", "UBUNTU-CVE-2099-6491"],
  "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "php8.1"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "8.1.2-1ubuntu2.22"}]}]}]},
 {"id": "UBUNTU-CVE-2099-0001", "modified": "2026-01-01T00:00:00Z", "upstream": ["CVE-2099-0001"],
  "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "openssl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.10"}]}]},
               {"package": {"ecosystem": "Ubuntu:Pro:FIPS-updates:22.04:LTS", "name": "openssl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.fips.1"}]}]}]},
 {"id": "UBUNTU-CVE-2099-0002", "modified": "2026-01-01T00:00:00Z", "upstream": ["CVE-2099-0002"],
  "affected": [{"package": {"ecosystem": "Ubuntu:Pro:22.04:LTS", "name": "imagemagick"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "8:6.9.11.60+dfsg-1.3ubuntu0.22.04.5+esm1"}]}],
                "ecosystem_specific": {"availability": "Available with Ubuntu Pro: https://ubuntu.com/pro"}}]}]
OSV
"$bin" db import --db "$db" "$work/ubuntu.json" 2>/dev/null
ubuntu_findings() { "$bin" scan --db "$db" --no-config --format json "dir:$uroot" |
  jq -r '[.results[] | select(.kind=="vulnerability") | "\(.package) \(.id) \(.fixed_version)"] | sort | join(",")'; }
tap_is "Ubuntu: one finding per CVE, whether the UBUNTU-CVE record or the USN names it" \
  "$(ubuntu_findings)" \
  "php8.1-cli CVE-2099-122 8.1.2-1ubuntu2.22,php8.1-cli CVE-2099-1220 8.1.2-1ubuntu2.22,php8.1-cli CVE-2099-6491 8.1.2-1ubuntu2.22"
tap_is "Ubuntu: the finding lists the distribution's ids as aliases" \
  "$("$bin" scan --db "$db" --no-config --format json "dir:$uroot" | jq -r '.results[] | select(.id=="CVE-2099-6491") | .aliases | sort | join(",")')" \
  "UBUNTU-CVE-2099-6491,USN-9648-1"
touch "$uroot/etc/apt/sources.list.d/ubuntu-esm-apps.list"
tap_is "Ubuntu Pro (ESM) fixes apply once the image has the ESM sources; FIPS builds never" \
  "$(ubuntu_findings)" \
  "imagemagick-6.q16 CVE-2099-0002 8:6.9.11.60+dfsg-1.3ubuntu0.22.04.5+esm1,php8.1-cli CVE-2099-122 8.1.2-1ubuntu2.22,php8.1-cli CVE-2099-1220 8.1.2-1ubuntu2.22,php8.1-cli CVE-2099-6491 8.1.2-1ubuntu2.22"

# --ignore-unfixed keeps fixed ones; --fail-on thresholds
"$bin" scan --db "$db" --no-config --format json --fail-on critical "$synth" >/dev/null
tap_is "--fail-on critical passes when nothing is critical" "$?" 0
"$bin" scan --db "$db" --no-config --format json "$synth" >/dev/null
tap_is "vulnerabilities fail by default (exit 1)" "$?" 1

# .bulkheadignore with reasons and expiry, and OpenVEX
cat > "$work/ignore" <<'IGN'
# accepted risks
CVE-2019-14697 package=musl-utils until=2999-01-01 reason="not reachable in this image"
CVE-2019-1547 until=2001-01-01 reason=expired long ago
IGN
out=$("$bin" scan --db "$db" --no-config --format json --ignore-file "$work/ignore" "$synth" 2>"$work/err")
tap_is "ignore file hides the rule's package only" "$(findings_tsv <<<"$out" | grep -c CVE-2019-14697)" 1
tap_is "the suppression is listed with its reason" \
  "$(jq -r '.suppressed[0].reason' <<<"$out" | grep -c 'not reachable')" 1
tap_check "an expired rule is reported and not applied" grep -q "expired on 2001-01-01" "$work/err"
cat > "$work/vex.json" <<'VEX'
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "test",
 "timestamp": "2026-01-01T00:00:00Z", "version": 1,
 "statements": [{"vulnerability": {"name": "CVE-2019-1549"}, "products": [{"@id": "pkg:apk/alpine/libssl1.1"}],
                 "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
VEX
out=$("$bin" scan --db "$db" --no-config --format json --vex "$work/vex.json" "$synth")
tap_is "VEX not_affected hides the vulnerability for the named product" \
  "$(findings_tsv <<<"$out" | grep CVE-2019-1549 | cut -f1 | tr '\n' ' ')" "libcrypto1.1 "

# JSON fields and SARIF
one=$("$bin" scan --db "$db" --no-config --format json "$synth" | jq -c '.results[0] | keys')
for k in aliases package installed_version source_package source_version fixed_version fix_state severity layer status id; do
  [[ "$one" == *"\"$k\""* ]] || tap_not_ok "vulnerability result has $k" "$one"
done
tap_ok "vulnerability results carry the documented members"
sarif=$("$bin" scan --db "$db" --format sarif "$synth")
tap_is "SARIF 2.1.0 output" "$(jq -r '.version' <<<"$sarif")" "2.1.0"
. "$here/../lib/tools.sh"
if mt=$(sarif_multitool 2>/dev/null); then
  printf '%s' "$sarif" > "$work/scan.sarif"
  DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$mt" validate --rule-kind "Gh;Sarif" "$work/scan.sarif" -o "$work/v.sarif" >/dev/null 2>&1
  problems=$(jq -r '[.runs[0].results[] | select(.level == "error" or .level == "warning") | "\(.ruleId) \(.message.id // .message.text)"] | unique | join("; ")' "$work/v.sarif" 2>/dev/null || echo "validator output unreadable")
  tap_is "scan SARIF passes Microsoft's validator with GitHub's rules" "$problems" ""
else
  tap_skip "SARIF validator" "could not fetch the SARIF multitool"
fi

# configuration checks on the image
cfg=$("$bin" scan --no-vulns --format json "$synth")
tap_is "config: runs as root" "$(jq -r '.results[] | select(.id=="IMG-USER") | .status' <<<"$cfg")" fail
tap_is "config: no HEALTHCHECK" "$(jq -r '.results[] | select(.id=="IMG-HEALTHCHECK") | .status' <<<"$cfg")" warn
tap_is "config: a shell is present" "$(jq -r '.results[] | select(.id=="IMG-SHELL") | .status' <<<"$cfg")" info

# SBOMs against the published schemas
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  "$bin" sbom --format cyclonedx -o "$work/bom.cdx.json" "$synth"
  "$bin" sbom --format spdx -o "$work/bom.spdx.json" "$synth"
  tap_check "CycloneDX 1.5 SBOM validates against the published schema" \
    /usr/bin/python3 "$here/lib/validate-schema.py" "$top/tests/data/schemas/bom-1.5.SNAPSHOT.schema.json" "$work/bom.cdx.json"
  if [ -f "$top/tests/data/schemas/spdx-2.3.schema.json" ]; then
    tap_check "SPDX 2.3 SBOM validates against the published schema" \
      /usr/bin/python3 "$here/lib/validate-schema.py" "$top/tests/data/schemas/spdx-2.3.schema.json" "$work/bom.spdx.json"
  else
    tap_skip "SPDX 2.3 schema validation" "schema file not present"
  fi
else
  tap_skip "SBOM schema validation" "python3-jsonschema not installed"
fi

# the local engine (streamed) and a registry on loopback
if docker version >/dev/null 2>&1; then
  tag=bh-scan-test/synth:$$
  loaded=scan-alpine:3.10-synth-vuln
  docker image inspect "$loaded" >/dev/null 2>&1 || images+=("$loaded") # remove it only if we load it
  id=$(docker load -q -i "$synth" | sed -n 's/^Loaded image: //p')
  docker tag "$id" "$tag" && images+=("$tag")
  tap_is "engine image (streamed) gives the expected findings" \
    "$("$bin" scan --db "$db" --no-config --format json "$tag" | findings_tsv)" "$want"
  tap_is "docker-daemon: prefix" \
    "$("$bin" scan --db "$db" --no-config --format json "docker-daemon:$tag" | findings_tsv)" "$want"
  "$bin" scan --db "$db" --no-config bh-no-such-image:1 >/dev/null 2>"$work/err"
  tap_is "a missing image exits 3" "$?" 3
  tap_check "and names the image" grep -q "bh-no-such-image:1" "$work/err"
  if command -v docker-registry >/dev/null; then
    port=$(free_port)
    mkdir -p "$work/registry"
    printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
      "$work/registry/data" "$port" > "$work/registry/config.yml"
    docker-registry serve "$work/registry/config.yml" > "$work/registry/log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
    rtag=127.0.0.1:$port/bh/synth:1
    docker tag "$id" "$rtag" && images+=("$rtag")
    if docker push "$rtag" >/dev/null 2>&1; then
      tap_is "registry (v2, anonymous, --insecure) gives the expected findings" \
        "$("$bin" scan --db "$db" --no-config --insecure --format json "docker://$rtag" | findings_tsv)" "$want"
      "$bin" scan --db "$db" --no-config --insecure "docker://127.0.0.1:$port/bh/missing:1" >/dev/null 2>"$work/err"
      tap_is "a missing repository exits 3" "$?" 3
    else
      tap_skip "registry scan" "docker push to 127.0.0.1:$port failed"
    fi
    if command -v htpasswd >/dev/null; then
      aport=$(free_port)
      htpasswd -Bbc "$work/registry/htpasswd" tester s3cret >/dev/null 2>&1
      printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\nauth:\n  htpasswd:\n    realm: test\n    path: %s\n' \
        "$work/registry/data" "$aport" "$work/registry/htpasswd" > "$work/registry/auth.yml"
      docker-registry serve "$work/registry/auth.yml" > "$work/registry/auth.log" 2>&1 &
      pids+=($!)
      for _ in $(seq 50); do curl -s "http://127.0.0.1:$aport/v2/" >/dev/null && break; sleep 0.1; done
      "$bin" scan --no-vulns --insecure "docker://127.0.0.1:$aport/bh/synth:1" >/dev/null 2>"$work/err"
      tap_is "basic-auth registry without credentials exits 3" "$?" 3
      tap_is "basic-auth registry with credentials" \
        "$("$bin" scan --db "$db" --no-config --insecure --username tester --password s3cret --format json \
           "docker://127.0.0.1:$aport/bh/synth:1" | findings_tsv)" "$want"
    else
      tap_skip "basic-auth registry" "htpasswd (apache2-utils) not installed"
    fi
    # bearer tokens: the same storage behind Debian's docker-registry with
    # token authentication, and a token issuer of the test's own whose signing
    # certificate the registry trusts
    if command -v openssl >/dev/null; then
      tport=$(free_port) rport=$(free_port) nport=$(free_port)
      openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/registry/issuer.key" \
        -out "$work/registry/issuer.pem" -days 2 -subj /CN=bh-test-issuer >/dev/null 2>&1
      python3 "$here/lib/token-issuer.py" "$work/registry/issuer.key" "$work/registry/issuer.pem" \
        "$tport" tokenuser tokenpass &
      pids+=($!)
      python3 "$here/lib/token-issuer.py" "$work/registry/issuer.key" "$work/registry/issuer.pem" \
        "$nport" tokenuser tokenpass "" &
      pids+=($!)
      token_config() { # PORT ISSUER_PORT
        printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\nauth:\n  token:\n    realm: http://127.0.0.1:%s/token\n    service: bh-test-registry\n    issuer: bh-test-issuer\n    rootcertbundle: %s\n' \
          "$work/registry/data" "$1" "$2" "$work/registry/issuer.pem"
      }
      token_config "$rport" "$tport" > "$work/registry/token.yml"
      docker-registry serve "$work/registry/token.yml" > "$work/registry/token.log" 2>&1 &
      pids+=($!)
      gport=$(free_port)
      token_config "$gport" "$nport" > "$work/registry/nogrant.yml"
      docker-registry serve "$work/registry/nogrant.yml" > "$work/registry/nogrant.log" 2>&1 &
      pids+=($!)
      for p in "$tport" "$nport" "$rport" "$gport"; do
        for _ in $(seq 50); do curl -s "http://127.0.0.1:$p/" >/dev/null && break; sleep 0.1; done
      done
      tap_is "bearer-token registry (docker-registry, auth: token) gives the expected findings" \
        "$("$bin" scan --db "$db" --no-config --insecure --username tokenuser --password tokenpass --format json \
           "docker://127.0.0.1:$rport/bh/synth:1" | findings_tsv)" "$want"
      "$bin" scan --no-vulns --insecure "docker://127.0.0.1:$rport/bh/synth:1" >/dev/null 2>"$work/err"
      tap_is "the token registry without credentials exits 3" "$?" 3
      "$bin" scan --no-vulns --insecure --username tokenuser --password wrong \
        "docker://127.0.0.1:$rport/bh/synth:1" >/dev/null 2>"$work/err"
      tap_is "wrong credentials for the token service exit 3" "$?" 3
      tap_check "and say the token service refused" grep -q "token service answered 401" "$work/err"
      "$bin" scan --no-vulns --insecure --username tokenuser --password tokenpass \
        "docker://127.0.0.1:$gport/bh/synth:1" >/dev/null 2>"$work/err"
      tap_is "a token that grants no pull exits 3" "$?" 3
      tap_check "and names the repository" grep -q "bh/synth" "$work/err"
    else
      tap_skip "bearer-token registry" "openssl not installed"
    fi
  else
    tap_skip "registry scan" "docker-registry not installed"
  fi
else
  tap_skip "engine and registry scans" "no Docker engine"
fi

# a Debian root filesystem (this host's dpkg database) and a Debian Security Tracker fixture
if [ -f /var/lib/dpkg/status ] && grep -q '^ID=debian' /etc/os-release; then
  root=$work/rootfs
  mkdir -p "$root/etc" "$root/var/lib/dpkg" "$root/usr/lib"
  cp /usr/lib/os-release "$root/usr/lib/os-release"
  ln -s ../usr/lib/os-release "$root/etc/os-release"
  cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
  ver=$(. /etc/os-release; echo "$VERSION_CODENAME")
  src=$(dpkg-query -W -f='${source:Package} ${source:Version}\n' bash)
  sname=${src% *} sver=${src#* }
  jq -n --arg p "$sname" --arg r "$ver" --arg v "$sver" '{($p): {
      "CVE-2099-0001": {"description": "test fixed", "releases": {($r): {"status": "resolved", "fixed_version": ($v + "+fix1"), "urgency": "high"}}},
      "CVE-2099-0002": {"description": "test open", "releases": {($r): {"status": "open", "urgency": "low"}}},
      "CVE-2099-0003": {"description": "test not affected", "releases": {($r): {"status": "resolved", "fixed_version": "0"}}},
      "CVE-2099-0004": {"description": "test old fix", "releases": {($r): {"status": "resolved", "fixed_version": "1.0-1"}}}}}' > "$work/tracker.json"
  tap_check "db import of a Debian Security Tracker JSON" "$bin" db import --db "$db" "$work/tracker.json"
  out=$("$bin" scan --db "$db" --no-config --format json "dir:$root")
  tap_is "Debian tracker: fixed in a later version is reported with its fix" \
    "$(jq -r --arg p bash '.results[] | select(.id=="CVE-2099-0001" and .package==$p) | .fixed_version' <<<"$out")" "$sver+fix1"
  tap_is "Debian tracker: an open issue is reported unfixed" \
    "$(jq -r '.results[] | select(.id=="CVE-2099-0002" and .package=="bash") | .fix_state' <<<"$out")" unfixed
  tap_is "Debian tracker: not affected and already fixed are not reported" \
    "$(jq '[.results[] | select(.id=="CVE-2099-0003" or .id=="CVE-2099-0004")] | length' <<<"$out")" 0
  tap_is "--ignore-unfixed hides the open one" \
    "$("$bin" scan --db "$db" --no-config --ignore-unfixed --format json "dir:$root" | jq '[.results[] | select(.id=="CVE-2099-0002")] | length')" 0
  n=$("$bin" sbom "dir:$root" | jq '[.components[] | select(.type=="library")] | length')
  tap_is "dpkg packages in the SBOM equal dpkg-query's count" "$n" "$(dpkg-query -W -f='${db:Status-Status}\n' | grep -c '^installed$')"
  tap_is "os-release through a symlink into usr/lib" \
    "$("$bin" scan --no-vulns --format json "dir:$root" | jq -r '.images[0].os.advisories')" "debian:$(. /etc/os-release; echo "$VERSION_ID")"
fi

# db update from a loopback HTTP server; a failed update leaves the old DB whole
mkdir -p "$work/osv/Alpine"
cat > "$work/osv/ALPINE-TEST-1.json" <<'OSV'
{"id": "ALPINE-CVE-2099-1111", "modified": "2026-01-02T00:00:00Z", "upstream": ["CVE-2099-1111"],
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Alpine:v3.10", "name": "zlib"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.11-r9"}]}]}]}
OSV
(cd "$work/osv" && zip -q Alpine/all.zip ALPINE-TEST-1.json)
hport=$(free_port)
python3 -m http.server "$hport" --bind 127.0.0.1 --directory "$work/osv" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$hport/Alpine/all.zip" -o /dev/null && break; sleep 0.1; done
tap_check "db update downloads an ecosystem zip" "$bin" db update --db "$db" --url "http://127.0.0.1:$hport" --ecosystem Alpine
zl=$("$bin" scan --db "$db" --no-config --format json "$synth" | jq -r '.results[] | select(.id=="CVE-2099-1111") | "\(.package) \(.severity) \(.cvss)"')
tap_is "the updated advisory matches, with severity from its CVSS vector" "$zl" "zlib critical 9.8"
before=$(sha256sum "$db")
"$bin" db update --db "$db" --url "http://127.0.0.1:$hport" --ecosystem Alpine --ecosystem Missing >/dev/null 2>"$work/err"
tap_is "a failed update exits 3" "$?" 3
tap_is "and leaves the database unchanged" "$(sha256sum "$db")" "$before"
tap_is "and no temporary files behind" "$(ls "$work" | grep -c 'vuln.db.')" 0

# an import interrupted half-way (SIGINT) leaves the old database whole and no copy behind
python3 - "$work/big.zip" <<'PY'
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(100000):
        z.writestr("R-%d.json" % i, json.dumps({"id": "BIG-%d" % i, "modified": "2026-01-01T00:00:00Z",
          "affected": [{"package": {"ecosystem": "Debian:12", "name": "p%d" % i},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]}))
PY
before=$(sha256sum "$db")
timeout -s INT 0.5 "$bin" db import --db "$db" "$work/big.zip" >/dev/null 2>&1
tap_is "an interrupted import leaves the database unchanged" "$(sha256sum "$db")" "$before"
tap_is "and removes its half-written copy" "$(ls "$work" | grep -c 'vuln.db.')" 0

# db info warns when the data is old (the import time moved back 30 days)
cp "$db" "$work/old.db"
if command -v sqlite3 >/dev/null; then
  sqlite3 "$work/old.db" "UPDATE source SET imported = imported - 30*86400;"
  "$bin" db info --db "$work/old.db" >/dev/null 2>"$work/err"
  tap_check "db info warns about 30-day-old data" grep -q "30 days old" "$work/err"
  tap_is "db info --format json marks it stale" "$("$bin" db info --db "$work/old.db" --format json 2>/dev/null | jq .stale)" true
  # a database of an older schema: scans refuse it, an import replaces it
  cp "$db" "$work/v1.db"
  sqlite3 "$work/v1.db" "PRAGMA user_version = 1;"
  "$bin" scan --db "$work/v1.db" --no-config "dir:$uroot" >/dev/null 2>"$work/err"
  tap_is "a scan refuses a database of an older schema (exit 3)" "$?" 3
  tap_check "and says to update it" grep -q "database schema 1, this bulkhead reads 2: run 'bulkhead db update'" "$work/err"
  "$bin" db import --db "$work/v1.db" "$work/ubuntu.json" >/dev/null 2>"$work/err"
  tap_is "an import over it starts afresh" "$("$bin" db info --db "$work/v1.db" --format json | jq -c '[.schema, (.sources | length)]')" "[2,1]"
  tap_check "and warns that the old sources are gone" grep -q "older schema (1)" "$work/err"
else
  tap_skip "db info staleness" "sqlite3 not installed"
fi

# on a terminal: the table, and a progress line while downloading
if command -v script >/dev/null; then
  script -qec "$bin scan --db $db --no-config $synth" /dev/null > "$work/tty.txt" 2>&1
  tap_check "a terminal gets the table" grep -q "^PACKAGE *INSTALLED *FIXED" "$work/tty.txt"
  script -qec "$bin db update --db $work/tty.db --url http://127.0.0.1:$hport --ecosystem Alpine" /dev/null > "$work/progress.txt" 2>&1
  tap_check "db update shows progress on a terminal" grep -q "Alpine .*MiB" "$work/progress.txt"
fi

# version ordering against the package managers themselves
if command -v dpkg >/dev/null; then
  dpkg-query -W -f='${Version}\n' | sort -u > "$work/versions"
  python3 - "$work/versions" > "$work/pairs" <<'PY'
import random, sys
v = [l.strip() for l in open(sys.argv[1]) if l.strip()]
random.seed(4)
muts = lambda s: [s, s + "~1", s + "+b1", s + "0", "1:" + s if ":" not in s else s]
pool = [m for s in v for m in muts(s)]
for _ in range(400):
    a = random.choice(pool)
    b = random.choice(pool) if random.random() < 0.5 else random.choice(muts(a))
    print(a, b)
PY
  "$bin" db compare dpkg - < "$work/pairs" > "$work/ours"
  bad=0
  while read -r a op b; do
    case $op in '<') o=lt ;; '>') o=gt ;; *) o=eq ;; esac
    dpkg --compare-versions "$a" "$o" "$b" || { bad=$((bad + 1)); echo "# dpkg disagrees: $a $op $b"; }
  done < "$work/ours"
  tap_is "400 random version pairs order as dpkg --compare-versions does" "$bad" 0
  if /usr/bin/python3 -c 'import rpm' 2>/dev/null; then
    "$bin" db compare rpm - < "$work/pairs" > "$work/ours-rpm"
    bad=$(/usr/bin/python3 - "$work/ours-rpm" <<'PY'
import rpm, sys
def evr(s):
    e, _, rest = s.rpartition(":") if ":" in s else ("", "", s)
    v, _, r = rest.rpartition("-") if "-" in rest else (rest, "", "")
    return (e or "0", v, r or None) if "-" in rest else (e or "0", rest, None)
bad = 0
for line in open(sys.argv[1]):
    a, op, b = line.split()
    want = {-1: "<", 0: "=", 1: ">"}[rpm.labelCompare(evr(a), evr(b))]
    if want != op:
        bad += 1
        print("# rpm disagrees:", a, op, b, "rpm says", want, file=sys.stderr)
print(bad)
PY
)
    tap_is "the same pairs order as rpm's labelCompare does" "$bad" 0
  else
    tap_skip "rpm version ordering" "python3-rpm not installed"
  fi
fi
tap_done
