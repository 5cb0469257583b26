"""What a visitor does on the site, in Chromium against the production gunicorn."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_from_home_to_flensburg_in_both_languages_and_into_the_calendar(page):
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "de"

    page.locator(".site-nav").get_by_role("link", name="OK Labs").first.click()
    page.wait_for_url("**/ok-labs/")
    page.locator("#lab-list").get_by_role("link", name="OK Lab Flensburg").first.click()
    page.wait_for_url("**/ok-labs/flensburg/")
    assert page.locator("h1").inner_text() == "OK Lab Flensburg"

    next_meeting = page.locator(".next-meeting").first
    assert "Nächstes Treffen" in next_meeting.inner_text()
    assert re.match(r"\d{4}-\d\d-\d\dT", next_meeting.locator("time").get_attribute("datetime"))

    page.locator(".language-switcher a[hreflang=en]").click()
    page.wait_for_url("**/en/ok-labs/flensburg/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Next meeting" in page.locator(".next-meeting").first.inner_text()

    page.locator(".language-switcher a[hreflang=de]").click()
    page.wait_for_url(re.compile(r".*/ok-labs/flensburg/$"))
    assert "/en/" not in page.url

    link = page.get_by_role("link", name="Zum Kalender hinzufügen").first
    href = link.get_attribute("href")
    assert href.endswith("/calendar/de/labs/flensburg.ics")
    calendar = page.request.get(href)
    assert calendar.status == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    body = calendar.text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in body


def test_lab_index_filters_by_bundesland(page):
    page.goto("/ok-labs/")
    page.select_option("#filter-bundesland", "schleswig-holstein")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**bundesland=schleswig-holstein**")
    assert "Schleswig-Holstein" in page.locator(".result-count").inner_text()
    titles = page.locator("#lab-list").inner_text()
    assert "Flensburg" in titles
    assert "Düsseldorf" not in titles


def test_missing_pages_show_the_localised_404(page):
    response = page.goto("/gibt-es-nicht/")
    assert response.status == 404
    assert page.title().startswith("Seite nicht gefunden")
    assert page.locator("html").get_attribute("lang") == "de"

    response = page.goto("/en/nothing/")
    assert response.status == 404
    assert page.title().startswith("Page not found")
    assert page.locator("html").get_attribute("lang") == "en"


def test_projects_seeking_contributors_in_schleswig_holstein(page):
    page.goto("/projekte/")
    page.select_option("#filter-bundesland", "schleswig-holstein")
    page.select_option("#filter-status", "seeking-contributors")
    page.locator("form.filter button[type=submit]").click()
    page.wait_for_url("**status=seeking-contributors**")
    assert "bundesland=schleswig-holstein" in page.url
    assert page.locator("#filter-bundesland").input_value() == "schleswig-holstein"
    assert page.locator("#filter-status").input_value() == "seeking-contributors"
    assert page.locator(".result-count").inner_text().startswith("1 ")
    page.get_by_role("link", name="Klimadaten Flensburg").first.click()
    page.wait_for_url("**/ok-labs/flensburg/klimadaten-flensburg/")
    assert page.locator("h1").inner_text() == "Klimadaten Flensburg"


def test_network_calendar(page):
    response = page.goto("/termine/")
    assert response.status == 200
    href = page.locator("main a[type='text/calendar']").first.get_attribute("href")
    calendar = page.request.get(href)
    assert calendar.status == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert calendar.text().startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    ("path", "heading"), [("/search/?q=Flensburg", "Suche"), ("/en/search/?q=Flensburg", "Search")]
)
def test_search_for_flensburg(page, path, heading):
    page.goto(path)
    assert page.locator("#search-query").input_value() == "Flensburg"
    results = page.locator(".search-results")
    assert "OK Lab Flensburg" in results.inner_text()
    assert heading in page.title()


def test_search_form_in_the_page(page):
    page.goto("/en/search/")
    page.fill("#search-query", "Flensburg")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/?q=Flensburg**")
    assert "OK Lab Flensburg" in page.locator(".search-results").inner_text()


def focused(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName, id: el.id, text: (el.innerText || "").trim(),
                cls: el.className, href: el.getAttribute("href"),
                inNav: !!el.closest(".site-nav"), inSwitcher: !!el.closest(".language-switcher"),
                outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
            };
        }"""
    )


def test_keyboard_only_journey(page):
    page.goto("/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert "skip-link" in first["cls"]
    assert first["outlineStyle"] != "none" and first["outlineWidth"] >= 2
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    page.goto("/")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        state = focused(page)
        seen.append(state)
        assert state["outlineStyle"] != "none" and state["outlineWidth"] >= 2, state
        if state["inSwitcher"]:
            break
    assert any(state["inNav"] for state in seen), "Tab never reached the main navigation"
    assert seen[-1]["inSwitcher"], "Tab never reached the language switcher"
    # Backwards to the OK Labs entry of the navigation, then open it with Enter.
    for _ in range(40):
        if focused(page)["inNav"] and focused(page)["text"] == "OK Labs":
            break
        page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == "OK Labs"
    page.keyboard.press("Enter")
    page.wait_for_url("**/ok-labs/")
    for _ in range(200):
        page.keyboard.press("Tab")
        if focused(page)["href"] == "/ok-labs/flensburg/":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/ok-labs/flensburg/")
    assert page.locator("h1").inner_text() == "OK Lab Flensburg"


@pytest.mark.parametrize(
    "path",
    ["/", "/ok-labs/", "/ok-labs/flensburg/", "/projekte/", "/en/", "/en/ok-labs/flensburg/"],
)
def test_no_horizontal_scrolling_at_360_pixels(open_page, path):
    page = open_page(width=360, height=740)
    page.goto(path)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
