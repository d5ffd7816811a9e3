#!/usr/bin/env bash
# Runs the service on this machine: SQLite under ./data, the three demo cities from
# config/tenants, listening on 127.0.0.1:5080 (h2c). Extra arguments go to the server,
# e.g. ./run.sh --Server:Port=6000
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/SharedResidentSystem.Server -c Release -v quiet -nologo
exec dotnet src/SharedResidentSystem.Server/bin/Release/net10.0/srs-server.dll "$@"
