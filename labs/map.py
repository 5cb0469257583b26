"""The labs map: an SVG drawn on the server, the labs' markers over Germany's federal states.

- Geodata: labs/geodata/germany-states.geojson (© GeoBasis-DE / BKG, see the README there).
- Projection: equirectangular with the longitude scaled by cos(51.2°), Germany's middle
  latitude; at this size it looks like the familiar maps and keeps distances in the middle true.
- Labels: each marker's name is tried in eight places around it (right, left, the diagonals,
  above, below). The most constrained lab is placed first, in the place that takes the fewest
  places from its neighbours; a label that fits nowhere is left out (the marker keeps its link
  and accessible name, and the list of labs beside the map names every lab). Label boxes are
  measured with an approximate text width and the text is drawn to exactly that width
  (textLength), so labels never overlap each other, any marker, or the edge of the map.

Everything here is pure computation on the labs' coordinates; build_map() caches its result.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

GEODATA = Path(__file__).resolve().parent / "geodata" / "germany-states.geojson"
REFERENCE_LATITUDE = 51.2
SCALE = 84.0  # SVG units per degree of latitude
MARGIN_X = 48.0  # room for labels left and right of the country
MARGIN_Y = 14.0
FONT_SIZE = 15.0
LABEL_PADDING = 2.0
LABEL_HEIGHT = FONT_SIZE * 1.3
MARKER_RADIUS = 6.0
INACTIVE_MARKER_RADIUS = 4.5
LABEL_GAP = 2.0  # between a marker and its label
# Approximate advance widths of a sans-serif (Arial/Helvetica metrics, em = 1), widened below
# for the semibold labels and for system fonts that run wider (DejaVu, Segoe UI, Roboto).
WIDTH_FACTOR = 1.12
CHAR_WIDTHS = {
    **dict.fromkeys("ijlíì'|", 0.23),
    **dict.fromkeys("ftrI()[]/-.,:;!", 0.33),
    **dict.fromkeys("czksvxyJ", 0.5),
    **dict.fromkeys("abdeghnopqu0123456789äöüß", 0.56),
    **dict.fromkeys("FTZL", 0.61),
    **dict.fromkeys("ABEKPSVXYÄ", 0.67),
    **dict.fromkeys("CDHNRUwÜ", 0.72),
    **dict.fromkeys("GOQÖ", 0.78),
    **dict.fromkeys("mM", 0.83),
    **dict.fromkeys("W", 0.94),
    " ": 0.28,
}
DEFAULT_CHAR_WIDTH = 0.6

# Places around a marker, in order of preference: (name, horizontal, vertical) where -1/0/1 put
# the label left of/centred on/right of the marker and above/level with/below it.
POSITIONS = (
    ("right", 1, 0),
    ("left", -1, 0),
    ("above-right", 1, -1),
    ("below-right", 1, 1),
    ("above-left", -1, -1),
    ("below-left", -1, 1),
    ("above", 0, -1),
    ("below", 0, 1),
)


@dataclass(frozen=True)
class MapLab:
    """What the map needs of a lab."""

    key: str
    name: str  # accessible name, e.g. "OK Lab Flensburg"
    label: str  # shown on the map, e.g. "Flensburg"
    url: str
    lat: float
    long: float
    inactive: bool = False


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self):
        return self.x + self.width

    @property
    def bottom(self):
        return self.y + self.height

    def overlaps(self, other):
        """True when the boxes share area (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def inside(self, width, height):
        return self.x >= 0 and self.y >= 0 and self.right <= width and self.bottom <= height


@dataclass(frozen=True)
class Marker:
    lab: MapLab
    x: float
    y: float
    radius: float
    label_box: Box | None = None
    position: str = ""

    @property
    def box(self):
        return Box(self.x - self.radius, self.y - self.radius, 2 * self.radius, 2 * self.radius)

    @property
    def text_x(self):
        return round(self.label_box.x + LABEL_PADDING, 1)

    @property
    def text_y(self):
        """The baseline, so the text sits in the middle of its box."""
        return round(self.label_box.y + self.label_box.height / 2 + FONT_SIZE * 0.35, 1)

    @property
    def text_length(self):
        return round(self.label_box.width - 2 * LABEL_PADDING, 1)


@dataclass(frozen=True)
class State:
    code: str
    name: str
    path: str  # SVG path data


@dataclass(frozen=True)
class LabsMap:
    width: float
    height: float
    states: tuple[State, ...]
    markers: tuple[Marker, ...]

    @property
    def view_box(self):
        return f"0 0 {self.width:g} {self.height:g}"

    @property
    def labelled(self):
        return [marker for marker in self.markers if marker.label_box is not None]


@dataclass(frozen=True)
class Projection:
    west: float
    north: float
    width: float
    height: float

    def __call__(self, lat, long):
        x = MARGIN_X + (long - self.west) * math.cos(math.radians(REFERENCE_LATITUDE)) * SCALE
        y = MARGIN_Y + (self.north - lat) * SCALE
        return x, y


@functools.cache
def geography():
    """The projection fitted to Germany, and the states as compact SVG paths (read once)."""
    data = json.loads(GEODATA.read_text(encoding="utf-8"))
    points = [
        point
        for feature in data["features"]
        for polygon in feature["geometry"]["coordinates"]
        for ring in polygon
        for point in ring
    ]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians(REFERENCE_LATITUDE)) * SCALE
    width = round(2 * MARGIN_X + (east - west) * kx)
    height = round(2 * MARGIN_Y + (north - south) * SCALE)
    projection = Projection(west, north, width, height)
    states = tuple(
        State(
            feature["properties"]["bundesland"],
            feature["properties"]["name"],
            svg_path(feature["geometry"]["coordinates"], projection),
        )
        for feature in data["features"]
    )
    return projection, states


