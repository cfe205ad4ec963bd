#!/usr/bin/env bash
# terraform init + validate for every example, against the provider built from
# this tree. Full configurations (examples/complete, examples/multi-org,
# examples/provider) are validated as they are; the per-object snippets that
# tfplugindocs renders into docs/ get a required_providers block first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
setup_local_provider "$work"

status=0
validate() { # validate NAME DIR
  local name="$1" dir="$2" out
  if out="$(terraform -chdir="$dir" init -backend=false -input=false -no-color 2>&1 && terraform -chdir="$dir" validate -no-color 2>&1)"; then
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
exit $status
