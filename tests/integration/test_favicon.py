"""Every page names its icon (a small SVG among the static files), so browsers do not ask for
/favicon.ico and log a 404 on each page."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def test_pages_link_an_icon_that_is_served(client: FlaskClient) -> None:
    for path in ("/", "/auth/login"):
        page = client.get(path).get_data(as_text=True)
        links = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert len(links) == 1, path
    with client.get(links[0]) as icon:  # a static file is streamed: close it
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg")
