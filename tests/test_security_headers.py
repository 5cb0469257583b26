"""The Mozilla HTTP Observatory score of the production server's headers.

`observatory_score` implements the Observatory's published scoring (mdn/mdn-http-observatory,
"Scoring": start at 100, add each test's modifier; bonus points count only when the score
without them is at least 90) for the tests that depend on headers: Content-Security-Policy,
cookies, CORS, redirection, Referrer-Policy, Strict-Transport-Security, Subresource Integrity,
X-Content-Type-Options, X-Frame-Options and Cross-Origin-Resource-Policy.
"""

import re
import tempfile
from html.parser import HTMLParser
from http.cookies import SimpleCookie

import pytest

from tests.server import prepare, production_env, running_gunicorn, server_database

pytestmark = pytest.mark.server

MINIMUM_SCORE = 125
HALF_A_YEAR = 15768000
SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def parse_csp(header):
    policy = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        policy.setdefault(name.lower(), [value.lower() for value in values])
    return policy


def csp_result(headers):
    header = headers.get("content-security-policy")
    if not header:
        return "csp-not-implemented", -25
    policy = parse_csp(header)
    if "default-src" not in policy and "script-src" not in policy:
        return "csp-implemented-but-no-default-or-script-src", -25
    script = policy.get("script-src", policy.get("default-src", []))
    style = policy.get("style-src", policy.get("default-src", []))
    everything = [value for values in policy.values() for value in values]
    insecure = {"http:", "*", "data:", "https:", "ftp:"}
    if "'unsafe-inline'" in script or insecure & set(script):
        return "csp-implemented-with-unsafe-inline", -20
    if "'unsafe-eval'" in script:
        return "csp-implemented-with-unsafe-eval", -10
    if any(value.startswith("http:") for value in everything):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only", -10
    if "'unsafe-inline'" in style:
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if policy.get("default-src") == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 0


