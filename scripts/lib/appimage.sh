# Sourced by scripts/package: an AppImage of the desktop app made from the .deb's payload with
# nothing but what the package registries hold.
#
# Why not the Tauri bundler's AppImage: it downloads linuxdeploy, its GTK plugin and an AppRun
# from GitHub while it builds, and nothing here reaches GitHub. Neither tool is in a registry:
# Debian bookworm has no appimagetool, linuxdeploy or AppImageKit package (only libappimage,
# which reads AppImages); the PyPI and npm AppImage builders (appimage-builder, python-appimage,
# pyproject-appimage, appimage, @reforged/maker-appimage, electron-builder's app-builder-bin)
# all download the runtime or appimagetool from GitHub when they run. An AppImage is two parts,
# and both can be had from the registries:
#   - the runtime, the ELF that starts every AppImage: crates.io's `appimage` crate (0.4.0)
#     ships AppImageKit's type-2 runtime (assets/runtime-x86_64), fetched here with cargo;
#   - the squashfs image appended to it: Debian's squashfs-tools (mksquashfs).
# What linuxdeploy would do, done below: bundle the shared libraries (less those every desktop
# has and that must match the host: glibc, the GPU/GL stack, X11/xcb, fontconfig/freetype), give
# the executables an RPATH to them (Debian's patchelf), bundle WebKitGTK's helper processes, and
# point libwebkit2gtk's compiled-in helper folder at the bundled one.
#
# Limits: AppImageKit's runtime dlopens libfuse.so.2 to mount itself (`apt install libfuse2`
# where only fuse3 is installed, as on a bare Debian 12 or Ubuntu 23.04+); without it, run it
# with --appimage-extract-and-run (or APPIMAGE_EXTRACT_AND_RUN=1). The static, FUSE-3 runtime
# (AppImage/type2-runtime) is published only on GitHub. It runs on systems with glibc >= 2.36 and libstdc++ from GCC 12
# or newer (Debian 12, Ubuntu 23.04, Fedora 37 and later), as it is built on Debian 12.

APPIMAGE_RUNTIME_CRATE_VERSION=0.4.0
APPIMAGE_RUNTIME_SHA256=328e0d745c5c6817048c27bc3e8314871703f8f47ffa81a37cb06cd95a94b323

# Prints the path of the AppImage runtime, from the `appimage` crate that cargo fetches from
# crates.io (a throwaway manifest under $CARGO_TARGET_DIR; cargo checks the crate's checksum,
# and the runtime's own is checked here).
appimage_runtime() {
  local dir="$CARGO_TARGET_DIR/appimage/runtime-crate" src
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<EOF
[package]
name = "cardiotwin-appimage-runtime"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
appimage = "=$APPIMAGE_RUNTIME_CRATE_VERSION"

[workspace]
EOF
  : >"$dir/src/lib.rs"
  # (Run in a command substitution, where `set -e` does not reach: each step checks itself.)
  cargo fetch --quiet --manifest-path "$dir/Cargo.toml" --target x86_64-unknown-linux-gnu >&2 || return 1
  src=$(cargo metadata --quiet --format-version 1 --manifest-path "$dir/Cargo.toml" --filter-platform x86_64-unknown-linux-gnu |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const p = JSON.parse(s).packages.find((p) => p.name === "appimage");
      console.log(require("path").dirname(p.manifest_path)); })') || return 1
  echo "$APPIMAGE_RUNTIME_SHA256  $src/assets/runtime-x86_64" | sha256sum --check --quiet >&2 || return 1
  echo "$src/assets/runtime-x86_64"
}

# Sonames left to the host system (the AppImage project's exclude list, in short): the C library
# and loader, the C++ runtime, the GPU drivers' libraries, X11/xcb and Wayland (they must match
# the display server and the GL driver), fonts (fontconfig's configuration is the host's), sound,
# and a few that must match the host's configuration (p11-kit, Kerberos's com_err).
appimage_excluded() {
  case "$1" in
  ld-linux*.so.* | libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | libresolv.so.* | \
    libutil.so.* | libanl.so.* | libmvec.so.* | libnss_*.so.* | libthread_db.so.* | libBrokenLocale.so.* | \
    libstdc++.so.* | libgcc_s.so.* | libatomic.so.* | \
    libGL.so.* | libGLX.so.* | libGLdispatch.so.* | libEGL.so.* | libOpenGL.so.* | libGLES*.so.* | \
    libglapi.so.* | libgbm.so.* | libdrm.so.* | libdrm_*.so.* | libvulkan.so.* | \
    libX11.so.* | libX11-xcb.so.* | libxcb.so.* | libxcb-*.so.* | libICE.so.* | libSM.so.* | \
    libwayland-*.so.* | \
    libfontconfig.so.* | libfreetype.so.* | libharfbuzz.so.* | libexpat.so.* | \
    libasound.so.* | libjack.so.* | libpulse*.so.* | \
    libp11-kit.so.* | libcom_err.so.* | libgpg-error.so.* | libz.so.* | libuuid.so.* | libusb-1.0.so.*)
    return 0
    ;;
  esac
  return 1
}

