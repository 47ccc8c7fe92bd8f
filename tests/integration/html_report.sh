#!/usr/bin/env bash
# The HTML report opened in a real browser (Debian's headless Chromium):
# the DOM it builds holds the scorecard and every finding, and the
# screenshot shows the status colours.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
tmp=$(mktemp -d /tmp/bh-html.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

chromium=$(command -v chromium || command -v chromium-browser)
if [ -z "$chromium" ]; then
  tap_skip "html report in a browser" "chromium is not installed"
  tap_done; exit 0
fi
browser() {
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chromium.log"
}

"$BULKHEAD" audit --format html -o "$tmp/report.html"
"$BULKHEAD" audit --format json -o "$tmp/report.json"
tap_check "the report is one self-contained file (no external resources)" \
  sh -c "! grep -Eq '(src|href)=\"(https?:)?//' '$tmp/report.html'"

browser --dump-dom "file://$tmp/report.html" > "$tmp/dom.html"
rows=$(grep -o '<tr class="finding' "$tmp/dom.html" | wc -l)
tap_is "the browser's DOM has one row per finding" "$rows" "$(jq '.results|length' "$tmp/report.json")"
sections=$(grep -o '<tr><td>[0-9BH]*</td>' "$tmp/dom.html" | wc -l)
tap_is "the scorecard has a row per section and one for all" "$sections" 9
tap_check "the browser ran the page's script (filters are wired)" grep -q 'id="filters"' "$tmp/dom.html"

browser --screenshot="$tmp/shot.png" --window-size=1280,2000 "file://$tmp/report.html" >/dev/null
tap_check "the browser wrote a screenshot" test -s "$tmp/shot.png"
python3 - "$tmp/shot.png" > "$tmp/colours.txt" <<'PY'
import sys, zlib, struct
# a small PNG decoder (8-bit RGB/RGBA, no interlace) to count the status colours
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos+8]); body = data[pos+8:pos+8+n]; pos += 12 + n
    if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT': idat += body
raw = zlib.decompress(idat); bpp = 4 if ctype == 6 else 3; stride = w * bpp
prev = bytearray(stride); out = []; i = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i+1:i+1+stride]); i += 1 + stride
    for x in range(stride):
        a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    out.append(bytes(line)); prev = line
want = {'pass': (0x2e, 0x9d, 0x57), 'fail': (0xd2, 0x3c, 0x3c), 'header': (0x1d, 0x23, 0x30)}
seen = {k: 0 for k in want}
for line in out[::2]:
    for x in range(0, len(line), bpp * 2):
        px = tuple(line[x:x+3])
        for k, v in want.items():
            if all(abs(px[j] - v[j]) <= 8 for j in range(3)): seen[k] += 1
print(' '.join('%s=%d' % kv for kv in sorted(seen.items())))
PY
tap_check "the screenshot shows the header and the pass and fail colours ($(cat "$tmp/colours.txt"))" \
  python3 -c "import sys; d=dict(x.split('=') for x in open('$tmp/colours.txt').read().split()); sys.exit(0 if all(int(v) > 20 for v in d.values()) else 1)"
cp "$tmp/shot.png" /tmp/bulkhead-audit-report.png 2>/dev/null
tap_done
