#!/usr/bin/env bash
# Publishes the agent as a Native AOT, trimmed, self-contained binary: the one the .deb ships (build-deb.sh) and the one
# every test that starts the executable runs (tests/Support/ShippedAgent.cs), from the same flags.
#
#   packaging/publish-aot.sh linux-x64|linux-arm64 OUTDIR
#
# linux-arm64 is cross-compiled here with clang and lld against the arm64 libc and zlib of this machine
# (dpkg --add-architecture arm64; apt-get install clang lld libc6-dev:arm64 zlib1g-dev:arm64 binutils-aarch64-linux-gnu).
# The whole log goes to OUTDIR.publish.log. Fails when the ILCompiler reports a trim or AOT warning (IL2xxx, IL3xxx)
# in the project's own code; the library warnings that remain are listed, with why each is safe, in docs/packaging.md ("Trim and AOT warnings").
# Publishing again with nothing changed is incremental (the ILCompiler's step is skipped, the last log is kept).
set -euo pipefail
cd "$(dirname "$0")/.."

rid=${1:?usage: publish-aot.sh linux-x64|linux-arm64 OUTDIR}
out=${2:?usage: publish-aot.sh linux-x64|linux-arm64 OUTDIR}
cross=()
case "$rid" in
  linux-x64) ;;
  linux-arm64)
    [ "$(uname -m)" = aarch64 ] || cross=(-p:CppCompilerAndLinker=clang -p:SysRoot=/ -p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy)
    for f in /usr/lib/aarch64-linux-gnu/libc.so /usr/lib/aarch64-linux-gnu/libz.a; do
      [ -e "$f" ] || { echo "publish-aot: $f is missing (apt-get install libc6-dev:arm64 zlib1g-dev:arm64 after dpkg --add-architecture arm64)" >&2; exit 69; }
    done ;;
  *) echo "publish-aot: unknown runtime '$rid' (linux-x64 or linux-arm64; armhf has no Native AOT, build-deb.sh builds it JIT)" >&2; exit 64 ;;
esac
for tool in clang dotnet; do
  command -v "$tool" >/dev/null || { echo "publish-aot: $tool is missing (apt-get install clang lld zlib1g-dev)" >&2; exit 69; }
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
log="$out.publish.log"
# One publish of the agent at a time, whatever the runtime (the tests and build-deb.sh may ask at once): two publishes
# side by side build the same projects' Release outputs and make each other's ILCompiler step run again.
mkdir -p artifacts/aot
exec 9>artifacts/aot/publish.lock
flock 9
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# Library warnings are reported one by one (TrimmerSingleWarn=false) and not as errors, so that own-code ones can be
# told apart below; the own code is also held warning-free at build time by the trim and AOT analyzers (IsAotCompatible).
# UseSystemZlib: linked against Debian's zlib1g (a Depends of the package) instead of a copy of zlib-ng inside the binary.
# Restored once for both runtimes (RuntimeIdentifiers in the project): a restore for one runtime would rewrite the
# assets file and make the next publish for the other recompile everything.
if ! dotnet restore agent/Diode.Edge.Agent.csproj -nologo -v q >"$tmp" 2>&1 \
  || ! dotnet publish agent/Diode.Edge.Agent.csproj --no-restore -c Release -r "$rid" -p:PublishAot=true -p:UseSystemZlib=true \
    -p:TreatWarningsAsErrors=false -p:TrimmerSingleWarn=false -p:GenerateDocumentationFile=false \
    "${cross[@]}" -o "$out" -nologo >>"$tmp" 2>&1; then
  cat "$tmp" >&2
  echo "publish-aot: dotnet publish for $rid failed (log above)" >&2
  exit 1
fi
# When the ILCompiler ran (it says "Generating native code", and prints its trim/AOT warnings only then) this log
# describes the binary; when it was skipped, the last one that did still does.
if grep -q "Generating native code" "$tmp" || [ ! -f "$log" ]; then
  cp "$tmp" "$log"
fi
own=$(grep -E "warning IL[23][0-9]{3}: Diode\.Edge|/(agent|sensors|watchdog)/[^ ]+\.cs\(" "$log" | sort -u || true)
if [ -n "$own" ]; then
  echo "publish-aot: trim or AOT warnings in the project's own code:" >&2
  echo "$own" >&2
  exit 1
fi
rm -f "$out"/*.dbg "$out"/*.pdb "$out/config.dev.json" "$out"/*.staticwebassets.endpoints.json
echo "publish-aot: $rid -> $out/diode-edge ($(du -k "$out/diode-edge" | cut -f1) KB)"