# build_appimage DEB OUT: OUT is the AppImage made from the .deb's payload.
build_appimage() {
  local deb=$1 out=$2 runtime appdir bundled_lib libdir webkit_dir webkit_rel
  runtime=$(appimage_runtime)
  appdir="$CARGO_TARGET_DIR/appimage/CardioTwin.AppDir"
  rm -rf "$appdir"
  mkdir -p "$appdir"
  dpkg-deb -x "$deb" "$appdir"
  bundled_lib="$appdir/usr/lib"

  # WebKitGTK starts its helper processes (web content, network, GPU) and loads its injected
  # bundle from a folder compiled into libwebkit2gtk. They are bundled at the same path under
  # usr/, and the library's copy has that path's leading "/usr/" rewritten to "././/" (as long),
  # which AppRun makes resolve to the bundle by starting the app in $APPDIR/usr.
  libdir=$(pkg-config --variable=libdir webkit2gtk-4.1)
  webkit_dir="$libdir/webkit2gtk-4.1"
  webkit_rel=${webkit_dir#/usr/}
  mkdir -p "$appdir/usr/$webkit_rel/injected-bundle"
  cp -L "$webkit_dir"/WebKitWebProcess "$webkit_dir"/WebKitNetworkProcess "$appdir/usr/$webkit_rel/"
  [ -e "$webkit_dir/WebKitGPUProcess" ] && cp -L "$webkit_dir/WebKitGPUProcess" "$appdir/usr/$webkit_rel/"
  cp -L "$webkit_dir"/injected-bundle/*.so "$appdir/usr/$webkit_rel/injected-bundle/"

  # Every shared library these need (ldd resolves the whole tree), less the excluded ones.
  local elfs=("$appdir/usr/bin/cardiotwin-desktop" "$appdir/usr/$webkit_rel"/WebKit*Process
    "$appdir/usr/$webkit_rel"/injected-bundle/*.so)
  local soname path n=0
  while read -r soname path; do
    appimage_excluded "$soname" && continue
    [ -e "$bundled_lib/$soname" ] && continue
    cp -L "$path" "$bundled_lib/$soname"
    n=$((n + 1))
  done < <(ldd "${elfs[@]}" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | sort -u)
  echo "    bundled $n shared libraries"
  if ldd "${elfs[@]}" | grep -q 'not found'; then
    echo "error: a library the app needs is missing on this machine:" >&2
    ldd "${elfs[@]}" | grep 'not found' | sort -u >&2
    return 1
  fi

  local webkit_lib="$bundled_lib/libwebkit2gtk-4.1.so.0" patched
  patched=$(WEBKIT_DIR="$webkit_dir" perl -0777 -pi -e '
    my $from = $ENV{WEBKIT_DIR}; (my $to = $from) =~ s{^/usr/}{././/};
    $n = s/\Q$from\E/$to/g; END { print STDOUT $n + 0 }' "$webkit_lib")
  if [ "$patched" -lt 1 ]; then
    echo "error: $webkit_dir not found in libwebkit2gtk-4.1.so.0: cannot relocate WebKit's helpers" >&2
    return 1
  fi

  # The executables find the bundled libraries through an RPATH (not LD_LIBRARY_PATH, which
  # would leak into the browser the app opens for the EHR sign-in). DT_RPATH, unlike RUNPATH,
  # also serves the libraries they load.
  patchelf --force-rpath --set-rpath '$ORIGIN/../lib' "$appdir/usr/bin/cardiotwin-desktop"
  local rel_up
  rel_up=$(echo "${webkit_rel#lib/}" | sed 's|[^/]*|..|g')
  for f in "$appdir/usr/$webkit_rel"/WebKit*Process; do
    patchelf --force-rpath --set-rpath "\$ORIGIN/$rel_up" "$f"
  done
  for f in "$appdir/usr/$webkit_rel"/injected-bundle/*.so; do
    patchelf --force-rpath --set-rpath "\$ORIGIN/../$rel_up" "$f"
  done

  # The AppDir's top level: AppRun, the desktop entry and its icon.
  cp "$appdir/usr/share/applications/CardioTwin.desktop" "$appdir/"
  local icon_name icon
  icon_name=$(sed -n 's/^Icon=//p' "$appdir/CardioTwin.desktop" | head -n1)
  icon=$(find "$appdir/usr/share/icons" -name "$icon_name.png" | sort -V | tail -n1)
  cp "$icon" "$appdir/$icon_name.png"
  ln -s "$icon_name.png" "$appdir/.DirIcon"
  cat >"$appdir/AppRun" <<'EOF'
#!/bin/sh
# Started by the AppImage runtime, which sets APPDIR to where the image is mounted or extracted.
APPDIR=${APPDIR:-$(dirname "$(readlink -f "$0")")}
export APPDIR
# The bundled GSettings schemas and icons first, then the system's.
export XDG_DATA_DIRS="$APPDIR/usr/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
# libwebkit2gtk looks for its helper processes under ././/lib/…: relative to $APPDIR/usr.
cd "$APPDIR/usr" || exit 1
exec "$APPDIR/usr/bin/cardiotwin-desktop" "$@"
EOF
  chmod 755 "$appdir/AppRun"
  # GTK's own settings schemas, in case the system has none (a desktop without GTK 3).
  mkdir -p "$appdir/usr/share/glib-2.0/schemas"
  cp /usr/share/glib-2.0/schemas/org.gtk.Settings.*.gschema.xml "$appdir/usr/share/glib-2.0/schemas/" 2>/dev/null || true
  glib-compile-schemas "$appdir/usr/share/glib-2.0/schemas" 2>/dev/null || true

  # The image: gzip, the one compression AppImageKit's runtime reads.
  local squashfs="$CARGO_TARGET_DIR/appimage/CardioTwin.squashfs"
  rm -f "$squashfs"
  mksquashfs "$appdir" "$squashfs" -root-owned -noappend -comp gzip -quiet >/dev/null
  mkdir -p "$(dirname "$out")"
  cat "$runtime" "$squashfs" >"$out.part"
  chmod 755 "$out.part"
  mv "$out.part" "$out"
  rm -rf "$squashfs" "$appdir"
}
