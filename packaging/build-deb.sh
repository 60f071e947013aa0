#!/usr/bin/env bash
# Builds diode-edge_<version>_<arch>.deb from this checkout, wrapped with dpkg-deb. arm64 and amd64 carry the Native AOT
# binary of packaging/publish-aot.sh (one trimmed native executable, no .NET runtime on the Pi; arm64 cross-compiled
# here); armhf, which has no Native AOT, a self-contained ReadyToRun build. Version: VersionPrefix in Directory.Build.props.
#
#   packaging/build-deb.sh [arm64|amd64|armhf|all] [OUTDIR]     (default: all, artifacts/deb)
#
# arm64: Raspberry Pi OS 64-bit (Pi 3, 4, 5, Zero 2 W). amd64: PCs and CI. armhf (Pi OS 32-bit) is ready here but
# needs the linux-arm runtime packs, which this build machine's NuGet mirror does not have; "all" builds arm64 and
# amd64. Needs: the .NET SDK, dpkg-deb, fakeroot is not needed (ownership is set with --root-owner-group).
set -euo pipefail
cd "$(dirname "$0")/.."

which_arch=${1:-all}
out=${2:-artifacts/deb}
case "$which_arch" in
  all) arches=(arm64 amd64) ;;
  arm64|amd64|armhf) arches=("$which_arch") ;;
  *) echo "build-deb: unknown architecture '$which_arch' (arm64, amd64, armhf or all)" >&2; exit 64 ;;
esac
for tool in dotnet dpkg-deb gzip; do
  command -v "$tool" >/dev/null || { echo "build-deb: $tool is missing (apt-get install dpkg-dev gzip; the .NET SDK from Microsoft)" >&2; exit 69; }
done

version=$(dotnet msbuild agent/Diode.Edge.Agent.csproj -getProperty:Version -nologo)
mkdir -p "$out"
out=$(cd "$out" && pwd)

for arch in "${arches[@]}"; do
  case "$arch" in
    arm64) rid=linux-arm64 ;;
    amd64) rid=linux-x64 ;;
    armhf) rid=linux-arm ;;
  esac
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  echo "== diode-edge $version for $arch ($rid)"
  install -d "$stage/usr/lib/diode-edge"
  if [ "$arch" = armhf ]; then
    # No Native AOT for 32-bit ARM: self-contained with ReadyToRun code for the start-up path.
    dotnet publish agent/Diode.Edge.Agent.csproj -c Release -r "$rid" --self-contained \
      -p:PublishAot=false -p:RuntimeIdentifiers="$rid" -p:PublishReadyToRun=true -p:DebugType=none -p:GenerateDocumentationFile=false \
      -o "$stage/usr/lib/diode-edge" -nologo -v:q
    depends="libc6 (>= 2.31), libgcc-s1, libstdc++6, zlib1g, libssl3, libsecp256k1-1, adduser, passwd"
    # The runtime's compression library carries zlib-ng, built in by Microsoft.
    extra_override="diode-edge: embedded-library zlib [usr/lib/diode-edge/libSystem.IO.Compression.Native.so]"
  else
    # The very binary the tests run (tests/Support/ShippedAgent.cs publishes it the same way, to the same place).
    packaging/publish-aot.sh "$rid" "artifacts/aot/$rid"
    cp -a "artifacts/aot/$rid/." "$stage/usr/lib/diode-edge/"
    # Native AOT links the runtime and its C++ support in; zlib is Debian's, OpenSSL (TLS, hashes) and libsecp256k1
    # (signing; the managed port stands in where it is missing) are loaded at run time.
    depends="libc6 (>= 2.31), zlib1g, libssl3, libsecp256k1-1, adduser, passwd"
    extra_override=""
  fi
  rm -f "$stage/usr/lib/diode-edge/config.dev.json" "$stage/usr/lib/diode-edge/"*.pdb
  # Native libraries from NuGet (SQLite) come with symbols: strip them as Debian policy asks.
  case "$arch" in
    arm64) strip_tool=$(command -v aarch64-linux-gnu-strip || command -v llvm-strip || true) ;;
    armhf) strip_tool=$(command -v arm-linux-gnueabihf-strip || command -v llvm-strip || true) ;;
    *) strip_tool=$(command -v strip || true) ;;
  esac
  [ -n "$strip_tool" ] || { echo "build-deb: no strip for $arch (apt-get install binutils-aarch64-linux-gnu)" >&2; exit 69; }
  find "$stage/usr/lib/diode-edge" -name '*.so' -exec "$strip_tool" --strip-unneeded --remove-section=.comment --remove-section=.note {} +
  find "$stage/usr/lib/diode-edge" -type f -exec chmod 0644 {} +
  chmod 0755 "$stage/usr/lib/diode-edge/diode-edge" "$stage/usr/lib/diode-edge/createdump" 2>/dev/null || true

  install -d "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/lib/udev/rules.d" "$stage/etc/diode-edge" \
    "$stage/usr/share/doc/diode-edge" "$stage/usr/share/lintian/overrides" "$stage/DEBIAN"
  ln -s ../lib/diode-edge/diode-edge "$stage/usr/bin/diode-edge"
  install -m 0644 packaging/diode-edge.service "$stage/lib/systemd/system/diode-edge.service"
  install -m 0644 packaging/60-diode-edge-watchdog.rules "$stage/lib/udev/rules.d/60-diode-edge-watchdog.rules"
  install -m 0644 packaging/config.json "$stage/etc/diode-edge/config.json"
  install -m 0644 README.md "$stage/usr/share/doc/diode-edge/README.md"
  # The pages the README links to (docs/…), so its links resolve on the Pi too.
  install -d -m 0755 "$stage/usr/share/doc/diode-edge/docs"
  install -m 0644 docs/*.md docs/config.schema.json "$stage/usr/share/doc/diode-edge/docs/"
  install -m 0644 packaging/debian/copyright "$stage/usr/share/doc/diode-edge/copyright"
  printf 'diode-edge (%s) stable; urgency=medium\n\n  * Built from the diode-edge repository (README.md).\n\n -- Diode.Edge <diode-edge@users.noreply.github.com>  %s\n' \
    "$version" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" | gzip -9n > "$stage/usr/share/doc/diode-edge/changelog.gz"
  chmod 0644 "$stage/usr/share/doc/diode-edge/changelog.gz"
  install -m 0644 packaging/debian/lintian-overrides "$stage/usr/share/lintian/overrides/diode-edge"
  [ -z "$extra_override" ] || echo "$extra_override" >> "$stage/usr/share/lintian/overrides/diode-edge"
  install -d "$stage/usr/share/man/man1"
  gzip -9n < packaging/debian/diode-edge.1 > "$stage/usr/share/man/man1/diode-edge.1.gz"
  chmod 0644 "$stage/usr/share/man/man1/diode-edge.1.gz"

  install -m 0644 packaging/debian/conffiles "$stage/DEBIAN/conffiles"
  install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$stage/DEBIAN/"
  size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
  sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" packaging/debian/control.in > "$stage/DEBIAN/control"
  (cd "$stage" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
  chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/control"

  deb="$out/diode-edge_${version}_${arch}.deb"
  dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
  rm -rf "$stage"
  trap - EXIT
  echo "   $deb ($(du -h "$deb" | cut -f1))"
done
