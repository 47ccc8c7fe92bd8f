# TAP helpers for test scripts: source this, call the functions, end with tap_done.
# Each line printed is "ok N - desc", "not ok N - desc" or "ok N - desc # SKIP reason";
# tests/run-all counts them.
tap_n=0
tap_failed=0

tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
tap_not_ok() {
  tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $1"
  shift
  [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/#   /'
  return 0
}
tap_skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }

# tap_check DESC COMMAND...: ok when the command succeeds.
tap_check() {
  local desc=$1; shift
  local out
  if out=$("$@" 2>&1); then tap_ok "$desc"; else tap_not_ok "$desc" "command: $*" "$out"; fi
}

# tap_is DESC GOT WANT
tap_is() {
  if [ "$2" = "$3" ]; then tap_ok "$1"; else tap_not_ok "$1" "got:  $2" "want: $3"; fi
}

tap_done() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
