"""``make run`` takes the port to serve on; the README says how, and what a server without DEBUG
needs first."""

import shutil
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")


def _run_commands(*arguments: str) -> str:
    result = subprocess.run(
        ["make", "--dry-run", "run", *arguments],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def test_make_run_serves_on_port_8000_by_default():
    assert "runserver 127.0.0.1:8000" in _run_commands()


def test_make_run_takes_another_port():
    assert "runserver 127.0.0.1:8001" in _run_commands("PORT=8001")


def test_the_readme_documents_the_port_and_collectstatic():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert "make run PORT=8001" in readme
    assert "manage.py collectstatic" in readme.split("## Production configuration")[0]


def _test_command(*arguments: str) -> str:
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "test", *arguments],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return next(line for line in result.stdout.splitlines() if "-m pytest" in line)


def test_make_test_runs_one_process_per_core_keeping_a_files_tests_together():
    assert "-m pytest -n auto --dist loadfile -k seed" in _test_command("PYTEST_ARGS=-k seed")


def test_make_test_runs_in_one_process_when_asked():
    command = _test_command("TEST_WORKERS=0")
    assert " -n " not in command and "--dist" not in command
