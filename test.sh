#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with the .NET SDK: installs what the
# tests need (PostgreSQL server binaries for the throwaway cluster the tests start
# themselves, Node.js for the independent gRPC client, the IPAmj明朝 font that certificates
# embed and poppler-utils to read the PDFs back, util-linux's script for a pseudo-terminal, Debian's chromium for the
# browser counter, sqlite3 for the backup test), restores the packages in locked mode and checks
# them for known vulnerabilities, builds, and runs every test on SQLite and
# on PostgreSQL. Ends with one line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! id postgres >/dev/null 2>&1; then
  echo "test.sh: installing PostgreSQL server binaries (Debian package postgresql)"
  apt_install postgresql
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: installing Node.js and npm for the independent client"
  apt_install nodejs npm
fi
if [ ! -f /usr/share/fonts/truetype/ipamj/ipamjm.ttf ] || ! command -v pdftotext >/dev/null 2>&1; then
  echo "test.sh: installing the certificate font (fonts-ipamj-mincho) and poppler-utils"
  apt_install fonts-ipamj-mincho poppler-utils
fi
if [ ! -x /usr/lib/chromium/chromium ]; then
  echo "test.sh: installing Debian's chromium for the browser counter's tests (Playwright drives it)"
  apt_install chromium
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "test.sh: installing sqlite3 for the backup and restore test (deploy/backup.sh uses its online backup)"
  apt_install sqlite3
fi
if ! command -v script >/dev/null 2>&1; then
  echo "test.sh: installing util-linux's script (bsdutils) for the terminal's pseudo-terminal test"
  apt_install bsdutils
fi
(cd tests/node-client && npm ci --no-audit --no-fund --loglevel=error)

# Packages exactly as the committed lock files record them (a version changed anywhere is a
# changed file), then checked against the package source's vulnerability data: a package with a
# known vulnerability fails the run. A source that publishes no such data is named in the run's
# last lines, so the check is never taken for passed when it could not look.
dotnet restore SharedResidentSystem.sln --locked-mode -v quiet
command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates
vulnerability_check="packages: no known vulnerability"
if curl -fsS -m 30 https://api.nuget.org/v3/index.json | grep -q '"VulnerabilityInfo'; then
  vulnerable=$(dotnet list SharedResidentSystem.sln package --vulnerable --include-transitive 2>&1)
  if grep -q "has the following vulnerable packages" <<<"$vulnerable"; then
    echo "$vulnerable"
    echo "test.sh: a package has a known vulnerability (above); take a version without it in Directory.Packages.props"
    exit 1
  fi
else
  vulnerability_check="packages: NOT checked for vulnerabilities: the package source https://api.nuget.org/v3/index.json publishes no VulnerabilityInfo resource"
fi

# Each test process keeps what it makes on disk under $TMPDIR/srs-tests-<pid> (a PostgreSQL
# cluster among it); whatever a run leaves there is stopped and removed, before and after.
sweep() {
  local tmp="${TMPDIR:-/tmp}" dir pid
  for dir in "$tmp"/srs-tests-*; do
    [ -d "$dir" ] || continue
    pid=${dir##*-}
    if [ "$pid" != "$$" ] && kill -0 "$pid" 2>/dev/null; then continue; fi
    while IFS= read -r postmaster; do
      kill -QUIT "$(head -1 "$postmaster")" 2>/dev/null || true
    done < <(find "$dir" -name postmaster.pid 2>/dev/null)
    sleep 0.5
    rm -rf "$dir"
  done
}
sweep
trap sweep EXIT

results=artifacts/test-results
rm -rf "$results"
status=0
dotnet test SharedResidentSystem.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The conformance matrix (docs/conformance.md, docs/conformance.csv), one row per requirement
# line of the standard: a line is reported implemented only when a test carrying its
# [Spec("section#n")] passed; any failing test, stray [Spec] or bad mapping row fails the run.
if [ "$status" -eq 0 ]; then
  dotnet build -c Release -v quiet -nologo tools/SharedResidentSystem.AuditTool >/dev/null
  # Every test project's assembly: each may carry [Spec] lines.
  test_assemblies=()
  for project in tests/*.Tests; do
    name=$(basename "$project")
    test_assemblies+=(--tests "$project/bin/Release/net10.0/$name.dll")
  done
  dotnet tools/SharedResidentSystem.AuditTool/bin/Release/net10.0/srs-audit.dll conformance report --strict \
    --results "$results" "${test_assemblies[@]}" \
    --out docs || status=$?
fi
echo "$vulnerability_check"
echo "tests: $passed passed, $failed failed"
exit "$status"
