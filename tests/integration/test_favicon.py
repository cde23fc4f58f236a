"""Every page names its icon, inline as an SVG data URI, so browsers neither ask for
/favicon.ico (a 404 on each page) nor fetch a file for it."""

from __future__ import annotations

import re
from urllib.parse import unquote

from flask.testing import FlaskClient


def test_pages_carry_their_icon_inline(client: FlaskClient) -> None:
    for path in ("/", "/auth/login"):
        page = client.get(path).get_data(as_text=True)
        links = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert len(links) == 1, path
        scheme, _, svg = links[0].partition(",")
        assert scheme == "data:image/svg+xml" and unquote(svg).startswith("<svg"), links[0]
        assert unquote(svg).rstrip().endswith("</svg>")
