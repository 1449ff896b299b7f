# The Python package `cardiotwin` (crates/twin-py): a virtual environment under target/py-venv
# with pinned tools, the extension built into it by maturin (sharing cargo's target folder, so
# the Rust crates are not built twice), and its pytest suite, which starts real local Ray
# clusters. Source after setup.sh (it uses $ROOT and use_cargo_target_dir's CARGO_TARGET_DIR).

# Pinned as BUILD-NOTES "Populations" measured them (Python 3.11).
PY_PACKAGES=(maturin==1.16.0 pytest==9.2.0 pyarrow==26.0.1 ray==2.60.0)

ensure_py_venv() {
  PY_VENV="${CARGO_TARGET_DIR:-$ROOT/target}/py-venv"
  local stamp="$PY_VENV/.cardiotwin-packages"
  if [ ! -x "$PY_VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${PY_PACKAGES[*]}" ]; then
    echo "==> installing ${PY_PACKAGES[*]} into $PY_VENV"
    python3 -m venv "$PY_VENV"
    "$PY_VENV/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check "${PY_PACKAGES[@]}"
    echo "${PY_PACKAGES[*]}" >"$stamp"
  fi
  export PY_VENV
}

# Builds the extension (dev profile, as the Rust tests) and installs the package, editable, into
# the venv.
build_py_package() {
  ensure_py_venv
  (cd "$ROOT/crates/twin-py" && VIRTUAL_ENV="$PY_VENV" PATH="$PY_VENV/bin:$PATH" maturin develop --quiet)
}

# The package's tests. `cardiotwin panel`'s binary is the reference of the Ray test: the
# workspace's test build (the Rust tests) has made it.
run_py_tests() {
  build_py_package
  CARDIOTWIN_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cardiotwin" RAY_USAGE_STATS_ENABLED=0 \
    "$PY_VENV/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/crates/twin-py/tests"
}
