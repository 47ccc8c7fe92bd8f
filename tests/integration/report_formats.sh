#!/usr/bin/env bash
# The audit's report formats checked by real consumers: SARIF by Microsoft's
# SARIF validator with GitHub code scanning's ingestion rules, JUnit XML by an
# XML parser against the JSON report, colour only on a terminal.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/tools.sh"
tmp=$(mktemp -d /tmp/bh-formats.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$BULKHEAD" audit --format json -o "$tmp/a.json"
"$BULKHEAD" audit --format sarif -o "$tmp/a.sarif"
"$BULKHEAD" audit --format junit -o "$tmp/a.xml"

if mt=$(sarif_multitool 2>"$tmp/fetch.err"); then
  export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
  rm -f "$tmp/v.sarif"; "$mt" validate --rule-kind "Gh;Sarif" "$tmp/a.sarif" -o "$tmp/v.sarif" >"$tmp/mt.log" 2>&1
  problems=$(jq -r '[.runs[0].results[] | select(.level == "error" or .level == "warning") | "\(.ruleId) \(.message.id // .message.text)"] | unique | join("; ")' "$tmp/v.sarif" 2>/dev/null || echo "validator output unreadable")
  tap_is "SARIF passes the SARIF validator with GitHub's rules" "$problems" ""
  jq 'del(.runs[0].tool.driver.name)' "$tmp/a.sarif" > "$tmp/broken.sarif"
  "$mt" validate "$tmp/broken.sarif" -o "$tmp/vb.sarif" >/dev/null 2>&1
  tap_check "the validator does catch a broken log (so it checks something)" \
    jq -e '[.runs[0].results[] | select(.level == "error")] | length > 0' "$tmp/vb.sarif"
else
  tap_skip "SARIF validator" "could not fetch it from the npm registry: $(head -c 200 "$tmp/fetch.err")"
fi
fails=$(jq '[.results[] | select(.status == "fail" or .status == "warn" or .status == "info")] | length' "$tmp/a.json")
tap_is "SARIF has one result per fail, warn and info" "$(jq '.runs[0].results | length' "$tmp/a.sarif")" "$fails"
tap_is "info results are notes" "$(jq '[.runs[0].results[] | select(.level == "note")] | length' "$tmp/a.sarif")" \
  "$(jq '[.results[] | select(.status == "info")] | length' "$tmp/a.json")"

python3 - "$tmp/a.xml" "$tmp/a.json" > "$tmp/junit.txt" 2>&1 <<'PY'
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
report = json.load(open(sys.argv[2]))
s = report["summary"]
cases = root.findall(".//testcase")
assert root.tag == "testsuites", root.tag
assert len(cases) == len(report["results"]), (len(cases), len(report["results"]))
assert int(root.get("failures")) == s["fail"] == len(root.findall(".//failure")), "failures"
assert int(root.get("errors")) == s["error"] == len(root.findall(".//error")), "errors"
assert int(root.get("skipped")) == s["na"] + s["manual"] == len(root.findall(".//skipped")), "skipped"
assert len(root.findall("testsuite")) == len({r["section"] for r in report["results"]}), "suites"
print("ok")
PY
tap_is "JUnit XML parses and its counts match the JSON report" "$(cat "$tmp/junit.txt")" ok

# colour only on a terminal, never with NO_COLOR or --no-color
if command -v script >/dev/null; then
  env -u NO_COLOR script -qec "$BULKHEAD audit --check 1.2.1" /dev/null > "$tmp/tty.txt" 2>&1
  tap_check "text on a terminal is coloured" grep -q $'\033\\[' "$tmp/tty.txt"
  NO_COLOR=1 script -qec "$BULKHEAD audit --check 1.2.1" /dev/null > "$tmp/nocolor.txt" 2>&1
  tap_check "NO_COLOR turns colour off on a terminal" sh -c "! grep -q $'\033\\[' '$tmp/nocolor.txt'"
  env -u NO_COLOR script -qec "$BULKHEAD audit --check 1.2.1 --no-color" /dev/null > "$tmp/flag.txt" 2>&1
  tap_check "--no-color turns colour off on a terminal" sh -c "! grep -q $'\033\\[' '$tmp/flag.txt'"
  "$BULKHEAD" audit --check 1.2.1 > "$tmp/pipe.txt" 2>&1
  tap_check "text into a pipe is not coloured" sh -c "! grep -q $'\033\\[' '$tmp/pipe.txt'"
else
  tap_skip "colour on a terminal" "script(1) is not installed"
fi
tap_done
