#!/usr/bin/env bash
# The footprint benchmark: the shipped Native AOT agent against the ReadyToRun build of the same commit and
# a hello-world Native AOT console program, in one run: idle RSS, RSS with 100 consumers, exec to first frame,
# config check, size on disk. usage: bench/footprint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/footprint
mkdir -p "$out"
packaging/publish-aot.sh linux-x64 artifacts/aot/linux-x64 >&2
dotnet publish agent/Diode.Edge.Agent.csproj -c Release -r linux-x64 --self-contained -p:PublishAot=false -p:PublishReadyToRun=true \
  -p:DebugType=none -p:GenerateDocumentationFile=false -o "$out/r2r" -nologo -v:q >&2
rm -f "$out/r2r/config.dev.json"
# The floor: the smallest Native AOT program, built the same way, from a project written here.
# Outside the checkout, so that none of its Directory.*.props apply.
hello=$(mktemp -d)
trap 'rm -rf "$hello"' EXIT
cat > "$hello/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <PublishAot>true</PublishAot>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
</Project>
XML
echo 'System.Console.WriteLine("hello");' > "$hello/Program.cs"
dotnet publish "$hello/hello.csproj" -c Release -r linux-x64 -p:UseSystemZlib=true -o "$out/hello" -nologo -v:q >&2
dotnet build -c Release bench/Diode.Edge.Bench.csproj -v q -nologo >&2
dotnet bench/bin/Release/net10.0/diode-edge-bench.dll footprint artifacts/aot/linux-x64 "$out/r2r" "$out/hello/hello" packaging/config.json
