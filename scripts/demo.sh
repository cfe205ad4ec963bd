#!/usr/bin/env bash
# make demo: the whole setup guide (examples/complete) against the bundled
# emulator, then a tour of the drift users otherwise discover the hard way:
# each change is made behind Terraform's back, shows up in `terraform plan`,
# and the next apply repairs it. Ends with destroy. Needs Go and Terraform
# only; no credentials; leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

for tool in go terraform; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is not installed or not on PATH" >&2; exit 1; }
done

bold=""; dim=""; reset=""
if [ -t 1 ]; then bold=$'\e[1m'; dim=$'\e[2m'; reset=$'\e[0m'; fi
heading() { echo; echo "${bold}== $*${reset}"; }
say() { echo "${dim}$*${reset}"; }

make_workdir

fail() { echo "demo: $*" >&2; exit 1; }

heading "Building the provider and the emulator"
setup_local_provider "$work"
go build -o "$work/emulator" ./internal/emulator
go build -o "$work/layoutcheck" ./scripts/layoutcheck
say "provider installed in a filesystem mirror under $work; your ~/.terraformrc is not used"

heading "Starting the emulator: a fake Salesforce org and a fake CE account on 127.0.0.1"
start_emulator "$work" || fail "could not start the emulator"
say "Salesforce: $SALESFORCE_INSTANCE_URL — Northpass 2.0 installed, no Data Connector, nothing configured"
say "CE:         $NORTHPASS_API_URL — 3 learners with 4 enrollments; approves authorizations as $EMULATOR_INTEGRATION_USERNAME"
ctl() { "$work/emulator" ctl "$@"; }
# The Contact layout is customised (action list, highlights panel, …): the
# demo checks after every apply that only the Enrollments list changed.
layout_check() { "$work/layoutcheck" compare "$@" "Contact-Contact Layout" "$work/contact-layout.xml" || fail "the Contact layout changed"; }
"$work/layoutcheck" snapshot "Contact-Contact Layout" "$work/contact-layout.xml"

cp -r examples/complete "$work/complete"
tf() { terraform -chdir="$work/complete" "$@"; }

# run FILE CMD…: keep the output in FILE; show it all only on failure.
run() { local out="$1"; shift; "$@" >"$out" 2>&1 || { cat "$out"; fail "'$*' failed"; }; }

# plan_expect CODE: plan, print the summary, and insist on the exit code
# (0 = no changes, 2 = changes).
plan_expect() {
  local want="$1" code=0
  tf plan -input=false -no-color -detailed-exitcode >"$work/plan.txt" 2>&1 || code=$?
  grep -E '^  # .* (will|must) be |^Plan: |^No changes|~ (connected|pending_count|version_name) ' "$work/plan.txt" || true
  grep -A2 'Check block assertion failed' "$work/plan.txt" | grep -vE '^\s*(on |--|$)' | sed 's/^/  /' || true
  [ "$code" = "$want" ] || { cat "$work/plan.txt"; fail "expected plan exit code $want, got $code"; }
}

apply_summary() {
  run "$work/apply.txt" tf apply -auto-approve -input=false -no-color
  grep -E 'Creation complete|Modifications complete|Destruction complete|^Apply complete' "$work/apply.txt" | sed 's/^/  /'
}

heading "terraform init"
run "$work/init.txt" tf init -input=false -no-color
grep -E 'Installed ceiac/northpass' "$work/init.txt" | sed 's/^/  /'

heading "terraform apply: the whole setup guide"
say "upgrade Northpass to 2.1 and install the Data Connector (for admins only), connect CE and wait for the"
say "integration user's approval, assign the permission set, add the related list, backfill since 2025-11-20"
apply_summary
tf output -no-color | sed 's/^/  /'
layout_check

heading "terraform plan: everything matches; the verification checks pass"
plan_expect 0

tour() { # tour TITLE EXPLANATION CTL-ARGS…
  local title="$1" why="$2"; shift 2
  heading "Drift: $title"
  say "$why"
  ctl "$@"
  plan_expect 2
  say "terraform apply repairs it:"
  apply_summary
  layout_check
  plan_expect 0
}

tour "an admin uninstalls the Data Connector" \
  "The package resource sees it gone and plans to install it again." \
  uninstall-package gsnpdc
tour "someone removes the Enrollments related list from the Contact layout" \
  "Only that related list is put back; the rest of the layout is left as it is." \
  remove-related-list "Contact-Contact Layout" "$(tf output -raw -no-color enrollments_related_list)"
tour "a user's permission set assignment is deleted in Setup" \
  "The authoritative assignments resource plans to give jane.doe the permission set again." \
  delete-assignment jane.doe@acme.example Northpass_Standard_User
tour "Salesforce revokes CE's tokens (as in November 2025)" \
  "The integration plans connected = false -> true; apply requests an authorization and waits for approval." \
  revoke-ce
tour "two enrollments never reached Salesforce" \
  "The backfill plans pending_count -> 0; apply upserts exactly those, by external id." \
  delete-enrollments 2

heading "terraform destroy"
say "Destroy revokes CE's authorization, removes the assignments and the related list; packages stay installed."
run "$work/destroy.txt" tf destroy -auto-approve -input=false -no-color
grep -E '^Destroy complete' "$work/destroy.txt" | sed 's/^/  /'
layout_check -whole

heading "Done"
say "Everything ran in $work, which is now removed."
