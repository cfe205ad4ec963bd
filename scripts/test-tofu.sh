#!/usr/bin/env bash
# make test-tofu: the provider with OpenTofu as the engine, on a machine that
# has only Go (OpenTofu is built from the Go module proxy and cached by
# scripts/install-tofu.sh).
#
#   scripts/test-tofu.sh [VERSION [TEST-REGEX]]
#
# 1. The whole setup guide with tofu: make demo's tour against the emulator
#    (apply, plan empty, each drift caught by plan and repaired by apply,
#    destroy), run unchanged with tofu in terraform's place.
# 2. Acceptance tests through terraform-plugin-testing with
#    TF_ACC_TERRAFORM_PATH=tofu and TF_ACC_PROVIDER_HOST=registry.opentofu.org
#    (the tests' configurations name no source, so the provider under test
#    is registry.opentofu.org/hashicorp/northpass, which OpenTofu implies for
#    "northpass" and plugin-testing serves it under).
# 3. Every example validated with tofu, and the nightly drift check of
#    examples/drift-detection run with tofu against the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-${TOFU_VERSION:-1.12.6}}"
tests="${2:-.}"

fail() { echo "test-tofu: error: $*" >&2; exit 1; }
step() { echo; echo "==> test-tofu: $*"; }
command -v go >/dev/null 2>&1 || fail "Go is not installed or not on PATH (need Go 1.26+)"
command -v git >/dev/null 2>&1 || fail "git is not installed"

step "OpenTofu v$version (scripts/install-tofu.sh)"
tofu="$(TOFU_VERSION="$version" bash scripts/install-tofu.sh)" || fail "could not install OpenTofu v$version"
[ -x "$tofu" ] || fail "scripts/install-tofu.sh printed '$tofu', which is not an executable"
"$tofu" version | sed -n '/^OpenTofu v/p' # sed reads it all: no SIGPIPE under pipefail when warnings come first

# A CLI config path that points nowhere only produces warnings.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi

step "the whole guide with tofu (make demo: apply, plan empty, five drifts caught and repaired, destroy)"
# demo.sh calls `terraform`; a directory first on PATH makes that tofu.
shim="$(mktemp -d)"
trap 'rm -rf "$shim"' EXIT
ln -s "$tofu" "$shim/terraform"
PATH="$shim:$PATH" bash scripts/demo.sh

step "acceptance tests with tofu: go test ./internal/provider -run '$tests'"
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tofu" TF_ACC_PROVIDER_HOST=registry.opentofu.org \
  go test -count=1 -timeout 30m ./internal/provider -run "$tests"

step "examples validate with tofu; the nightly drift check runs with tofu"
TF="$tofu" bash scripts/validate-examples.sh

echo
echo "test-tofu: ok (OpenTofu v$version)"
