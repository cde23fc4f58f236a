"""The Flask web application: ``flask --app webapp run`` finds ``create_app`` here."""

from webapp.app import create_app

__all__ = ["create_app"]
