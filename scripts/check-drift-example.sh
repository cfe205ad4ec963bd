#!/usr/bin/env bash
# Runs the nightly drift check of examples/drift-detection (drift-check.sh,
# the command both workflow files run) against the bundled emulator, for one
# workspace, and insists on what it reports:
#   1. after the guide's apply: exit 0, "no drift" in the summary;
#   2. after a permission set assignment is deleted and the Data Connector is
#      uninstalled behind Terraform's back: exit 2, and the summary names both
#      resources as what apply would do (and the assignments as changed
#      outside Terraform: a resource that is gone leaves the state without
#      being listed there);
#   3. after apply repairs it: exit 0 again.
# Then destroys. TF=tofu (or a path) runs it with OpenTofu. Prints the job
# summaries, which the drift-detection guide quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

TF="${TF:-terraform}"
for tool in go "$TF"; do
  command -v "$tool" >/dev/null || { echo "check-drift-example: $tool is not installed or not on PATH" >&2; exit 1; }
done

make_workdir
fail() { echo "check-drift-example: $*" >&2; exit 1; }

setup_local_provider "$work"
start_emulator "$work" || fail "could not start the emulator"

# The layout the workflows expect: the configuration in infra/, the script
# in ci/, one workspace per org.
mkdir -p "$work/repo/ci"
cp -r examples/complete "$work/repo/infra"
cp examples/drift-detection/drift-check.sh "$work/repo/ci/"
infra="$work/repo/infra"
tf() { "$TF" -chdir="$infra" "$@"; }
run() { local out="$1"; shift; "$@" >"$out" 2>&1 || { cat "$out"; fail "'$*' failed"; }; }

run "$work/init.txt" tf init -input=false -no-color
run "$work/ws.txt" tf workspace new sandbox
export TF_WORKSPACE=sandbox
run "$work/apply.txt" tf apply -auto-approve -input=false -no-color

# drift_check WANT: the workflow's step, as it runs in CI (from infra/).
drift_check() {
  local want="$1" code=0
  rm -f "$infra/drift-summary.md"
  (cd "$infra" && TF="$TF" DRIFT_SUMMARY=drift-summary.md sh "$work/repo/ci/drift-check.sh") >"$work/check.txt" 2>&1 || code=$?
  if [ "$code" != "$want" ]; then
    cat "$work/check.txt"; cat "$infra/drift-summary.md" 2>/dev/null || true
    fail "drift-check.sh exited $code, want $want"
  fi
  echo "\$ sh ci/drift-check.sh   # exit status $code; the job summary:"
  # The full plan (in <details>) is long: the summary up to it.
  sed '/^<details>/,$d' "$infra/drift-summary.md"
  echo
}

echo "== $TF, workspace $TF_WORKSPACE, after the guide's apply"
drift_check 0
grep -q "no drift" "$infra/drift-summary.md" || fail "the summary does not say 'no drift'"

echo "== after jane.doe's assignment is deleted and the Data Connector uninstalled in Salesforce"
"$work/emulator" ctl delete-assignment jane.doe@acme.example Northpass_Standard_User >/dev/null
"$work/emulator" ctl uninstall-package gsnpdc >/dev/null
drift_check 2
summary="$infra/drift-summary.md"
for want in "drift" "Changed outside" \
  "northpass_salesforce_permission_set_assignments.standard_users has changed" \
  "northpass_salesforce_package.data_connector will be created" \
  "northpass_salesforce_permission_set_assignments.standard_users will be updated in-place" \
  "Full plan"; do
  grep -qF "$want" "$summary" || { cat "$summary"; fail "the summary lacks: $want"; }
done

echo "== after terraform apply"
run "$work/apply.txt" tf apply -auto-approve -input=false -no-color
drift_check 0

run "$work/destroy.txt" tf destroy -auto-approve -input=false -no-color
echo "ok      examples/drift-detection/drift-check.sh ($TF)"
