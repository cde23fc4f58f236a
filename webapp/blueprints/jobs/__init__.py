"""Background jobs: one progress page and one download for every kind.

The blueprint ``bp`` is defined in ``views.py``, next to the routes it registers (no
bottom-of-file imports); ``webapp.app.register_blueprints`` registers it."""
