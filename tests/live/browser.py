"""A minimal HTTP user of the questionnaire, as the page and its autosave script behave."""

from __future__ import annotations

import re
from typing import Any

import requests

TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)
VERSION = re.compile(
    r'id="version" name="version" type="hidden" value="(\d+)"|'
    r'name="version" type="hidden" value="(\d+)"'
)


def _first(pattern: re.Pattern[str], html: str) -> str:
    match = pattern.search(html)
    assert match is not None, html[:500]
    return next(g for g in match.groups() if g)


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, timeout=30)

    def login(self, email: str, password: str) -> None:
        token = _first(TOKEN, self.get("/auth/login").text)
        resp = self.http.post(
            self.base + "/auth/login",
            timeout=30,
            allow_redirects=False,
            data={"email": email, "password": password, "csrf_token": token},
        )
        assert resp.status_code == 302, resp.text[:500]

    def start(self) -> str:
        """Start this round's assessment; returns its public id."""
        token = _first(TOKEN, self.get("/enterprise/").text)
        resp = self.http.post(
            self.base + "/enterprise/assessments/start",
            timeout=30,
            data={"csrf_token": token, "declare": "on"},
            allow_redirects=False,
        )
        assert resp.status_code == 302, resp.status_code
        return resp.headers["Location"].split("/assessments/")[1].split("/")[0]

    def open_page(self, public_id: str, dimension: str) -> tuple[str, int]:
        """The page's CSRF token and the assessment version it was loaded with."""
        html = self.get(f"/enterprise/assessments/{public_id}/pages/{dimension}").text
        return _first(TOKEN, html), int(_first(VERSION, html))

    def autosave(
        self, public_id: str, dimension: str, answers: dict[str, Any], token: str, version: int
    ) -> requests.Response:
        data = {"csrf_token": token, "version": str(version), "action": "save"}
        data.update({f"item_{code}": value for code, value in answers.items()})
        return self.http.post(
            f"{self.base}/enterprise/assessments/{public_id}/pages/{dimension}",
            data=data,
            headers={"X-Autosave": "1", "X-CSRFToken": token},
            timeout=30,
            allow_redirects=False,
        )

    def submit(self, public_id: str, token: str) -> requests.Response:
        return self.http.post(
            f"{self.base}/enterprise/assessments/{public_id}/submit",
            data={"csrf_token": token, "declare": "on"},
            timeout=30,
            allow_redirects=False,
        )
