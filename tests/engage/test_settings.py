"""Production settings refuse to start unconfigured, and pass the deploy check when configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "CACHE_URL", "ENGAGE_PAGE_CACHE_SECONDS"}
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "engage.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="engage.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_passes_the_deploy_check_when_configured():
    result = production_deploy_check()
    assert result.returncode == 0, result.stderr + result.stdout


def test_debug_must_be_a_clear_boolean():
    result = run_manage("check", DEBUG="maybe", SECRET_KEY="x" * 60, ALLOWED_HOSTS="a.example")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def production_deploy_check(**env):
    return run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-key-" + "k3y" * 20,
        ALLOWED_HOSTS="engage.example.org",
        **env,
    )


def test_pages_cached_in_each_processs_own_memory_fail_the_deploy_check():
    result = production_deploy_check(ENGAGE_PAGE_CACHE_SECONDS="60")
    assert result.returncode != 0
    assert "engage.W001" in result.stderr + result.stdout


def test_pages_cached_in_a_shared_cache_pass_the_deploy_check():
    result = production_deploy_check(CACHE_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_caches_pages_only_in_a_shared_cache():
    script = "from django.conf import settings; print(settings.ENGAGE_PAGE_CACHE_SECONDS)"
    common = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "a.example"}
    alone = run_manage("shell", "--no-imports", "-c", script, **common)
    assert alone.stdout.strip() == "0", alone.stderr
    shared = run_manage(
        "shell", "--no-imports", "-c", script, CACHE_URL="redis://127.0.0.1:6379/0", **common
    )
    assert shared.stdout.strip() == "60", shared.stderr


def test_production_keeps_sessions_in_a_shared_cache_only():
    """With a cache every process shares, sessions are read from it (and written to the
    database too); with each process's own memory, signing out in one process could not end
    the session in the others, so sessions stay in the database alone."""
    script = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    common = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "a.example"}
    alone = run_manage("shell", "--no-imports", "-c", script, **common)
    assert alone.stdout.strip() == "django.contrib.sessions.backends.db", alone.stderr
    shared = run_manage(
        "shell", "--no-imports", "-c", script, CACHE_URL="redis://127.0.0.1:6379/0", **common
    )
    assert shared.stdout.strip() == "django.contrib.sessions.backends.cached_db", shared.stderr
