#!/bin/sh
# Nightly drift check for one workspace: `terraform plan -detailed-exitcode`,
# with what drifted written as Markdown to the CI job's summary.
#
#   drift-check.sh [more plan arguments, e.g. -var-file=production.tfvars]
#
# Exit status: 0 nothing to change and every check block passed; 2 drift (the
# plan has changes, or a check block failed); 1 the plan itself failed.
# CI fails the job on anything but 0.
#
# Environment (all optional):
#   TF             terraform or tofu (default terraform)
#   DRIFT_NAME     title of the summary (default $TF_WORKSPACE, else "default")
#   DRIFT_SUMMARY  file the Markdown summary is appended to (default
#                  $GITHUB_STEP_SUMMARY on GitHub Actions, else drift-summary.md)
#   DRIFT_PLAN     file the full plan text is kept in (default drift-plan.txt)
#
# POSIX sh on purpose: the hashicorp/terraform and OpenTofu images have no bash.
set -u

tf="${TF:-terraform}"
name="${DRIFT_NAME:-${TF_WORKSPACE:-default}}"
summary="${DRIFT_SUMMARY:-${GITHUB_STEP_SUMMARY:-drift-summary.md}}"
plan="${DRIFT_PLAN:-drift-plan.txt}"

# -lock-timeout: wait for an apply that holds the state lock instead of
# failing the night's check. The plan is kept in a file and printed whole
# to the job log; secrets are (sensitive value) in it, as on a terminal.
code=0
"$tf" plan -detailed-exitcode -input=false -no-color -lock-timeout=5m "$@" >"$plan" 2>&1 || code=$?
cat "$plan"

# Resource lines of the plan ("  # a.b has changed", "  # a.b will be
# created"; data sources read again are not drift), and failed check blocks ("Check block assertion failed" and the
# lines under it, without the box drawing).
changed_outside() { grep -E '^  # .* (has changed|has been deleted)$' "$plan" | sed 's/^  # /- /'; }
planned() { grep -E '^  # .* (will be|must be) ' "$plan" | grep -vE '^  # (.*\.)?data\.' | sed 's/^  # /- /'; }
failed_checks() {
  grep -A3 'Check block assertion failed' "$plan" | sed 's/^[│╷╵ ]*//' |
    grep -vE '^(Warning: Check block assertion failed|on .* line [0-9]+|--)?$' | sed 's/^/- /'
}

checks="$(failed_checks)"
if [ "$code" = 0 ] && [ -n "$checks" ]; then code=2; fi

{
  case "$code" in
  0)
    echo "### ✅ ${name}: no drift"
    echo
    grep -E '^No changes\.' "$plan" || true
    ;;
  2)
    echo "### ❌ ${name}: drift"
    echo
    outside="$(changed_outside)"
    if [ -n "$outside" ]; then
      echo "**Changed outside Terraform** (found by the refresh):"
      echo
      echo "$outside"
      echo
    fi
    todo="$(planned)"
    if [ -n "$todo" ]; then
      echo "**What \`apply\` would do** — $(grep -E '^Plan: ' "$plan" || echo 'see the plan')"
      echo
      echo "$todo"
      echo
    fi
    if [ -n "$checks" ]; then
      echo "**Failed checks:**"
      echo
      echo "$checks"
      echo
    fi
    echo "<details><summary>Full plan</summary>"
    echo
    echo '```'
    # GitHub keeps at most 1 MiB of summary per step.
    head -n 2000 "$plan"
    echo '```'
    echo
    echo "</details>"
    ;;
  *)
    echo "### ⚠️ ${name}: the plan failed (exit status ${code})"
    echo
    echo '```'
    tail -n 40 "$plan"
    echo '```'
    code=1
    ;;
  esac
} >>"$summary"
exit "$code"