def cookies_result(headers, hsts):
    raw = headers.get("set-cookie")
    if not raw:
        return "cookies-not-found", 0
    cookies = SimpleCookie()
    cookies.load(raw)
    sessions = [morsel for name, morsel in cookies.items() if "session" in name.lower()]
    if any(not morsel["secure"] for morsel in sessions):
        return "cookies-session-without-secure-flag", -40
    if any(not morsel["secure"] for morsel in cookies.values()):
        return (
            ("cookies-without-secure-flag-but-protected-by-hsts", -5)
            if hsts
            else (
                "cookies-without-secure-flag",
                -20,
            )
        )
    if any(not morsel["httponly"] for morsel in sessions):
        return "cookies-session-without-httponly-flag", -10
    if all(morsel["samesite"].lower() in {"lax", "strict"} for morsel in cookies.values()):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def cors_result(headers):
    origin = headers.get("access-control-allow-origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented", 0
    if origin == "*" and headers.get("access-control-allow-credentials", "").lower() == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    return "cross-origin-resource-sharing-implemented-with-public-access", 0


def redirection_result(plain, host):
    if plain.status not in (301, 302, 307, 308):
        return "redirection-missing", -20
    location = plain.headers.get("location", "")
    if not location.startswith("https://"):
        return "redirection-not-to-https", -20
    if not location.startswith(f"https://{host}/"):
        return "redirection-off-host-from-http", -5
    return "redirection-to-https", 0


def referrer_result(headers):
    header = headers.get("referrer-policy")
    if header is None:
        return "referrer-policy-not-implemented", 0
    policies = [value.strip().lower() for value in header.split(",")]
    valid = SAFE_REFERRER_POLICIES | {"no-referrer-when-downgrade", "origin", "unsafe-url"}
    valid |= {"origin-when-cross-origin"}
    if not all(policy in valid for policy in policies):
        return "referrer-policy-header-invalid", -5
    if policies[-1] in SAFE_REFERRER_POLICIES:
        return "referrer-policy-private", 5
    if policies[-1] == "no-referrer-when-downgrade":
        return "referrer-policy-no-referrer-when-downgrade", 0
    return "referrer-policy-unsafe", -5


def hsts_result(headers):
    header = headers.get("strict-transport-security")
    if header is None:
        return "hsts-not-implemented", -20
    match = re.search(r"max-age=(\d+)", header, re.IGNORECASE)
    if match is None:
        return "hsts-header-invalid", -20
    if int(match.group(1)) < HALF_A_YEAR:
        return "hsts-implemented-max-age-less-than-six-months", -10
    if "preload" in header.lower() and "includesubdomains" in header.lower():
        return "hsts-preloaded", 5
    return "hsts-implemented-max-age-at-least-six-months", 0


class ScriptSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("src"):
            self.scripts.append(dict(attrs))


def sri_result(headers, body, host):
    if "html" not in headers.get("content-type", ""):
        return "sri-not-implemented-response-not-html", 0
    parser = ScriptSources()
    parser.feed(body)
    if not parser.scripts:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    external = [
        script
        for script in parser.scripts
        if re.match(r"^(https?:)?//", script["src"]) and f"//{host}/" not in script["src"]
    ]
    if not external:
        if all(script.get("integrity") for script in parser.scripts):
            return "sri-implemented-and-all-scripts-loaded-securely", 5
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    if all(script.get("integrity") for script in external):
        return "sri-implemented-and-external-scripts-loaded-securely", 5
    return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50


def nosniff_result(headers):
    header = headers.get("x-content-type-options")
    if header is None:
        return "x-content-type-options-not-implemented", -5
    if header.strip().lower() != "nosniff":
        return "x-content-type-options-header-invalid", -5
    return "x-content-type-options-nosniff", 0


def frame_options_result(headers):
    policy = parse_csp(headers.get("content-security-policy", ""))
    if "frame-ancestors" in policy:
        return "x-frame-options-implemented-via-csp", 5
    header = headers.get("x-frame-options", "").strip().lower()
    if header in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny", 0
    if not header:
        return "x-frame-options-not-implemented", -20
    return "x-frame-options-header-invalid", -20


def corp_result(headers):
    header = headers.get("cross-origin-resource-policy")
    if header is None:
        return "cross-origin-resource-policy-not-implemented", 0
    if header.strip().lower() not in {"same-site", "same-origin", "cross-origin"}:
        return "cross-origin-resource-policy-header-invalid", -5
    return f"cross-origin-resource-policy-implemented-with-{header.strip().lower()}", 0


def observatory_score(page, plain, host):
    """(score, [(test result, modifier), ...]) as the Observatory computes it."""
    headers = page.headers
    results = [
        csp_result(headers),
        cookies_result(headers, "strict-transport-security" in headers),
        cors_result(headers),
        redirection_result(plain, host),
        referrer_result(headers),
        hsts_result(headers),
        sri_result(headers, page.text, host),
        nosniff_result(headers),
        frame_options_result(headers),
        corp_result(headers),
    ]
    base = 100 + sum(modifier for _, modifier in results if modifier < 0)
    bonus = sum(modifier for _, modifier in results if modifier > 0)
    return (base + bonus if base >= 90 else base), results


@pytest.fixture(scope="module")
def production_server():
    with tempfile.TemporaryDirectory(prefix="oklab-headers-") as workdir, server_database() as url:
        env = production_env(workdir, url)
        prepare(env)
        with running_gunicorn(env, workers=1) as server:
            yield server


def test_observatory_score_of_the_home_page(production_server):
    page = production_server.get("/")
    plain = production_server.get("/", https=False)
    assert page.status == 200
    score, results = observatory_score(page, plain, "localhost")
    print(f"\nMozilla HTTP Observatory score of /: {score}")  # noqa: T201
    for name, modifier in results:
        print(f"  {modifier:+4d}  {name}")  # noqa: T201
    assert score >= MINIMUM_SCORE, results


@pytest.mark.parametrize("path", ["/en/", "/ok-labs/flensburg/", "/en/search/?q=lab"])
def test_other_pages_score_as_well(production_server, path):
    page = production_server.get(path)
    assert page.status == 200
    score, results = observatory_score(page, production_server.get(path, https=False), "localhost")
    assert score >= MINIMUM_SCORE, (path, results)


def test_admin_cookies_would_earn_the_cookie_bonus(production_server):
    """The public pages set no cookie; the admin's login sets them Secure, HttpOnly, SameSite."""
    login = production_server.get("/admin/login/")
    assert login.status == 200
    assert cookies_result(login.headers, True) == (
        "cookies-secure-with-httponly-sessions-and-samesite",
        5,
    )


def test_the_scoring_punishes_what_it_should():
    class Page:
        def __init__(self, headers, text=""):
            self.headers, self.text, self.status = headers, text, 200

    bare, results = observatory_score(Page({}), Page({}), "localhost")
    assert bare == 100 - 25 - 20 - 20 - 5 - 20
    assert csp_result({"content-security-policy": "default-src 'self' 'unsafe-inline'"})[1] == -20
    assert hsts_result({"strict-transport-security": "max-age=300"})[1] == -10
    assert referrer_result({"referrer-policy": "unsafe-url"})[1] == -5
