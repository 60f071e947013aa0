#!/usr/bin/env bash
# The fan-out benchmark: diode-edge (SSE) against mosquitto (MQTT) with the same frames, N consumers on loopback.
# usage: bench/fanout.sh [CONSUMERS [SECONDS [RESULT.json]]]   e.g. bench/fanout.sh 100,1000,10000 20 fanout-result.json
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mosquitto >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends mosquitto
fi
# 10,000 consumers need 10,000 sockets in the server and as many in the benchmark.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# The agent as it ships: the Native AOT binary of the .deb. Published before the benchmark is built: that Release build
# rebuilds the agent's libraries with other settings, which would make a publish after it start over (minutes).
packaging/publish-aot.sh linux-x64 artifacts/aot/linux-x64 >&2
dotnet build -c Release bench/Diode.Edge.Bench.csproj -v q -nologo
export DIODE_EDGE_BINARY="$PWD/artifacts/aot/linux-x64/diode-edge"
exec dotnet bench/bin/Release/net10.0/diode-edge-bench.dll fanout "${1:-100,1000,10000}" "${2:-20}" "$(realpath -m "${3:-fanout-result.json}")"
