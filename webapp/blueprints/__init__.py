"""Blueprints, one package per user role (plus ``main`` for public pages and ``auth``)."""