def svg_path(polygons, projection):
    """Relative path data in tenths of a unit: every ring as "m x y dx dy … z"."""
    parts = []
    previous = (0, 0)
    for polygon in polygons:
        for ring in polygon:
            points = []
            for long, lat in ring[:-1]:
                x, y = projection(lat, long)
                point = (round(x * 10), round(y * 10))
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) < 3:
                continue
            numbers = [points[0][0] - previous[0], points[0][1] - previous[1]]
            for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
                numbers += [x1 - x0, y1 - y0]
            parts.append("m" + join_numbers(numbers) + "z")
            previous = points[0]  # after "z" the current point is the ring's start
    return "".join(parts)


def join_numbers(tenths):
    text = ""
    for value in tenths:
        number = tenths_text(value)
        text += number if (not text or number.startswith("-")) else " " + number
    return text


def tenths_text(value):
    """12 → "1.2", -5 → "-.5", 30 → "3"."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def text_width(text, font_size=FONT_SIZE):
    """An upper estimate of the width of `text` in the labels' font."""
    ems = sum(CHAR_WIDTHS.get(character, DEFAULT_CHAR_WIDTH) for character in text)
    return ems * font_size * WIDTH_FACTOR


def label_size(text):
    return text_width(text) + 2 * LABEL_PADDING, LABEL_HEIGHT


def candidate_boxes(x, y, radius, width, height):
    """The label's possible boxes around a marker at (x, y), in order of preference."""
    gap = radius + LABEL_GAP
    diagonal = gap * 0.75
    boxes = []
    for name, horizontal, vertical in POSITIONS:
        offset = diagonal if horizontal and vertical else gap
        if horizontal > 0:
            left = x + offset
        elif horizontal < 0:
            left = x - offset - width
        else:
            left = x - width / 2
        if vertical < 0:
            top = y - offset - height
        elif vertical > 0:
            top = y + offset
        else:
            top = y - height / 2
        boxes.append((name, Box(left, top, width, height)))
    return boxes


def envelope(boxes):
    left = min(box.x for _name, box in boxes)
    top = min(box.y for _name, box in boxes)
    right = max(box.right for _name, box in boxes)
    bottom = max(box.bottom for _name, box in boxes)
    return Box(left, top, right - left, bottom - top)


def place_labels(markers, width, height):
    """Give markers label boxes that overlap nothing; returns new markers in the same order.

    Active labs are labelled before inactive ones. Within that, greedy, most constrained first:
    the lab with the fewest places left is placed next, in the place that removes the fewest
    places of the labs still waiting; a lab with no place left gets no label.
    """
    count = len(markers)
    obstacles = [marker.box for marker in markers]
    candidates = [
        candidate_boxes(marker.x, marker.y, marker.radius, *label_size(marker.lab.label))
        for marker in markers
    ]
    reach = [envelope(boxes) for boxes in candidates]
    # Only labs whose labels or markers can meet need to be compared.
    neighbours = [
        [
            j
            for j in range(count)
            if j != i and (reach[i].overlaps(reach[j]) or reach[i].overlaps(obstacles[j]))
        ]
        for i in range(count)
    ]
    feasible = [
        [
            (rank, name, box)
            for rank, (name, box) in enumerate(candidates[i])
            if box.inside(width, height)
            and not any(box.overlaps(obstacles[j]) for j in neighbours[i])
        ]
        for i in range(count)
    ]
    chosen = {}
    waiting = set(range(count))

    def places_taken(i, box):
        return sum(
            1
            for j in neighbours[i]
            if j in waiting
            for _rank, _name, other in feasible[j]
            if other.overlaps(box)
        )

    for inactive in (False, True):  # active labs first, then inactive ones
        tier = {i for i in waiting if markers[i].lab.inactive is inactive}
        while tier:
            i = min(tier, key=lambda k: (len(feasible[k]), k))
            tier.discard(i)
            waiting.discard(i)
            if not feasible[i]:
                continue
            _rank, name, box = min(
                feasible[i], key=lambda option, i=i: (places_taken(i, option[2]), option[0])
            )
            chosen[i] = (name, box)
            for j in neighbours[i]:
                if j in waiting:
                    feasible[j] = [option for option in feasible[j] if not option[2].overlaps(box)]
    placed = []
    for i, marker in enumerate(markers):
        if i in chosen:
            name, box = chosen[i]
            marker = Marker(marker.lab, marker.x, marker.y, marker.radius, box, name)
        placed.append(marker)
    return tuple(placed)


@functools.lru_cache(maxsize=32)
def build_map(labs):
    """The map of `labs` (a tuple of MapLab): states, markers and labels, ready to draw."""
    projection, states = geography()
    markers = []
    for lab in sorted(labs, key=lambda lab: (-lab.lat, lab.long, lab.key)):
        radius = INACTIVE_MARKER_RADIUS if lab.inactive else MARKER_RADIUS
        x, y = projection(lab.lat, lab.long)
        # Coordinates a little outside Germany stay on the map.
        x = min(max(x, radius), projection.width - radius)
        y = min(max(y, radius), projection.height - radius)
        markers.append(Marker(lab, round(x, 1), round(y, 1), radius))
    # North to south: the order in which keyboard users reach the markers.
    placed = place_labels(markers, projection.width, projection.height)
    return LabsMap(projection.width, projection.height, states, placed)
