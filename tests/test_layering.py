"""Imports flow one way (DESIGN.md, data flow): a forbidden import fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "assessment": {
        "flask",
        "flask_login",
        "flask_wtf",
        "flask_babel",
        "sqlalchemy",
        "models",
        "webapp",
        "reports",
        "plotly",
        "weasyprint",
    },
    "reports": {
        "flask",
        "flask_login",
        "flask_wtf",
        "flask_babel",
        "sqlalchemy",
        "models",
        "webapp",
    },
    "models": {
        "flask",
        "flask_login",
        "flask_wtf",
        "flask_babel",
        "webapp",
        "reports",
        "assessment",
    },
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_it_may(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    offences = {
        str(f.relative_to(ROOT)): sorted(imported_roots(f) & FORBIDDEN[package]) for f in files
    }
    assert {f: bad for f, bad in offences.items() if bad} == {}
