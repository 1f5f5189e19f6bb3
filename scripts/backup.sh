#!/usr/bin/env bash
# Back up the database and the media folder into a new, dated folder.
#
# Usage: scripts/backup.sh [DESTINATION]        (default: backups/)
#
# Reads the same environment as the site: DATABASE_URL (default sqlite:///db.sqlite3 in the
# project folder) and MEDIA_ROOT (default media/ in the project folder).
#   SQLite:      an online copy with SQLite's backup API (safe while the site is running)
#                -> database.sqlite3
#   PostgreSQL:  pg_dump in its custom format (-Fc, compressed; restore with pg_restore)
#                -> database.dump
#   Media:       uploaded images and documents -> media.tar.gz
# Prints the new folder's path. Restore with scripts/restore.sh FOLDER.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
[ -x "$python" ] || python=python3
database_url=${DATABASE_URL:-sqlite:///$here/db.sqlite3}
media_root=${MEDIA_ROOT:-$here/media}
destination=$(mkdir -p "${1:-$here/backups}" && cd "${1:-$here/backups}" && pwd)
folder="$destination/engage-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir "$folder"

case "$database_url" in
  sqlite:*)
    database=$(cd "$here" && DATABASE_URL=$database_url "$python" -c \
      'import os, dj_database_url; print(dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"])')
    [ -f "$database" ] || { echo "No SQLite database at $database" >&2; exit 1; }
    "$python" - "$database" "$folder/database.sqlite3" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
source.close(); target.close()
PY
    ;;
  postgres:* | postgresql:* | pgsql:*)
    pg_dump --format=custom --no-owner --no-privileges --file="$folder/database.dump" \
      --dbname="${database_url/#pgsql:/postgresql:}"
    ;;
  *)
    echo "Cannot back up DATABASE_URL=${database_url%%:*}:...: only SQLite and PostgreSQL" >&2
    exit 1
    ;;
esac

if [ -d "$media_root" ]; then
  tar -czf "$folder/media.tar.gz" -C "$media_root" .
else
  tar -czf "$folder/media.tar.gz" --files-from /dev/null
fi
echo "$folder"
