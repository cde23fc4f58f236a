"""Transport and browser security: cookies, security headers, throttling, proxies.

One place for the settings that ``docs/security.md`` promises; each is proved by a test named
there.

Headers come from Flask-Talisman rather than a hand-written ``after_request``: it is the
maintained extension for exactly this (CSP, frame options, nosniff, HSTS on HTTPS, referrer
policy, permissions policy), and its two overlaps with this app are configured, not fought:
``force_https`` follows ``FORCE_HTTPS`` (off by default, since a TLS-terminating proxy usually
redirects), and its session-cookie settings are fed from the same config keys Flask reads.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import session_lifetime
from webapp.extensions import limiter, talisman

#: Content security policy. Scripts only from this origin: every page script is a static file
#: and charts are drawn by ``static/charts.js`` from JSON data attributes, so no inline script
#: and no ``eval`` is needed. Styles allow ``'unsafe-inline'`` because plotly.js inserts its
#: own ``<style>`` element and sizes charts with style attributes; style injection cannot run
#: code, and ``script-src`` stays strict.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

#: Browser features the app never uses.
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()"}


def register(app: Flask) -> None:
    """Apply cookie flags, proxy trust, throttling storage and security headers to ``app``."""
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        # Production is secure by default; DEBUG/TESTING serve plain http on this machine.
        app.config["SESSION_COOKIE_SECURE"] = not (app.debug or app.testing)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]

    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        # Without this, every client behind the proxy shares one address for throttling.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    limiter.init_app(app)
    # Before the access matrix's hook, so an expired session is refused as anonymous.
    session_lifetime.register(app)

    talisman.init_app(
        app,
        force_https=bool(app.config.get("FORCE_HTTPS")),
        session_cookie_secure=bool(app.config["SESSION_COOKIE_SECURE"]),
        session_cookie_http_only=True,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS_POLICY,
        strict_transport_security=True,  # sent on HTTPS responses only
    )
