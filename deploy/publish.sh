#!/usr/bin/env bash
# Publishes the system's programs for Linux x64, framework-dependent (the host needs the .NET 10
# and ASP.NET Core 10 runtimes), each into a folder of its own under the output folder, the
# cities' configuration (config/) beside them, and an EF Core migration bundle per store and
# database engine (migrations/srs-migrate-<provider>-<store>): what docs/operations.md installs.
#
#   deploy/publish.sh [--out DIR] [--providers "sqlite postgresql sqlserver"] [PROGRAM ...]
#
# PROGRAM: server admin audit terminal link cs-emulator (default: all of them).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Restore in locked mode (an MSBuild property from the environment): what is published is what
# the committed packages.lock.json files name, and publishing never rewrites them.
export RestoreLockedMode=true

out=artifacts/publish
providers="sqlite postgresql sqlserver"
programs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --providers) providers=$2; shift 2 ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    -*) echo "publish.sh: unknown option $1" >&2; exit 2 ;;
    *) programs+=("$1"); shift ;;
  esac
done
[ ${#programs[@]} -gt 0 ] || programs=(server admin audit terminal link cs-emulator)

project_of() {
  case "$1" in
    server) echo src/SharedResidentSystem.Server ;;
    admin) echo tools/SharedResidentSystem.AdminTool ;;
    audit) echo tools/SharedResidentSystem.AuditTool ;;
    terminal) echo tools/SharedResidentSystem.Terminal ;;
    link) echo tools/SharedResidentSystem.LinkClient ;;
    cs-emulator) echo tools/SharedResidentSystem.CsEmulator ;;
    *) echo "publish.sh: no program '$1' (server admin audit terminal link cs-emulator)" >&2; exit 2 ;;
  esac
}

mkdir -p "$out"
out=$(cd "$out" && pwd)
for program in "${programs[@]}"; do
  project=$(project_of "$program")
  echo "publish.sh: $program ($project) -> $out/$program"
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -o "$out/$program" -v quiet -nologo
done
if printf '%s\n' "${programs[@]}" | grep -qx server; then
  # The seed documents, the schema, the migration layout and the demo staff: the server's
  # relative defaults (config/tenants, config/migration/layout.json) resolve under its working directory.
  rm -rf "$out/config" "$out/deploy"
  cp -r config "$out/config"
  # The backup and restore scripts and the systemd units go with it (/opt/srs/deploy).
  mkdir -p "$out/deploy"
  cp -r deploy/backup.sh deploy/restore.sh deploy/systemd "$out/deploy/"
fi

if [ -n "$providers" ]; then
  dotnet tool restore >/dev/null
  mkdir -p "$out/migrations"
  for provider in $providers; do
    case "$provider" in
      sqlite) project=src/SharedResidentSystem.Storage.Sqlite ;;
      postgresql) project=src/SharedResidentSystem.Storage.PostgreSql ;;
      sqlserver) project=src/SharedResidentSystem.Storage.SqlServer ;;
      *) echo "publish.sh: no provider '$provider' (sqlite postgresql sqlserver)" >&2; exit 2 ;;
    esac
    # One bundle per store: the register's model serves the register and the 除票用データベース;
    # the staff store (sign-in) has its own.
    for store in register:SrsDbContext staff:StaffDbContext; do
      bundle="$out/migrations/srs-migrate-$provider-${store%%:*}"
      echo "publish.sh: migration bundle $bundle"
      dotnet ef migrations bundle --project "$project" --context "${store#*:}" --configuration Release \
        -r linux-x64 -o "$bundle" --force >/dev/null
    done
  done
fi
echo "publish.sh: done: $out"
