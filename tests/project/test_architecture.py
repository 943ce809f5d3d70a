"""The layering rules of docs/development.md, checked on the import graph.

- ``claims.domain`` and ``claims.extraction`` are pure: they import neither Django nor
  anything of the project outside themselves (domain may use domain; extraction may
  use domain and extraction).
- Lower layers never import higher ones: models, filtersets, selectors and services
  never import the api, admin, pages or management commands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "claims"
PURE = {"claims.domain": ("claims.domain",), "claims.extraction": ("claims.domain", "claims.extraction")}
UPPER = ("claims.api", "claims.admin", "claims.pages", "claims.management", "claims.tasks")
LOWER = ("claims.models", "claims.filtersets", "claims.selectors", "claims.services")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth (function-level imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules_under(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(PURE))
def test_pure_packages_import_no_django_and_nothing_of_the_project_above_them(package):
    allowed = PURE[package]
    offences = []
    for path in modules_under(package):
        for imported in imports_of(path):
            root = imported.split(".")[0]
            if root in ("django", "rest_framework", "django_filters", "simple_history", "drf_spectacular"):
                offences.append(f"{module_name(path)} imports {imported}")
            elif root in ("claims", "project") and not imported.startswith(allowed):
                offences.append(f"{module_name(path)} imports {imported}")
    assert not offences, "\n".join(offences)


@pytest.mark.parametrize("package", LOWER)
def test_lower_layers_never_import_the_upper_ones(package):
    offences = [
        f"{module_name(path)} imports {imported}"
        for path in modules_under(package)
        for imported in imports_of(path)
        if imported.startswith(UPPER)
    ]
    assert not offences, "\n".join(offences)


def test_the_checks_see_the_modules_they_guard():
    """A rename that empties a package must not turn the checks above into no-ops."""
    for package in (*PURE, *LOWER):
        assert len(modules_under(package)) >= 3, package


def test_imports_of_finds_function_level_imports(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from django.db import models\n    import claims.api.views\n")
    assert imports_of(source) == {"django.db", "claims.api.views"}
