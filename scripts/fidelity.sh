#!/usr/bin/env bash
# make fidelity: jsforce, an independent Salesforce client from npm, judges
# the emulator's Metadata API (layouts through readMetadata/updateMetadata,
# SOAP faults) against what it expects of a real org. Installs jsforce into
# scripts/fidelity/node_modules from the lock file; needs Go, Node.js 18+ and
# npm; no credentials; leaves nothing else behind.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "fidelity: error: $*" >&2; exit 1; }
for tool in go node npm; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed or not on PATH: make fidelity needs Go, Node.js 18+ and npm (Debian: apt-get install nodejs npm)"
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
  fail "Node.js $(node --version) is too old: make fidelity needs 18 or newer (for fetch)"

echo "==> npm ci (jsforce, from scripts/fidelity/package-lock.json)"
(cd scripts/fidelity && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed in scripts/fidelity"

# shellcheck source=lib.sh
source scripts/lib.sh
make_workdir
echo "==> starting the emulator"
start_emulator "$work" || fail "could not start the emulator"

echo "==> jsforce $(node -p 'require("./scripts/fidelity/node_modules/jsforce/package.json").version') against $SALESFORCE_INSTANCE_URL"
node scripts/fidelity/layout-roundtrip.mjs
