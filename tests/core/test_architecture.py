"""The shape of the code (docs/architecture.md): apps depend one way, checked by import-linter's
layers contract in pyproject.toml, and no module reaches into another's private names."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

APPS = ("blocportal", "organizations", "members", "meetings", "inspections", "emulation", "reports", "demo")


def _sources():
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _module_name(path: Path) -> str:
    parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Django's documented model API, underscored so that it cannot clash with a field name.
DJANGO_MODEL_API = {"_meta", "_default_manager", "_base_manager"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in DJANGO_MODEL_API


def private_reaches(path: Path, source: str) -> list[str]:
    """``from x import _name``, and ``x._name`` on a module ``x`` imported from the project."""
    tree = ast.parse(source)
    found, project_modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = node.module or ""
            internal = node.level > 0 or target.split(".")[0] in APPS
            for alias in node.names:
                if internal and _private(alias.name):
                    found.append(f"{path.name}:{node.lineno} imports {alias.name}")
                elif internal:
                    project_modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS:
                    project_modules.add((alias.asname or alias.name).split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in project_modules
        ):
            found.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_no_module_reaches_into_another_modules_private_names():
    reaches = [
        f"{_module_name(path)}: {reach}"
        for path in _sources()
        for reach in private_reaches(path, path.read_text(encoding="utf-8"))
    ]
    assert reaches == []


def test_the_check_sees_a_private_import_and_a_private_attribute():
    source = "from members.services import _lock\nfrom members import services\nservices._save(1)\n"
    assert private_reaches(Path("x.py"), source) == ["x.py:1 imports _lock", "x.py:3 uses services._save"]


def _lint_imports(config: Path | None = None) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--no-logo"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(command, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)


def test_apps_depend_one_way():
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_fails_on_an_upward_import(tmp_path):
    """The same contract with the layers turned upside down must break: the check can fail."""
    import tomllib

    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    layers = list(reversed(contract["layers"]))
    inverted = tmp_path / "inverted.ini"
    inverted.write_text(
        "[importlinter]\nroot_packages =\n"
        + "".join(f"    {p}\n" for p in config["tool"]["importlinter"]["root_packages"])
        + "\n[importlinter:contract:inverted]\nname = inverted\ntype = layers\nlayers =\n"
        + "".join(f"    {layer}\n" for layer in layers),
        encoding="utf-8",
    )
    result = _lint_imports(inverted)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


@pytest.mark.skipif(not Path(settings.BASE_DIR, "Makefile").exists(), reason="no Makefile")
def test_make_lint_runs_the_contract():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:")[1].split("\n\n")[0]
    assert "lint-imports" in lint
