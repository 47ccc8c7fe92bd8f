# Helpers for integration tests against the real Docker engine.
# Source after tests/lib/tap.sh. $BULKHEAD is the binary under test.

: "${BULKHEAD:?BULKHEAD must name the bulkhead binary}"
# Names unique to this run: other test suites may share the engine and clean
# up their own objects by name.
P=bhtest$$
BH_TEST_IMAGE=$P/busybox:latest
BH_TEST_TMP=$(mktemp -d /tmp/bh-it.XXXXXX)
BH_CREATED_CONTAINERS=()
BH_CREATED_IMAGES=()
BH_CREATED_VOLUMES=()

docker_available() { docker version >/dev/null 2>&1; }

# A busybox-static image (plus optional extra files from a directory), imported
# with docker import: no registry is needed.
make_busybox_image() { # make_busybox_image TAG [EXTRA_DIR]
  local tag=$1 extra=${2:-} root=$BH_TEST_TMP/rootfs-$RANDOM
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  cp /usr/bin/busybox "$root/bin/busybox"
  for applet in sh sleep cat ls id ps true; do ln -sf busybox "$root/bin/$applet"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  [ -n "$extra" ] && cp -a "$extra"/. "$root"/
  tar -C "$root" -c . | docker import - "$tag" >/dev/null
  BH_CREATED_IMAGES+=("$tag")
}

# run_container NAME DOCKER-RUN-ARGS... -- runs detached, records it for cleanup
run_container() {
  local name=$1; shift
  docker rm -f "$name" >/dev/null 2>&1
  if docker run -d --name "$name" "$@" >/dev/null 2>"$BH_TEST_TMP/run-$name.err"; then
    BH_CREATED_CONTAINERS+=("$name")
    return 0
  fi
  cat "$BH_TEST_TMP/run-$name.err" >&2
  return 1
}

create_container() {
  local name=$1; shift
  docker rm -f "$name" >/dev/null 2>&1
  docker create --name "$name" "$@" >/dev/null && BH_CREATED_CONTAINERS+=("$name")
}

cleanup_docker() {
  local c i
  for c in "${BH_CREATED_CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1; done
  for c in "${BH_CREATED_VOLUMES[@]}"; do docker volume rm -f "$c" >/dev/null 2>&1; done
  # newest first, so a built image goes before its base and leaves nothing dangling
  for ((k = ${#BH_CREATED_IMAGES[@]} - 1; k >= 0; k--)); do
    docker rmi -f "${BH_CREATED_IMAGES[$k]}" >/dev/null 2>&1
  done
  rm -rf "$BH_TEST_TMP"
}

# verdict JSON_FILE CHECK_ID TARGET_NAME -> the status of that check for that target
verdict() {
  jq -r --arg id "$2" --arg name "$3" \
    '[.results[] | select(.id == $id and (.target.name // "") == $name) | .status] | join(",")' "$1"
}

# expect DESC JSON ID TARGET STATUS
expect() {
  local got
  got=$(verdict "$2" "$3" "$4")
  tap_is "$1" "$got" "$5"
}
