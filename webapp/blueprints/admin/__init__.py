"""Administrator pages.

The blueprint ``bp`` is defined in ``views.py``, which adds the routes of this package's modules
(no bottom-of-file imports); ``webapp.app.register_blueprints`` registers it."""
