#!/usr/bin/env bash
# Runs the tests by tier (tests/README.md, "Tiers"), cheapest first:
#
#   ./test.sh                 installs what the tests need (tests/setup.sh), builds, publishes the Native AOT binaries,
#                             then runs every tier: Unit, Integration, Hostile, System with Soak (about 30 minutes on 2 cores)
#   ./test.sh unit            the Unit tier only (about 2 minutes): installs nothing, needs only the .NET SDK (and the
#                             Node.js with npm that building the agent's dashboard needs)
#   ./test.sh integration|hostile|system|soak
#                             that tier only, after the same setup, build and publish as a full run
#   ./test.sh <tier> FILTER   that tier, narrowed by a dotnet test filter, e.g.
#                             ./test.sh integration FullyQualifiedName~MqttOutputTests
#
# Each tier is one `dotnet test tests --filter Tier=<Tier>` run, its output also kept in artifacts/test-logs/. Every tier
# runs even when an earlier one failed; the script repeats the failed tests at the end, prints each tier's wall time and
# result, and exits 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; }

case "${1:-all}" in
  # System and Soak share one run (one test process and its start-up; the soak, in the non-parallel timing-sensitive
  # collection, runs after the VM and packaging tests, as it did when every tier was one run).
  all) tiers=(Unit Integration Hostile System+Soak) ;;
  unit) tiers=(Unit) ;;
  integration) tiers=(Integration) ;;
  hostile) tiers=(Hostile) ;;
  system) tiers=(System) ;;
  soak) tiers=(Soak) ;;
  -h|--help|help) usage; exit 0 ;;
  *) echo "test.sh: unknown tier '$1'" >&2; usage; exit 64 ;;
esac
extra_filter="${2:-}"
[ "$#" -le 2 ] || { echo "test.sh: too many arguments" >&2; usage; exit 64; }

needs_tools=false
for tier in "${tiers[@]}"; do
  [ "$tier" = Unit ] || needs_tools=true
done

if $needs_tools; then
  # Debian packages, arm64 libraries and tests/js's npm packages (root or sudo).
  tests/setup.sh
  echo "== dotnet $(dotnet --version), node $(node --version)"
fi

# Every project must build warning-free (TreatWarningsAsErrors); the tiers then run without building again.
dotnet build Diode.Edge.sln -nologo -v q

if $needs_tools; then
  # The shipped Native AOT binaries: the one the tests start and the arm64 one the packaging tests wrap (the tests would
  # publish them themselves; done here so that their minutes are not spent inside the first tests that need them).
  packaging/publish-aot.sh linux-x64 artifacts/aot/linux-x64
  if [[ " ${tiers[*]} " == *" System"* ]]; then
    packaging/publish-aot.sh linux-arm64 artifacts/aot/linux-arm64
  fi
fi

results=()
failed=0
# Each tier's console output is also kept, so that the end of the run can repeat which tests failed and why (a CI log is
# often read from its tail only).
logs=artifacts/test-logs
mkdir -p "$logs"
for tier in "${tiers[@]}"; do
  filter="Tier=$tier"
  [[ "$tier" != *+* ]] || filter="(Tier=${tier//+/|Tier=})"
  [ -z "$extra_filter" ] || filter="$filter&($extra_filter)"
  echo "== $tier tier: dotnet test tests --filter \"$filter\""
  started=$SECONDS
  log="$logs/${tier//+/-}.log"
  if dotnet test tests --no-build --filter "$filter" --logger "console;verbosity=normal" 2>&1 | tee "$log"; then
    outcome=passed
  else
    outcome=FAILED
    failed=1
  fi
  elapsed=$((SECONDS - started))
  results+=("$(printf '%-12s %4d min %02d s  %s' "$tier" $((elapsed / 60)) $((elapsed % 60)) "$outcome")")
done

if [ "$failed" -ne 0 ]; then
  echo "== failed tests (the first lines of each failure; the whole output is in $logs)"
  for tier in "${tiers[@]}"; do
    grep -h -A 6 -E '^[[:space:]]+Failed [A-Za-z]' "$logs/${tier//+/-}.log" | cut -c 1-400 || true
  done
fi
echo "== wall time per tier"
printf '%s\n' "${results[@]}"
exit "$failed"
