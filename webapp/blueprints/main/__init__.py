"""Public pages: landing page, health check, language switch, vendored chart library.

The blueprint ``bp`` is defined in ``views.py``, next to the routes it registers (no
bottom-of-file imports); ``webapp.app.register_blueprints`` registers it."""
