# Shared by the scripts that run the provider or the emulator: build the
# provider from this tree into a filesystem mirror inside a temporary
# directory, and write a Terraform CLI config that installs it from there.
# Nothing touches the user's own ~/.terraformrc or plugin directories.

# The version the mirror offers; examples ask for ">= 0.1.0".
MIRROR_VERSION="${MIRROR_VERSION:-0.1.0}"

# setup_local_provider WORKDIR: builds into WORKDIR/mirror and exports
# TF_CLI_CONFIG_FILE and TF_PLUGIN_CACHE_DIR for this shell. The mirror
# serves the provider under both registry hosts, because "ceiac/northpass"
# means registry.terraform.io/ceiac/northpass to Terraform and
# registry.opentofu.org/ceiac/northpass to OpenTofu; the CLI config works
# for both (OpenTofu reads TF_CLI_CONFIG_FILE too).
setup_local_provider() {
  local work="$1" os arch dir tfdir
  os="$(go env GOOS)"; arch="$(go env GOARCH)"
  tfdir="$work/mirror/registry.terraform.io/ceiac/northpass/$MIRROR_VERSION/${os}_${arch}"
  mkdir -p "$tfdir"
  CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=$MIRROR_VERSION" \
    -o "$tfdir/terraform-provider-northpass_v$MIRROR_VERSION" . || return 1
  dir="$work/mirror/registry.opentofu.org/ceiac/northpass/$MIRROR_VERSION/${os}_${arch}"
  mkdir -p "$dir"
  ln "$tfdir/terraform-provider-northpass_v$MIRROR_VERSION" "$dir/" || return 1
  cat >"$work/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/ceiac/northpass", "registry.opentofu.org/ceiac/northpass"]
  }
  direct {
    exclude = ["registry.terraform.io/ceiac/northpass", "registry.opentofu.org/ceiac/northpass"]
  }
}
RC
  export TF_CLI_CONFIG_FILE="$work/terraform.rc"
  unset TF_PLUGIN_CACHE_DIR
  export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
}

# make_workdir: sets work to a new temporary directory and emulator_pid to
# "", and on exit stops the emulator start_emulator may have started there
# and removes the directory.
make_workdir() {
  work="$(mktemp -d)"
  emulator_pid=""
  trap cleanup_workdir EXIT
}

cleanup_workdir() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

# start_emulator WORKDIR: builds the emulator into WORKDIR (unless it is
# there), starts it on loopback with its state in WORKDIR/state, waits until it
# has written emulator.env and sources that (SALESFORCE_*, NORTHPASS_*,
# TF_VAR_*). Sets emulator_pid, which make_workdir's exit trap stops. On failure it
# prints the emulator's log and returns 1.
start_emulator() {
  local work="$1"
  [ -x "$work/emulator" ] || go build -o "$work/emulator" ./internal/emulator || return 1
  "$work/emulator" -dir "$work/state" >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    [ -f "$work/state/emulator.env" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; echo "the emulator exited" >&2; return 1; }
    sleep 0.1
  done
  [ -f "$work/state/emulator.env" ] || { cat "$work/emulator.log" >&2; echo "the emulator did not start" >&2; return 1; }
  # shellcheck disable=SC1091
  source "$work/state/emulator.env"
}
