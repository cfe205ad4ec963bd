#!/usr/bin/env bash
# terraform init + validate for every example, against the provider built from
# this tree. Full configurations (examples/complete, examples/multi-org,
# examples/provider) are validated as they are; the per-object snippets that
# tfplugindocs renders into docs/ get a required_providers block first.
# Then the drift-detection example: actionlint on its GitHub workflow, and
# its drift check run for real against the emulator
# (scripts/check-drift-example.sh; the workflow files' structure is checked
# by the Go test beside them). TF=tofu validates with OpenTofu instead.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
TF="${TF:-terraform}"
ACTIONLINT_VERSION=v1.7.12

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
setup_local_provider "$work"

status=0
validate() { # validate NAME DIR
  local name="$1" dir="$2" out
  if out="$("$TF" -chdir="$dir" init -backend=false -input=false -no-color 2>&1 && "$TF" -chdir="$dir" validate -no-color 2>&1)"; then
    echo "ok      $name"
  else
    echo "FAILED  $name"; echo "$out" | sed 's/^/    /'; status=1
  fi
}

for dir in examples/complete examples/multi-org examples/provider; do
  [ -d "$dir" ] || continue
  cp -r "$dir" "$work/$(basename "$dir")"
  validate "$dir" "$work/$(basename "$dir")"
done

for dir in examples/resources/* examples/data-sources/* examples/functions/*; do
  [ -d "$dir" ] || continue
  tmp="$work/snippet-$(basename "$(dirname "$dir")")-$(basename "$dir")"
  mkdir -p "$tmp"
  cp "$dir"/*.tf "$tmp/"
  cat >"$tmp/zz_providers.tf" <<'TF'
terraform {
  required_providers {
    northpass = { source = "ceiac/northpass" }
  }
}
TF
  validate "$dir" "$tmp"
done

# actionlint from the Go module proxy, built into ./bin once (like golangci-lint).
if [ ! -x bin/actionlint ] || ! bin/actionlint -version | grep -qx "$ACTIONLINT_VERSION"; then
  GOBIN="$PWD/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
if out="$(bin/actionlint -no-color examples/drift-detection/.github/workflows/*.yml 2>&1)"; then
  echo "ok      examples/drift-detection/.github/workflows (actionlint $ACTIONLINT_VERSION)"
else
  echo "FAILED  examples/drift-detection/.github/workflows (actionlint)"; echo "$out" | sed 's/^/    /'; status=1
fi

TF="$TF" bash scripts/check-drift-example.sh >"$work/drift.txt" 2>&1 || { cat "$work/drift.txt"; status=1; }
tail -1 "$work/drift.txt"
exit $status
