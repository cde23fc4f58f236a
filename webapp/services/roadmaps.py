"""The data the roadmap reads outside the database: the version-2 instrument, the demo
catalogue file (catalogue v2 fields are not stored in the database yet) and the programme
file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assessment.catalogue import Catalogue, parse_catalogue
from assessment.instrument import load_instrument
from assessment.programmes import Programme, parse_programmes
from assessment.types import Instrument

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"


@cache
def v2_instrument() -> Instrument:
    """Instrument dmi version 2."""
    return load_instrument("dmi", "2")


def demo_catalogue() -> Catalogue:
    """The demo catalogue file with its version-2 fields (capabilities, price models)."""
    return parse_catalogue((DEMO_DIR / "catalogue.toml").read_text(encoding="utf-8"))


def demo_programmes() -> tuple[Programme, ...]:
    """The programme file (demo entries are marked ``is_demo``)."""
    return parse_programmes((DEMO_DIR / "programmes.toml").read_text(encoding="utf-8"))
