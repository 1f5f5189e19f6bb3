"""Production settings refuse to start unconfigured, and pass the deploy check when configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
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
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-key-" + "k3y" * 20,
        ALLOWED_HOSTS="engage.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_debug_must_be_a_clear_boolean():
    result = run_manage("check", DEBUG="maybe", SECRET_KEY="x" * 60, ALLOWED_HOSTS="a.example")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
