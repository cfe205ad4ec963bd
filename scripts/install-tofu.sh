#!/usr/bin/env bash
# Installs OpenTofu from the Go module proxy and prints the binary's path
# (the only line on stdout; progress goes to stderr).
#
#   scripts/install-tofu.sh            # the version make test-tofu tests (TOFU_VERSION below)
#   TOFU_VERSION=1.10.10 scripts/install-tofu.sh
#
# `go install github.com/opentofu/opentofu/cmd/tofu@vX` is refused because
# OpenTofu's go.mod has a replace directive (hcl/v2 => opentofu/hcl/v2), and
# go install ignores replaces of the module it installs. So the module source
# is downloaded into the module cache, copied out of it (the module cache is
# read-only) and built there with `go build ./cmd/tofu`, its own go.mod and
# replaces in effect. This needs only Go and the module proxy: no GitHub
# releases, no package manager.
#
# The binary is cached per version under
#   ${NORTHPASS_TOFU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/northpass-tofu}/v<version>/tofu
# so only the first run builds (a few minutes on 2 cores); later runs just
# check that the cached binary reports the expected version.
set -euo pipefail

version="${TOFU_VERSION:-1.12.6}"
version="${version#v}"
cache_root="${NORTHPASS_TOFU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/northpass-tofu}"
bin="$cache_root/v$version/tofu"

log() { echo "install-tofu: $*" >&2; }
fail() { log "error: $*"; exit 1; }

command -v go >/dev/null 2>&1 || fail "Go is not installed or not on PATH; OpenTofu is built from source with it (need Go 1.26+)"

# reports_version BIN: does BIN run and say it is OpenTofu v$version? Any
# line may say it: a broken CLI configuration in the environment makes
# `tofu version` print warnings first.
reports_version() {
  "$1" version 2>/dev/null | grep -qx "OpenTofu v$version"
}

if [ -x "$bin" ] && reports_version "$bin"; then
  log "OpenTofu v$version already built: $bin"
  echo "$bin"
  exit 0
fi

log "downloading github.com/opentofu/opentofu@v$version from the Go module proxy"
json="$(go mod download -json "github.com/opentofu/opentofu@v$version")" \
  || fail "go mod download github.com/opentofu/opentofu@v$version failed (is the version right? see: go list -m -versions github.com/opentofu/opentofu)"
src="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
[ -n "$src" ] && [ -f "$src/go.mod" ] || fail "go mod download gave no module directory:"$'\n'"$json"

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$src" "$work/opentofu"
chmod -R u+w "$work/opentofu"

log "building ./cmd/tofu (first run only; takes a few minutes)"
mkdir -p "$(dirname "$bin")"
# dev=no: report "OpenTofu v1.12.6", as a release build does, not "…-dev".
# GOFLAGS=-mod=mod would let go fetch missing sums; the module ships a
# complete go.sum, so the default (readonly) is kept.
(
  cd "$work/opentofu"
  CGO_ENABLED=0 GOFLAGS= go build -trimpath \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "$work/tofu" ./cmd/tofu
) || fail "building OpenTofu v$version failed (see above)"
# Rename into place, so a concurrent or interrupted run never sees half a binary.
mv "$work/tofu" "$bin.tmp.$$"
mv "$bin.tmp.$$" "$bin"
reports_version "$bin" || fail "the built binary $bin does not report OpenTofu v$version:"$'\n'"$("$bin" version 2>&1)"
log "installed $bin"
echo "$bin"
