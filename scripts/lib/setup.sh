# Idempotent tool set-up shared by scripts/run and scripts/test (sourced, not run).
# Each step checks what is installed and installs only what differs, so a warm machine
# passes through in seconds. Only crates.io, npm and Debian packages are used.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TRUNK_VERSION="0.21.14"
# A cargo target cache outside the clone: fresh clones (CI) reuse compiled dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/planning-portal/target}"
# Which clone is building: each crate's build script reruns when it changes, so the cache never
# passes one clone's build (its embedded paths, or sources that differ but look older) for another's.
export PLANNING_CHECKOUT="$REPO_ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

locked_version() { # the version of crate $1 in Cargo.lock
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$REPO_ROOT/Cargo.lock"
}

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
    step "Installing Trunk $TRUNK_VERSION (one time, several minutes)"
    cargo install --locked "trunk@$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  local wanted; wanted="$(locked_version wasm-bindgen)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wanted" ]; then
    step "Installing wasm-bindgen-cli $wanted (one time, a few minutes)"
    # Not --locked: its published lock pins a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$wanted"
  fi
}

ensure_apt_packages() { # installs the Debian packages given, if any is missing
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "Installing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

ensure_node_modules() { # npm packages of the end-to-end tests, using Debian's Chromium
  local dir="$REPO_ROOT/tests/e2e"
  if [ ! -d "$dir/node_modules" ] || ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.json"; then
    step "Installing end-to-end test packages (npm ci)"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

ensure_build_tools() {
  # brotli: scripts/build-app writes a brotli copy of each asset for the server to send.
  ensure_apt_packages brotli
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
}

ensure_test_tools() {
  ensure_build_tools
  ensure_apt_packages chromium chromium-driver postgresql
  ensure_node_modules
}
