"""axe-core (shipped inside axe-playwright-python) on every public page type, both languages,
1280 and 360 px wide; the same walk writes a screenshot of each page and the axe figures
(axe-<language>-<width>.txt) into screenshots/."""

import pytest

from tests.helpers import PROJECT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = PROJECT_DIR / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Page type → the German page; the English one is found through the language switcher.
PAGE_TYPES = {
    "home": "/",
    "content": "/ueber-code-for-germany/",
    "lab-index": "/ok-labs/",
    "lab": "/ok-labs/flensburg/",
    "project-index": "/projekte/",
    "project": "/ok-labs/flensburg/haushaltsvisualisierung/",
    "news-index": "/neuigkeiten/",
    "event-index": "/termine/",
    "search": "/search/?q=Flensburg",
    "404": "/gibt-es-nicht/",
}
ENGLISH_404 = "/en/nothing/"


def english_path(page, german_path):
    if german_path == PAGE_TYPES["404"]:
        return ENGLISH_404
    page.goto(german_path)
    href = page.locator(".language-switcher a[hreflang=en]").get_attribute("href")
    query = german_path.partition("?")[2]
    return href + (f"?{query}" if query and "?" not in href else "")


def audit(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return results.response["violations"], len(results.response["passes"])


def describe(violation):
    lines = [f"  {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"][:5]:
        lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_type_passes_axe_and_is_photographed(open_page, language, width):
    page = open_page(width=width, height=900 if width > 400 else 740)
    SCREENSHOTS.mkdir(exist_ok=True)
    problems, figures = [], []
    for name, path in PAGE_TYPES.items():
        if language == "en":
            path = english_path(page, path)
        response = page.goto(path)
        assert response.status == (404 if name == "404" else 200), path
        violations, passed = audit(page)
        figures.append(
            f"{language} {width}px {name} {path}: {len(violations)} violations, "
            f"{passed} rules passed"
        )
        if violations:
            problems.append(f"{path} at {width}px:\n" + "\n".join(map(describe, violations)))
        page.screenshot(path=SCREENSHOTS / f"{name}-{language}-{width}.png", full_page=True)
    (SCREENSHOTS / f"axe-{language}-{width}.txt").write_text("\n".join(figures) + "\n")
    assert not problems, "WCAG 2.1 A/AA violations:\n" + "\n".join(problems)
