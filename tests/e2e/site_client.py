"""A small HTTP client for black-box tests over the live server: forms with their CSRF token."""

import re
from typing import Any

import httpx

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STRONG_PASSWORD = "tidy-Lantern-42"


class Site:
    def __init__(
        self, base_url: str, user_agent: str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
    ):
        self.base_url = base_url
        self.http = httpx.Client(
            base_url=base_url, headers={"User-Agent": user_agent}, follow_redirects=False
        )

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def csrf_from(self, path: str) -> str:
        page = self.get(path)
        match = CSRF_INPUT.search(page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def submit(self, form_path: str, action: str, data: dict[str, Any]) -> httpx.Response:
        """Open the page with the form (for its CSRF token), then post the form."""
        token = self.csrf_from(form_path)
        return self.http.post(action, data={"csrfmiddlewaretoken": token, **data})

    def sign_up(self, name: str, email: str, password: str = STRONG_PASSWORD) -> httpx.Response:
        return self.submit(
            "/signup/", "/signup/", {"name": name, "email": email, "password": password}
        )

    def sign_in(
        self, email: str, password: str = STRONG_PASSWORD, shared: bool = False
    ) -> httpx.Response:
        data = {"email": email, "password": password}
        if shared:
            data["shared_computer"] = "on"
        return self.submit("/login/", "/login/", data)

    def sign_out(self) -> httpx.Response:
        return self.submit("/account/", "/logout/", {})

    def is_signed_in(self) -> bool:
        return self.get("/account/").status_code == 200

    def api(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, f"/api/v1{path}", headers=headers, **kwargs)

    def session_cookie(self) -> str | None:
        return self.http.cookies.get("routinie_session")

    def close(self) -> None:
        self.http.close()


def api_sign_up(
    site: Site, name: str, email: str, password: str = STRONG_PASSWORD
) -> httpx.Response:
    return site.api(
        "POST",
        "/auth/signup",
        json={"name": name, "email": email, "password": password, "accept_policy_version": 1},
    )


def api_token(site: Site, email: str, password: str = STRONG_PASSWORD, label: str = "tests") -> str:
    response = site.api(
        "POST", "/auth/tokens", json={"email": email, "password": password, "label": label}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["token"])
