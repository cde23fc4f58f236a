"""The routes of one module of a blueprint package, declared next to their views.

A blueprint package keeps its views in modules named after what they show and defines its
``bp`` in ``views.py``. Decorating those views with ``@bp.route`` would make each module
import ``views.py`` back, and something would have to import the modules for their side effect
before the blueprint is registered. Instead each module records its routes on its own
``Routes`` (``@routes.get("/")`` above the view, as ``@bp.get`` would read), and ``views.py``
adds every module's routes to ``bp`` explicitly (``routes.add_to(bp)``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint
from flask.typing import RouteCallable

V = TypeVar("V", bound=RouteCallable)


class Routes:
    """The routes of one module, in the order they were declared.

    ``route(rule, methods=[...])``, ``get(rule)`` and ``post(rule)`` return a decorator that
    records the view under ``rule`` and returns the view unchanged; ``add_to(bp)`` adds every
    recorded route to ``bp`` with ``Blueprint.add_url_rule``, so each endpoint is named after
    its view function (``centre.cohort``) exactly as ``@bp.route`` would name it.
    """

    def __init__(self) -> None:
        self._routes: list[tuple[str, RouteCallable, list[str]]] = []

    def route(self, rule: str, methods: list[str]) -> Callable[[V], V]:
        """Record the decorated view under ``rule`` (a Werkzeug rule, relative to the
        blueprint's ``url_prefix``) for the HTTP ``methods``."""

        def record(view: V) -> V:
            self._routes.append((rule, view, methods))
            return view

        return record

    def get(self, rule: str) -> Callable[[V], V]:
        """``route(rule, methods=["GET"])``."""
        return self.route(rule, methods=["GET"])

    def post(self, rule: str) -> Callable[[V], V]:
        """``route(rule, methods=["POST"])``."""
        return self.route(rule, methods=["POST"])

    def add_to(self, bp: Blueprint) -> None:
        """Add every recorded route to ``bp``, in the order they were declared (two modules
        of one blueprint with views of the same name make Flask refuse the blueprint with an
        ``AssertionError`` when the app registers it)."""
        for rule, view, methods in self._routes:
            bp.add_url_rule(rule, view_func=view, methods=methods)
