#!/usr/bin/env bash
# Backs up the database: a custom-format dump (compressed, restorable table by table)
# that pg_restore reads. The connection comes from libpq's variables (PGHOST, PGPORT,
# PGUSER, PGPASSWORD) — the owner of the tables, so that everything is readable.
#   scripts/backup.sh <database> <file.dump>
# See docs/operations.md (schedule, retention of the dumps, restore test).
set -euo pipefail
if [ "$#" -ne 2 ]; then
    echo "usage: $0 <database> <file.dump>" >&2
    exit 2
fi
database="$1"
file="$2"
partial="${file}.partial"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="${database}" \
    --file="${partial}"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "${partial}" >/dev/null
mv "${partial}" "${file}"
sha256sum "${file}" >"${file}.sha256"
echo "backed up ${database} to ${file}"
