"""The roadmap of a stored assessment (issue 19) and what it reads besides the firm's answers:
the version-2 instrument, the catalogue in the database (with its version-2 fields) and the
programme file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assessment.catalogue import Catalogue
from assessment.instrument import load_instrument
from assessment.programmes import Programme, parse_programmes
from assessment.types import Instrument
from webapp.services import catalogue
from webapp.services.errors import ServiceError

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"


@cache
def v2_instrument() -> Instrument:
    """Instrument dmi version 2."""
    return load_instrument("dmi", "2")


@cache
def programmes() -> tuple[Programme, ...]:
    """The programme file (demo entries are marked ``is_demo``); read once per process."""
    return parse_programmes((DEMO_DIR / "programmes.toml").read_text(encoding="utf-8"))


def roadmap_catalogue() -> Catalogue:
    """The catalogue the roadmap matches products from: the one in the database.

    Raises
    ------
    ServiceError
        The database holds no solution (load one with ``flask demo seed`` or an import).
    """
    current = catalogue.current_catalogue()
    if not current.solutions:
        raise ServiceError("the catalogue has no solutions: run flask demo seed or import one")
    return current
