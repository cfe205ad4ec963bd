#!/usr/bin/env bash
# make demo: the setup guide's verification step against the bundled emulator.
# Builds the provider, starts a fake Salesforce org and a fake CE account on
# 127.0.0.1, runs terraform init/apply/plan on a copy of examples/complete, then
# changes the org behind Terraform's back and shows the next plan catching it.
# Needs Go, Terraform and curl; no credentials; leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

for tool in go terraform curl; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is not installed or not on PATH" >&2; exit 1; }
done

bold=""; dim=""; reset=""
if [ -t 1 ]; then bold=$'\e[1m'; dim=$'\e[2m'; reset=$'\e[0m'; fi
heading() { echo; echo "${bold}== $*${reset}"; }
say() { echo "${dim}$*${reset}"; }

work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

heading "Building the provider and the emulator"
setup_local_provider "$work"
go build -o "$work/emulator" ./internal/emulator
say "provider: $work/mirror (a filesystem mirror; your ~/.terraformrc is not used)"

heading "Starting the emulator (fake Salesforce org + fake CE account on 127.0.0.1)"
"$work/emulator" -dir "$work/emulator-state" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [ -f "$work/emulator-state/emulator.env" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log"; echo "demo: the emulator exited" >&2; exit 1; }
  sleep 0.1
done
[ -f "$work/emulator-state/emulator.env" ] || { cat "$work/emulator.log"; echo "demo: the emulator did not start" >&2; exit 1; }
# shellcheck disable=SC1091
source "$work/emulator-state/emulator.env"
say "Salesforce: $SALESFORCE_INSTANCE_URL (JWT bearer as $SALESFORCE_USERNAME)"
say "CE API:     $NORTHPASS_API_URL"

sf_admin() { # sf_admin METHOD PATH [JSON]
  curl -fsS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$EMULATOR_SALESFORCE_ADMIN_URL$2" >/dev/null
}

cp -r examples/complete "$work/complete"
tf() { terraform -chdir="$work/complete" "$@"; }

heading "terraform init"
run_quiet() { # run_quiet FILE CMD…: run, keep the output in FILE, show it all only on failure
  local out="$1"; shift
  "$@" >"$out" 2>&1 || { cat "$out"; echo "demo: '$*' failed" >&2; exit 1; }
}
run_quiet "$work/init.txt" tf init -input=false -no-color
grep -E 'Installing|Installed|initialized' "$work/init.txt" || true

heading "terraform apply: read the org's installed packages and run the guide's checks"
say "The emulated org starts as many real ones did before the January 2026 reconnection guide:"
say "Northpass 2.0 installed, the Data Connector missing. The checks say so as warnings."
run_quiet "$work/apply.txt" tf apply -auto-approve -input=false -no-color
grep -vE '^\s*$|Reading\.\.\.|Read complete' "$work/apply.txt" || true

heading "terraform plan: nothing changed, nothing to do"
tf plan -input=false -no-color -detailed-exitcode >"$work/plan.txt" 2>&1 && code=0 || code=$?
grep -E 'No changes|Plan:|Changes to Outputs' "$work/plan.txt" || true
[ "$code" = 0 ] || { cat "$work/plan.txt"; echo "demo: expected an empty plan (exit $code)" >&2; exit 1; }

heading "Behind Terraform's back: an admin installs Northpass 2.1 and the Data Connector 1.0 in Setup"
sf_admin POST /__admin/packages/install '{"namespace":"northpass","version":"2.1"}'
sf_admin POST /__admin/packages/install '{"namespace":"gsnpdc","version":"1.0"}'
say "terraform plan now reports the new versions, and the guide's checks pass:"
tf plan -input=false -no-color -detailed-exitcode >"$work/plan.txt" 2>&1 && code=0 || code=$?
sed -n '/Changes to Outputs/,/^$/p' "$work/plan.txt"
if grep -q 'Check block assertion failed' "$work/plan.txt"; then
  cat "$work/plan.txt"; echo "demo: the checks should pass after the upgrade" >&2; exit 1
fi
[ "$code" = 2 ] || { cat "$work/plan.txt"; echo "demo: expected the plan to report the change (exit $code)" >&2; exit 1; }
run_quiet "$work/apply.txt" tf apply -auto-approve -input=false -no-color
say "(applied: the new versions are now the recorded state)"

heading "Behind Terraform's back: someone uninstalls the Data Connector"
sf_admin POST /__admin/packages/uninstall '{"namespace":"gsnpdc"}'
tf plan -input=false -no-color -detailed-exitcode >"$work/plan.txt" 2>&1 && code=0 || code=$?
sed -n '/Changes to Outputs/,/^$/p' "$work/plan.txt"
grep -A1 'is not installed; the setup guide' "$work/plan.txt" || {
  cat "$work/plan.txt"; echo "demo: the plan should warn that the connector is missing" >&2; exit 1; }

heading "Done"
say "The emulator's API counters for this demo:"
curl -fsS "$EMULATOR_SALESFORCE_ADMIN_URL/__admin/counters" | tr -d '\n' | head -c 600; echo
say "Everything ran in $work, which is now removed."
