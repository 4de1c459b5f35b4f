"""Production settings refuse to start unsafely and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "intranet.settings.production", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", env_extra={"ALLOWED_HOSTS": "intranet.example"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "ALLOWED_HOSTS": "intranet.example",
            "SECRET_KEY": "x" * 60 + "-not-a-real-secret-but-long-enough",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_demo_loader():
    result = _manage(
        "load_demo",
        env_extra={
            "ALLOWED_HOSTS": "intranet.example",
            "SECRET_KEY": "y" * 64,
            "DATABASE_URL": "sqlite:///:memory:",
        },
    )
    assert result.returncode != 0
    assert "produktion" in result.stderr
