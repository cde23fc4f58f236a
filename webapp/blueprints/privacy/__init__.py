"""The privacy notice, consent to it, and the owner's data export and deletion request.

The blueprint ``bp`` is defined in ``views.py``; ``webapp.app.register_blueprints`` registers
it."""
