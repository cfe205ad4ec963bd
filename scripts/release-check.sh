#!/usr/bin/env bash
# make release-check: build the release the way a tag would (goreleaser,
# snapshot, signing skipped), check the archives against what the Terraform
# Registry needs, then install this machine's archive the way a user's
# `terraform init` would: from an HTTPS provider network mirror on 127.0.0.1,
# verified against the release's SHA256SUMS and recorded in the lock file.
#
#   scripts/release-check.sh              build dist/ and check it
#   scripts/release-check.sh --self-test  ... then prove the check fails on a
#                                         renamed, a corrupted and a tampered archive
#   scripts/release-check.sh --dist DIR   check an existing goreleaser output (no build)
#
# Needs only Go (goreleaser is a tool of the module) and Terraform. Nothing
# touches ~/.terraformrc, the plugin cache or the machine's trust store.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "release-check: error: $*" >&2; exit 1; }
step() { echo; echo "==> $*"; }

self_test=0 dist=""
while [ $# -gt 0 ]; do
  case "$1" in
    --self-test) self_test=1 ;;
    --dist) [ $# -ge 2 ] || fail "--dist needs a directory"; dist="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument $1 (try --help)" ;;
  esac
  shift
done

command -v go >/dev/null 2>&1 || fail "Go is not installed or not on PATH (need Go 1.26+)"
command -v terraform >/dev/null 2>&1 || fail "terraform is not installed or not on PATH (need Terraform >= 1.11)"
command -v git >/dev/null 2>&1 || fail "git is not installed (goreleaser reads the commit and tags)"

work="$(mktemp -d)"
mirror_pid=""
stop_mirror() {
  if [ -n "$mirror_pid" ]; then kill "$mirror_pid" 2>/dev/null || true; wait "$mirror_pid" 2>/dev/null || true; fi
  mirror_pid=""
}
trap 'stop_mirror; rm -rf "$work"' EXIT

helper="$work/releasecheck"
go build -o "$helper" ./scripts/releasecheck || fail "could not build scripts/releasecheck"

if [ -z "$dist" ]; then
  dist=dist
  step "goreleaser check (.goreleaser.yml)"
  go tool goreleaser check || fail "goreleaser rejects .goreleaser.yml"
  step "goreleaser snapshot release for every platform in .goreleaser.yml (signing skipped)"
  go tool goreleaser release --snapshot --clean --skip=sign || fail "the snapshot release did not build"
fi
[ -d "$dist" ] || fail "no goreleaser output in $dist"

version="$("$helper" version -dist "$dist")" || fail "no version in $dist/metadata.json"
host="$(go env GOOS)_$(go env GOARCH)"
archive="terraform-provider-northpass_${version}_${host}.zip"
installed_rel="providers/registry.terraform.io/ceiac/northpass/$version/$host/terraform-provider-northpass_v$version"

step "archives, $(basename "$dist")/terraform-provider-northpass_${version}_SHA256SUMS, manifest and binary version"
"$helper" verify -dist "$dist" -version "$version" || fail "the archives are not what the registry needs (above)"

# tf_init CASE DIST HASHES [LOCKFILE]: serve DIST as a network mirror (zh:
# hashes from the release's SHA256SUMS, or from the files as they are), copy
# examples/complete into $work/CASE (with LOCKFILE as its lock file if given)
# and run `terraform init` there with a CLI config and data dir of its own.
# Returns init's status; the output is in $work/CASE/init.log and the
# mirror's request log in $work/CASE/mirror.log.
tf_init() {
  local case="$work/$1" src="$2" hashes="$3" lock="${4:-}" url status=0
  mkdir -p "$case/certs-none"
  cp -r examples/complete "$case/config"
  rm -rf "$case/config/.terraform" "$case/config/.terraform.lock.hcl"
  [ -z "$lock" ] || cp "$lock" "$case/config/.terraform.lock.hcl"

  "$helper" serve -dist "$src" -version "$version" -dir "$case" -hashes "$hashes" 2>"$case/mirror.log" &
  mirror_pid=$!
  for _ in $(seq 100); do [ -s "$case/url" ] && break; kill -0 "$mirror_pid" 2>/dev/null || break; sleep 0.1; done
  [ -s "$case/url" ] || { cat "$case/mirror.log" >&2; fail "the mirror did not start"; }
  url="$(cat "$case/url")"

  cat >"$case/terraform.rc" <<RC
provider_installation {
  network_mirror {
    url     = "$url"
    include = ["registry.terraform.io/ceiac/northpass"]
  }
  direct {
    exclude = ["registry.terraform.io/ceiac/northpass"]
  }
}
RC
  tf "$1" init -input=false -no-color >"$case/init.log" 2>&1 || status=$?
  stop_mirror
  return $status
}

# tf CASE ARGS...: terraform in $work/CASE/config with nothing from this
# machine's Terraform setup (CLI config, dev_overrides, plugin cache, data
# dir, extra arguments), trusting only the mirror's throwaway CA.
tf() {
  local case="$work/$1"; shift
  env -u TF_PLUGIN_CACHE_DIR -u TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE \
    -u TF_CLI_ARGS -u TF_CLI_ARGS_init -u TF_CLI_ARGS_validate -u TF_REATTACH_PROVIDERS \
    -u TF_WORKSPACE -u TF_LOG -u TF_LOG_PATH \
    TF_CLI_CONFIG_FILE="$case/terraform.rc" TF_DATA_DIR="$case/tfdata" \
    SSL_CERT_FILE="$case/ca.pem" SSL_CERT_DIR="$case/certs-none" \
    CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0 \
    terraform -chdir="$case/config" "$@"
}

show() { sed 's/^/    /' "$@"; }

step "terraform init examples/complete from an HTTPS network mirror serving $archive"
if ! tf_init install "$dist" sums; then
  show "$work/install/init.log" "$work/install/mirror.log"
  fail "terraform init could not install $archive from the mirror"
fi
grep -q "GET /registry.terraform.io/ceiac/northpass/$archive 200" "$work/install/mirror.log" ||
  { show "$work/install/mirror.log"; fail "terraform init did not download $archive from the mirror"; }
echo "ok      terraform init downloaded $archive from $(cat "$work/install/url")"
"$helper" lock -lock "$work/install/config/.terraform.lock.hcl" -zip "$dist/$archive" -version "$version" ||
  { show "$work/install/config/.terraform.lock.hcl"; fail "the lock file does not record the installed archive"; }
"$helper" run-version -bin "$work/install/tfdata/$installed_rel" -version "$version" ||
  fail "the provider terraform installed does not report version $version"
echo "ok      the installed $installed_rel reports $version"
tf install validate -no-color >"$work/install/validate.log" 2>&1 ||
  { show "$work/install/validate.log"; fail "terraform validate failed with the installed provider"; }
echo "ok      terraform validate examples/complete with the installed provider"

if [ "$self_test" = 1 ]; then
  # Each case works on a copy of the release; dist/ stays as built.
  # expect_failure WHAT LOG PATTERN: LOG, its lines joined (Terraform wraps
  # its messages), must match PATTERN, so each case fails for its own reason.
  expect_failure() {
    local said
    said="$(tr -s '\n' ' ' <"$2" | grep -oE "$3" | head -1)" ||
      { show "$2"; fail "self-test: $1 failed, but not with /$3/"; }
    echo "ok      $1 fails as it must: $said"
  }

  step "self-test: a renamed archive"
  cp -r "$dist" "$work/renamed-dist"
  mv "$work/renamed-dist/$archive" "$work/renamed-dist/${archive/_${host}/_${host/_/-}}"
  if "$helper" verify -dist "$work/renamed-dist" -version "$version" >"$work/renamed-verify.log" 2>&1; then
    fail "self-test: verify accepted a renamed archive"
  fi
  expect_failure "verify with $archive renamed" "$work/renamed-verify.log" "missing archive for $host"
  if tf_init renamed "$work/renamed-dist" sums; then fail "self-test: terraform init installed from a mirror missing $archive"; fi
  expect_failure "terraform init with $archive renamed" "$work/renamed/init.log" \
    "Error while installing ceiac/northpass v$version: 127\\.0\\.0\\.1:[0-9]+: bad response code: 404"

  step "self-test: a corrupted archive"
  cp -r "$dist" "$work/corrupt-dist"
  size=$(wc -c <"$work/corrupt-dist/$archive")
  printf 'CORRUPTED' | dd of="$work/corrupt-dist/$archive" bs=1 seek=$((size / 2)) conv=notrunc status=none
  if "$helper" verify -dist "$work/corrupt-dist" -version "$version" >"$work/corrupt-verify.log" 2>&1; then
    fail "self-test: verify accepted a corrupted archive"
  fi
  expect_failure "verify with $archive corrupted" "$work/corrupt-verify.log" "$archive: sha256 [0-9a-f]+ does not match .*: the archive is corrupted"
  if tf_init corrupt "$work/corrupt-dist" sums; then fail "self-test: terraform init installed a corrupted archive"; fi
  expect_failure "terraform init with $archive corrupted" "$work/corrupt/init.log" \
    "provider package doesn't match the expected checksum \"zh:[0-9a-f]{64}\""

  step "self-test: a tampered archive from a mirror that re-hashed it, against the lock file"
  cp -r "$dist" "$work/tamper-dist"
  "$helper" tamper -zip "$work/tamper-dist/$archive"
  if tf_init tamper "$work/tamper-dist" files "$work/install/config/.terraform.lock.hcl"; then
    fail "self-test: terraform init installed an archive the lock file does not record"
  fi
  expect_failure "terraform init of a tampered archive with the earlier lock file" "$work/tamper/init.log" \
    "doesn't match any of the checksums previously recorded in the dependency lock file"
fi

echo
echo "release-check: ok: version $version builds, checksums and installs as the registry would ship it"
