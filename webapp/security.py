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

import re
from urllib.parse import quote, urlsplit

from flask import Flask, Response, abort, current_app, request
from flask_login import current_user
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


def safe_local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site (for ``next=`` redirects), else ``None``.

    Refused: anything not starting with exactly one ``/``; anything with a backslash or a C0/C1
    control character (``urlsplit`` and browsers drop tab, CR and LF, so ``"/<TAB>/evil.example/"``
    would become the protocol-relative ``//evil.example/``, review finding 12; CR/LF also broke
    the ``Location`` header, finding 11); anything that parses with a scheme or a host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


#: Query and form parameters with a fixed shape, checked before any view (review finding 11:
#: a CR/LF, non-Latin-1 or 5,000-digit value reached headers, sheet titles and SQL integers).
PARAMETER_SHAPES = {
    "round": re.compile(r"\d{4}"),  # rounds are years
    "compare": re.compile(r"\d{4}"),
    "persona": re.compile(r"\d{1,6}"),
    "version": re.compile(r"\d{1,9}"),
}


def check_parameter_shapes() -> None:
    """Answer 400 when a non-empty ``round``, ``compare``, ``persona`` or ``version`` in the
    query string or form does not have its shape (``PARAMETER_SHAPES``)."""
    sources = (request.args, request.form) if request.method == "POST" else (request.args,)
    for source in sources:
        for name, shape in PARAMETER_SHAPES.items():
            for value in source.getlist(name):
                if value and not shape.fullmatch(value):
                    abort(400)


def attachment(filename: str) -> str:
    """A ``Content-Disposition`` value for downloading ``filename``: an ASCII fallback with
    anything but letters, digits, ``.``, ``-`` and ``_`` replaced, and the exact name as
    RFC 6266 ``filename*`` (no parameter injection through a name, finding 11)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


#: Routes that take a body larger than ``MAX_CONTENT_LENGTH``: endpoint -> the config key of
#: their file cap. The request may carry that much plus ``FORM_OVERHEAD`` bytes of form fields.
LARGE_UPLOADS = {"enterprise.evidence_upload": "EVIDENCE_MAX_BYTES"}
FORM_OVERHEAD = 64 * 1024


def widen_upload_limit() -> None:
    """A ``before_request`` hook, registered before CSRF protection reads the form: raise this
    request's body cap on the routes of ``LARGE_UPLOADS`` (everywhere else it stays
    ``MAX_CONTENT_LENGTH``); the service then refuses a file over its own cap with a message."""
    key = LARGE_UPLOADS.get(request.endpoint or "")
    if key is not None:
        request.max_content_length = int(current_app.config[key]) + FORM_OVERHEAD


def user_key() -> str:
    """Flask-Limiter key of the logged-in user (the client address when anonymous)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{request.remote_addr}"


def expensive_limit() -> str:
    """The per-user limit of PDF renders and job starts (``EXPENSIVE_LIMIT``, finding 21)."""
    return str(current_app.config["EXPENSIVE_LIMIT"])


#: Largest nesting of arrays and objects, and longest digit run, accepted in a JSON body
#: (finding 11: 100,000 brackets raised RecursionError, a 5,000-digit integer ValueError).
MAX_JSON_DEPTH = 64
MAX_JSON_DIGITS = 4000
_JSON_TOKENS = re.compile(rb'\\.|"|[\[\]{}]')
_LONG_DIGITS = re.compile(rb"\d{%d}" % (MAX_JSON_DIGITS + 1))


def json_too_deep_or_long(body: bytes) -> bool:
    """Whether ``body`` nests arrays/objects deeper than ``MAX_JSON_DEPTH`` (outside strings)
    or holds more than ``MAX_JSON_DIGITS`` digits in a row."""
    if _LONG_DIGITS.search(body):
        return True
    depth, in_string = 0, False
    for token in _JSON_TOKENS.finditer(body):
        text = token.group()
        if text == b'"':
            in_string = not in_string
        elif in_string or len(text) == 2:
            continue
        elif text in (b"[", b"{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        else:
            depth -= 1
    return False


def check_json_body() -> None:
    """Answer 400 before parsing a JSON body that ``json_too_deep_or_long`` refuses."""
    if request.method in ("POST", "PUT", "PATCH") and request.is_json:
        if json_too_deep_or_long(request.get_data(cache=True)):
            abort(400)


#: Endpoints whose answers are the same for everyone and may be cached by the browser.
CACHEABLE_ENDPOINTS = frozenset({"static", "main.plotly_js"})


def cache_and_isolation_headers(response: Response) -> Response:
    """``Cache-Control: no-store`` on every answer but public static files (pages, PDFs, CSVs
    and the API may carry personal or enterprise data; ASVS 8.2.1, review finding 22), and
    ``Cross-Origin-Opener-Policy: same-origin``."""
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


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

    app.before_request(check_parameter_shapes)
    app.before_request(check_json_body)
    app.after_request(cache_and_isolation_headers)
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
