"""scripts/backup.sh and scripts/restore.sh: a demo site, backed up, restored into a fresh
database and media folder, shows the same pages.

On PostgreSQL when DATABASE_URL names one (pg_dump -Fc, then pg_restore into a new database),
on SQLite otherwise (SQLite's online backup API). The site is made the way an operator makes
one, in separate processes: `migrate`, `seed_demo`, and an uploaded document in the media
folder. It does not use the test database.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
BASH = shutil.which("bash") or "/bin/bash"


def _run(args, env, **kwargs):
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, **kwargs
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _env(database_url, media_root):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "engage.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "TASK_BACKEND": "immediate",
        "PYTHON": sys.executable,
    }
    env.pop("SECRET_KEY", None)
    return env


class _PostgreSQL:
    """Two new databases beside the one DATABASE_URL names, dropped afterwards."""

    def __init__(self, url):
        self.base = dj_database_url.parse(url)
        suffix = uuid.uuid4().hex[:8]
        self.names = {
            "source": f"{self.base['NAME']}_backup_{suffix}",
            "restored": f"{self.base['NAME']}_restored_{suffix}",
        }

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(
            host=self.base["HOST"],
            port=self.base["PORT"] or 5432,
            user=self.base["USER"],
            password=self.base["PASSWORD"],
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql)

    def url(self, which):
        b = self.base
        return (
            f"postgres://{b['USER']}:{b['PASSWORD']}@{b['HOST']}:{b['PORT'] or 5432}/"
            f"{self.names[which]}"
        )

    def create(self):
        for name in self.names.values():
            self._admin(f'CREATE DATABASE "{name}"')

    def drop(self):
        for name in self.names.values():
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def databases(tmp_path):
    """(source URL, restored URL, kind)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres:", "postgresql:")):
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.fail("PostgreSQL backups need pg_dump and pg_restore on the PATH")
        postgresql = _PostgreSQL(url)
        postgresql.create()
        yield postgresql.url("source"), postgresql.url("restored"), "postgresql"
        postgresql.drop()
    else:
        yield (
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'restored' / 'db.sqlite3'}",
            "sqlite",
        )


def test_a_restored_backup_shows_the_same_pages(tmp_path, databases):
    source_url, restored_url, kind = databases
    source = _env(source_url, tmp_path / "media")
    restored = _env(restored_url, tmp_path / "restored-media")
    python = sys.executable

    _run([python, "manage.py", "migrate", "--noinput"], source)
    _run([python, "manage.py", "seed_demo"], source)
    before = json.loads(_run([python, "tests/resilience/site_snapshot.py", "add-document"], source))

    folder = Path(
        _run([BASH, str(SCRIPTS / "backup.sh"), str(tmp_path / "backups")], source).strip()
    )
    database_file = "database.dump" if kind == "postgresql" else "database.sqlite3"
    assert sorted(p.name for p in folder.iterdir()) == sorted([database_file, "media.tar.gz"])

    _run([BASH, str(SCRIPTS / "restore.sh"), str(folder)], restored)
    after = json.loads(_run([python, "tests/resilience/site_snapshot.py"], restored))

    for name in ("home", "consultation", "idea", "document"):
        assert before[name]["status"] == 200, (name, before[name]["status"])
        assert after[name]["path"] == before[name]["path"]
        assert after[name]["status"] == 200, (name, after[name]["status"])
        assert after[name]["body"] == before[name]["body"], f"the {name} page differs"
    # The pages are the demo's, not empty shells.
    assert "Riverside and Meadowbank" in after["home"]["body"]


def test_restore_refuses_a_folder_without_a_backup(tmp_path):
    env = _env(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "media")
    result = subprocess.run(
        [BASH, str(SCRIPTS / "restore.sh"), str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "No database.sqlite3" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_backup_refuses_a_database_it_cannot_copy(tmp_path):
    env = _env("mysql://user:secret@localhost/engage", tmp_path / "media")
    result = subprocess.run(
        [BASH, str(SCRIPTS / "backup.sh"), str(tmp_path / "backups")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "only SQLite and PostgreSQL" in result.stderr
    assert "secret" not in result.stderr
