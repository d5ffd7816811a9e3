#!/usr/bin/env bash
# Restores a backup of deploy/backup.sh into a data directory (and a PostgreSQL database).
# The server must be stopped. The data directory must be new or empty: a restore never mixes
# with what is there.
#
#   deploy/restore.sh --from DIR --data DIR [--postgresql CONNINFO]
#
# PostgreSQL: the database named by CONNINFO must exist and be empty (createdb); pg_restore
# makes the register, the srs_archive schema and the staff store in it.
set -euo pipefail
from= data= pg=
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --postgresql) pg=$2; shift 2 ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "restore.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$from" ] && [ -n "$data" ] || { echo "restore.sh: --from DIR and --data DIR are required" >&2; exit 2; }
( cd "$from" && sha256sum --quiet -c SHA256SUMS ) || { echo "restore.sh: $from does not match its SHA256SUMS" >&2; exit 1; }
mkdir -p "$data"
[ -z "$(ls -A "$data")" ] || { echo "restore.sh: $data is not empty" >&2; exit 2; }
tar -C "$data" -xf "$from/files.tar"
if [ -n "$pg" ]; then
  [ -f "$from/register.pgdump" ] || { echo "restore.sh: $from holds no PostgreSQL dump" >&2; exit 2; }
  pg_restore --no-owner --exit-on-error --dbname="$pg" "$from/register.pgdump"
else
  for db in "$from"/*.db; do
    [ -f "$db" ] || continue
    cp "$db" "$data/"
  done
fi
echo "restore.sh: $data"
