"""A world map drawn as server-side SVG from vendored Natural Earth data: no tiles, no CDN."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LAND = Path(__file__).parent / "static" / "geo" / "land-110m.json"
WIDTH, HEIGHT = 1000, 500


def project(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular projection onto a WIDTH x HEIGHT box."""
    return (lon + 180) / 360 * WIDTH, (90 - lat) / 180 * HEIGHT


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Decode TopoJSON's quantised, delta-encoded arcs into (lon, lat) lines."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        line = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            line.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        decoded.append(line)
    return decoded


def _ring(arcs, indexes) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        line = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(line[1:] if points else line)
    return points


@lru_cache(maxsize=1)
def land_path() -> str:
    """The SVG path data of every land polygon, computed once per process."""
    topology = json.loads(LAND.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    parts = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points = [project(lat, lon) for lon, lat in _ring(arcs, ring)]
                if len(points) < 3:
                    continue
                # A ring that crosses the antimeridian jumps across the map: draw its pieces apart.
                pieces, piece = [], [points[0]]
                for previous, point in zip(points, points[1:], strict=False):
                    if abs(point[0] - previous[0]) > WIDTH / 2:
                        pieces.append(piece)
                        piece = []
                    piece.append(point)
                pieces.append(piece)
                closing = "Z" if len(pieces) == 1 else ""
                for piece in pieces:
                    if len(piece) > 2:
                        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in piece) + closing)
    return "".join(parts)
