#!/usr/bin/env bash
# Restores a dump of scripts/backup.sh into a NEW, empty database, owned by the role
# that connects (libpq's variables: PGHOST, PGPORT, PGUSER, PGPASSWORD: the owner).
# Then give the application's role its rights: `alliance grant_app_role`.
#   scripts/restore.sh <file.dump> <new database>
# It refuses to restore over an existing database: restore beside it, check, then
# switch the application's ALLIANCE_PG_NAME (docs/operations.md).
set -euo pipefail
if [ "$#" -ne 2 ]; then
    echo "usage: $0 <file.dump> <new database>" >&2
    exit 2
fi
file="$1"
database="$2"
if [ -f "${file}.sha256" ]; then
    (cd "$(dirname "${file}")" && sha256sum --check --quiet "$(basename "${file}").sha256")
fi
createdb "${database}"
pg_restore --exit-on-error --no-owner --no-privileges --single-transaction \
    --dbname="${database}" "${file}"
echo "restored ${file} into ${database}"
