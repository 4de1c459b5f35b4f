"""Production settings refuse to start unsafely and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from intranet.settings.base import database

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


def test_postgresql_connections_compile_no_query_plans_just_in_time():
    """JIT spent 0.9 s compiling a forum page's 8 ms query once 10 000 restrictions raised its estimated cost."""
    config = database("postgres://postgres@127.0.0.1:5432/trygghet?options=-c%20statement_timeout%3D5000")
    assert "-c jit=off" in config["OPTIONS"]["options"]
    assert "statement_timeout" in config["OPTIONS"]["options"]  # the operator's own options are kept


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's setting: asked in the PostgreSQL pass")
def test_the_running_postgresql_connection_has_jit_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
