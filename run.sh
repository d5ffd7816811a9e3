#!/usr/bin/env bash
# Runs the service on this machine: SQLite under ./data, the three demo cities from
# config/tenants, their demonstration staff from config/staff/demo-staff.json (the sign-in at
# /connect/token), listening on 127.0.0.1:5080 (h2c), and the browser counter on
# http://127.0.0.1:5081/counter/ (gRPC-Web and the sign-in page on the same port). Installs the certificate font
# (Debian's fonts-ipamj-mincho) when it is missing. Extra arguments go to the server,
# e.g. ./run.sh --Server:Port=6000
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ ! -f /usr/share/fonts/truetype/ipamj/ipamjm.ttf ]; then
  echo "run.sh: installing the certificate font (fonts-ipamj-mincho)"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-ipamj-mincho >/dev/null
fi
dotnet build src/SharedResidentSystem.Server -c Release -v quiet -nologo
counter_port=5081
for arg in "$@"; do
  case "$arg" in --Server:CounterPort=*) counter_port=${arg#*=} ;; esac
done
if [ "$counter_port" != 0 ]; then
  echo "run.sh: the counter (browser): http://127.0.0.1:${counter_port}/counter/  (demo staff: config/staff/demo-staff.json)"
fi
exec dotnet src/SharedResidentSystem.Server/bin/Release/net10.0/srs-server.dll --Auth:SignIn:DemoStaffFile=config/staff/demo-staff.json "$@"
