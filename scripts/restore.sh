#!/usr/bin/env bash
# Restore a folder made by scripts/backup.sh into the database and media folder that
# DATABASE_URL and MEDIA_ROOT name (the same variables the site reads).
#
# Usage: scripts/restore.sh BACKUP_FOLDER
#
# Stop the site and the task worker first. What is there now is replaced:
#   SQLite:      the database file is overwritten with the copy (it need not exist yet)
#   PostgreSQL:  the database must exist (createdb NAME); its tables are dropped and
#                recreated from the dump by pg_restore --clean
#   Media:       the backup's files are unpacked into MEDIA_ROOT
# Then run `python manage.py migrate` if the code is newer than the backup.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
[ -x "$python" ] || python=python3
folder=${1:?usage: $0 BACKUP_FOLDER}
database_url=${DATABASE_URL:-sqlite:///$here/db.sqlite3}
media_root=${MEDIA_ROOT:-$here/media}

case "$database_url" in
  sqlite:*)
    [ -f "$folder/database.sqlite3" ] || { echo "No database.sqlite3 in $folder" >&2; exit 1; }
    database=$(cd "$here" && DATABASE_URL=$database_url "$python" -c \
      'import os, dj_database_url; print(dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"])')
    mkdir -p "$(dirname "$database")"
    "$python" - "$folder/database.sqlite3" "$database" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
source.close(); target.close()
PY
    ;;
  postgres:* | postgresql:* | pgsql:*)
    [ -f "$folder/database.dump" ] || { echo "No database.dump in $folder" >&2; exit 1; }
    pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
      --dbname="${database_url/#pgsql:/postgresql:}" "$folder/database.dump"
    ;;
  *)
    echo "Cannot restore into DATABASE_URL=${database_url%%:*}:...: only SQLite and PostgreSQL" >&2
    exit 1
    ;;
esac

mkdir -p "$media_root"
tar -xzf "$folder/media.tar.gz" -C "$media_root"
echo "Restored $folder"
