#!/usr/bin/env bash
# Backs up one installation while the server runs: the databases, online and consistent, and
# the data directory's other files (signing keys, the checkpoint key and checkpoints, job
# outputs, EUC copies, migration files). docs/operations.md says what to keep where.
#
#   deploy/backup.sh --data DIR --to DIR [--postgresql CONNINFO]
#
# SQLite (the default): every *.db of the data directory (register, 除票用データベース) through
# SQLite's online backup (sqlite3 .backup; needs Debian's sqlite3), never a copy of the file.
# PostgreSQL: pg_dump of the database (custom format: the register, the srs_archive schema, the
# staff store) by the libpq connection string CONNINFO (a password from ~/.pgpass or PGPASSWORD).
set -euo pipefail
data= to= pg=
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --to) to=$2; shift 2 ;;
    --postgresql) pg=$2; shift 2 ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "backup.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$data" ] && [ -n "$to" ] || { echo "backup.sh: --data DIR and --to DIR are required" >&2; exit 2; }
[ -d "$data" ] || { echo "backup.sh: no data directory $data" >&2; exit 2; }
mkdir -p "$to"
[ -z "$(ls -A "$to")" ] || { echo "backup.sh: $to is not empty; back up into a new folder" >&2; exit 2; }

# The files beside the databases, as they are (keys first: a database without its keys cannot be verified).
tar -C "$data" --exclude='*.db' --exclude='*.db-wal' --exclude='*.db-shm' --exclude='*.db-journal' -cf "$to/files.tar" .
if [ -n "$pg" ]; then
  pg_dump --format=custom --no-owner --file="$to/register.pgdump" "$pg"
else
  command -v sqlite3 >/dev/null || { echo "backup.sh: sqlite3 is needed (Debian package sqlite3)" >&2; exit 2; }
  found=0
  for db in "$data"/*.db; do
    [ -f "$db" ] || continue
    # The online backup API: a consistent copy while the server reads and writes.
    sqlite3 "$db" ".timeout 30000" ".backup '$to/$(basename "$db")'"
    [ "$(sqlite3 "$to/$(basename "$db")" 'PRAGMA integrity_check;')" = ok ] || { echo "backup.sh: the copy of $db does not pass its integrity check" >&2; exit 1; }
    found=$((found + 1))
  done
  [ "$found" -gt 0 ] || { echo "backup.sh: no *.db in $data" >&2; exit 1; }
fi
( cd "$to" && sha256sum -- * > SHA256SUMS )
echo "backup.sh: $to"
