#!/usr/bin/env bash
# 1.1.x against the kernel's real audit rules (added with auditctl and
# removed again) and the rules files in /etc/audit/rules.d.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
tmp=$(mktemp -d /tmp/bh-rules.XXXXXX)
rules_file=/etc/audit/rules.d/zz-bulkhead-test.rules
added=()
cleanup() {
  local p
  for p in "${added[@]}"; do auditctl -W ${p} -k bulkhead-test >/dev/null 2>&1; done
  rm -f "$rules_file"
  rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v auditctl >/dev/null || [ "$(id -u)" != 0 ] || ! auditctl -l >/dev/null 2>&1; then
  tap_skip "kernel audit rules" "needs root, auditctl and kernel audit support"
  tap_done; exit 0
fi

status_of() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .status' "$1"; }

"$BULKHEAD" audit --check 1.1 --format json -o "$tmp/before.json"
dockerd=$(jq -r '.results[] | select(.id=="1.1.3") | .message' "$tmp/before.json" | grep -o '/[^ ]*dockerd')
if [ -z "$dockerd" ] || [ "$(status_of "$tmp/before.json" 1.1.3)" = na ]; then
  tap_skip "kernel audit rules" "no dockerd program on this host"
  tap_done; exit 0
fi
tap_is "1.1.3 fails while no rule watches $dockerd" "$(status_of "$tmp/before.json" 1.1.3)" fail

auditctl -w "$dockerd" -p x -k bulkhead-test && added+=("$dockerd -p x")
auditctl -w /etc/docker -p wa -k bulkhead-test && added+=("/etc/docker -p wa")
"$BULKHEAD" audit --check 1.1 --format json -o "$tmp/loaded.json"
tap_is "1.1.3 passes once the kernel watches dockerd" "$(status_of "$tmp/loaded.json" 1.1.3)" pass
tap_is "1.1.6 passes once the kernel watches /etc/docker" "$(status_of "$tmp/loaded.json" 1.1.6)" pass
tap_is "1.1.5 still fails (nothing watches the docker root)" "$(status_of "$tmp/loaded.json" 1.1.5)" fail

# a rule only in the rules files is configured but not in force
echo "-w /var/lib/docker -p wa -k docker" > "$rules_file"
"$BULKHEAD" audit --check 1.1.5 --format json -o "$tmp/file.json"
tap_is "1.1.5 warns when only a rules file watches the docker root" "$(status_of "$tmp/file.json" 1.1.5)" warn
tap_check "1.1.5 says the rule is not loaded" jq -e '.results[0].message | test("not loaded")' "$tmp/file.json"
# the syscall-rule spelling counts too
echo "-a always,exit -F path=/var/lib/docker -F perm=wa -k docker" > "$rules_file"
"$BULKHEAD" audit --check 1.1.5 --format json -o "$tmp/file2.json"
tap_is "1.1.5 reads -F path= rules as watches" "$(status_of "$tmp/file2.json" 1.1.5)" warn
tap_done
