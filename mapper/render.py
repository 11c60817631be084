"""Incidents → one self-contained HTML page: a clustered, offline folium/Leaflet map.

The page is a folium map whose assets are all inlined: folium's own template would load
Leaflet, jQuery, Bootstrap and icon fonts from CDNs (a blank map offline or inside a
locked-down newsroom page), so those links are dropped and Leaflet and
Leaflet.markercluster (vendored by ``scripts/vendor_assets.py``, credited in
``assets/SOURCES.md``) go into the page, their CSS with its images as data URIs. Folium
writes one JavaScript object per marker, which makes 10,000 incidents a slow 12 MB page,
so the incidents travel as one JSON blob and the page script ``assets/map.js``, handed
the folium map, draws markers, clusters, region shapes, legend, layer control and a
country-outline basemap from Natural Earth. The page makes no network request unless
``tiles`` asks for web tiles.

Untrusted text (titles, quotes, URLs, outlets, place names) reaches the page through exactly
one function, :func:`_json_script`: the data is serialised as JSON with ``<``, ``>``, ``&``,
U+2028/2029 and lone surrogates escaped, inside ``<script type="application/json">``. The
page script parses it with ``JSON.parse`` and builds markers, popups, legend and layer
control with DOM APIs (``textContent``, ``createElement``), never ``innerHTML``; a source
link gets an ``href`` only when its URL is http(s). The title is escaped with markupsafe.
Only fixed CSS (palette colours keyed by type index) and the vendored code are written
into the page as code.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from .errors import InputError
from .model import Finding, Incident, Source

if TYPE_CHECKING:
    from gazetteer import Gazetteer

__all__ = ["PRECISION_WORDS", "check_tiles", "embed_snippet", "render_map", "warning_lines",
           "write_map"]

#: What each ACLED-style precision level means, as popups and the legend say it.
PRECISION_WORDS = {1: "place named", 2: "near a place / part of a region", 3: "region-level"}

# Tableau 10: distinct, colour-blind tolerable; types past ten get golden-angle hues.
_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac")
_WARN_VERDICTS = ("inconsistent", "unknown-place")
_REGION_TOLERANCE = 0.01  # degrees; region shapes are drawn at regional zoom at most
_OSM = {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors"}
_DESIGNATORS = {"region", "oblast", "district", "rayon", "raion", "province", "governorate",
                "county", "krai", "kray", "state", "area", "republic", "okrug", "municipality"}
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 0x2028: "\\u2028", 0x2029: "\\u2029"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_HOST = re.compile(r"^[A-Za-z0-9.-]+$")


def _json_script(element_id: str, data: Any) -> Markup:
    """Embed data as inert, escaped JSON: the one door from untrusted text into the page.

    ``json.dumps`` escapes quotes and backslashes; escaping ``<``, ``>`` and ``&`` as
    ``\\u003c`` etc. means no ``</script>`` or ``<!--`` can end or confuse the element;
    U+2028/2029 and lone surrogates are escaped so the text is valid UTF-8 and valid
    JavaScript. ``JSON.parse`` in the page gives back the original strings.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text.translate(_JSON_ESCAPES))
    return Markup('<script type="application/json" id="{}">{}</script>').format(
        element_id, Markup(text))


@cache
def _asset(name: str) -> str:
    return files("mapper").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _code() -> tuple[Markup, Markup, Markup]:
    """Vendored JS, page JS and CSS, checked to be safe to inline, images as data URIs."""
    vendored = "\n;\n".join(_asset(n) for n in ("leaflet.js", "leaflet.markercluster.js"))
    page = _asset("map.js")
    css = "\n".join(_asset(n) for n in ("leaflet.css", "MarkerCluster.css",
                                        "MarkerCluster.Default.css", "map.css"))
    css = re.sub(r"url\((?:images/)?([\w.-]+\.png)\)", _data_uri, css)
    for text, closer in ((vendored, "</script"), (page, "</script"), (css, "</style")):
        if closer in text.lower() or "<!--" in text:
            raise RuntimeError(f"a vendored asset contains {closer!r}; it cannot be inlined")
    return Markup(vendored), Markup(page), Markup(css)


def _data_uri(match: re.Match[str]) -> str:
    path = files("mapper").joinpath("assets", match.group(1))
    if not path.is_file():
        return "none"  # e.g. Leaflet's default marker icon, which the page never uses
    return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()})"


@lru_cache(maxsize=1)
def _basemap_script() -> Markup:
    """The basemap element, made once per process: the same on every page.

    Each ring of ``assets/basemap.geojson`` is sent as one flat list of integers, the first
    point in hundredths of a degree and the rest as differences from the point before:
    0.4 MB instead of 0.94 MB. ``map.js`` (``decodeBasemap``) turns it back into GeoJSON.
    """
    polygons = []
    for feature in json.loads(_asset("basemap.geojson"))["features"]:
        geom = feature["geometry"]
        parts = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        polygons.append([[_delta_ring(ring) for ring in part] for part in parts])
    return _json_script("basemap-data", polygons)


def _delta_ring(ring: list[list[float]]) -> list[int]:
    out: list[int] = []
    last_x = last_y = 0
    for x, y in ring:
        ix, iy = round(x * 100), round(y * 100)
        out += (ix - last_x, iy - last_y)
        last_x, last_y = ix, iy
    return out


def _colour(index: int) -> str:
    if index < len(_PALETTE):
        return _PALETTE[index]
    return f"hsl({(index * 137.508) % 360:.0f}, 55%, 50%)"


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_TILE_PLACEHOLDERS = frozenset({"{s}", "{z}", "{x}", "{y}", "{-y}", "{r}"})


def check_tiles(tiles: str | None) -> None:
    """Raise :class:`InputError` unless ``tiles`` is None, "osm" or an http(s) template."""
    _tiles(tiles)


def _tiles(tiles: str | None) -> dict[str, str] | None:
    """``None`` (offline basemap only), ``"osm"`` or an http(s) ``{z}/{x}/{y}`` template."""
    if tiles is None:
        return None
    if tiles == "osm":
        return dict(_OSM)
    # the page fills only Leaflet's own placeholders: any other ("{apikey}") would stop
    # the whole map from drawing, so the key must be written into the address itself
    unknown = sorted(set(_PLACEHOLDER.findall(tiles)) - _TILE_PLACEHOLDERS)
    if unknown:
        raise InputError(f"tiles={tiles!r}: {', '.join(unknown)} is no tile placeholder "
                         f"(the page fills {{s}}, {{z}}, {{x}}, {{y}}, {{-y}} and {{r}}); write "
                         "its value into the address")
    parts = urlsplit(tiles.replace("{s}", "a"))
    if (parts.scheme not in ("http", "https") or not _HOST.match(parts.hostname or "")
            or "{z}" not in tiles or "{x}" not in tiles
            or not ("{y}" in tiles or "{-y}" in tiles)):
        raise InputError(f"tiles={tiles!r}: expected 'osm' or an http(s) URL template with "
                         "{z}, {x} and {y}, such as https://tile.example.org/{z}/{x}/{y}.png")
    netloc = urlsplit(tiles).netloc.rsplit("@", 1)[-1]  # no user or password on the map
    host = re.sub(r":\d*$", "", netloc).removeprefix("{s}.").replace("{s}", "")
    return {"url": tiles, "attribution": f"Map tiles: {host}"}


def _coords(incident: Incident) -> tuple[float, float] | tuple[None, None]:
    lat, lon = incident.lat, incident.lon
    if (lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon))
            or abs(lat) > 90 or abs(lon) > 180):
        return None, None
    return round(lat, 5), round(lon, 5)


def _claim(finding: Finding, quote: str) -> str:
    """The words of the claim as the quote has them ("X district in the Y region")."""
    place, parent = finding.place[2], finding.parent[2]
    start = quote.find(place)
    end = quote.find(parent, start + len(place)) if start >= 0 else -1
    if start < 0 or end < 0 or end - start > 80:
        return f"{place} in {parent}"
    end += len(parent)
    following = re.match(r"\s+(\w+)", quote[end:])
    if following and following.group(1).lower() in _DESIGNATORS:
        end += following.end()
    return quote[start:end]


def warning_lines(finding: Finding, quote: str = "") -> list[str]:
    """Say in words what the text claimed, where that place really is, and what was meant.

    Parameters
    ----------
    finding
        An ``inconsistent`` or ``unknown-place`` finding.
    quote
        The incident's sentence, to quote the claim in the writer's own words.

    Returns
    -------
    list of str
        Plain-text lines for the popup's warning box.

    Examples
    --------
    >>> from mapper.model import Finding, Suggestion
    >>> f = Finding((0, 11, "Dzhezkazgan"), (25, 31, "Kaluga"), "inconsistent", 1, 2, "",
    ...             actual={"name": "Zhezqazghan", "admin1_name": "Ulytau Region",
    ...                     "country_code": "KZ", "distance_km": 2612.4},
    ...             suggestions=(Suggestion(3, "Dzerzhinskiy Rayon", "ADM2", 0.8),))
    >>> for line in warning_lines(f, "Dzhezkazgan district in the Kaluga region was hit."):
    ...     print(line)
    The text says: “Dzhezkazgan district in the Kaluga region”.
    Zhezqazghan is actually in Ulytau Region, KZ, about 2,612 km from Kaluga.
    Probably meant: Dzerzhinskiy Rayon.
    """
    place, parent = finding.place[2], finding.parent[2]
    lines = [f"The text says: “{_claim(finding, quote)}”."]
    actual = finding.actual or {}
    if finding.verdict == "unknown-place" and not actual.get("name"):
        lines.append(f"No place called “{place}” is known to the gazetteer.")
    if actual.get("name"):
        where = ", ".join(str(x) for x in (actual.get("admin1_name"),
                                           actual.get("country_code")) if x)
        line = f"{actual['name']} is actually in {where or 'another region'}"
        if isinstance(actual.get("distance_km"), int | float):
            line += f", about {actual['distance_km']:,.0f} km from {parent}"
        lines.append(line + ".")
    if finding.suggestions:
        lines.append(f"Probably meant: {finding.suggestions[0].name}.")
    return lines


def _region_shape(gazetteer: Gazetteer, code: str) -> Any:
    """The region's outline, simplified and rounded, as a GeoJSON geometry (or None)."""
    import shapely

    geom = gazetteer.shape("admin1" if "." in code else "country", code)
    if geom is None or geom.is_empty:
        return None
    small = shapely.set_precision(
        shapely.simplify(geom, _REGION_TOLERANCE, preserve_topology=True), 0.001)
    return json.loads(shapely.to_geojson(small))


def _payload(incidents: Iterable[Incident], gazetteer: Gazetteer | None,
             tiles: dict[str, str] | None) -> dict[str, Any]:
    """The one JSON document the page is built from (compact rows, interned sources)."""
    items = list(incidents)
    types = sorted({i.event_type for i in items})
    type_index = {t: n for n, t in enumerate(types)}
    sources: dict[Source, int] = {}  # one article reports many incidents: send it once
    paths: dict[tuple[str, ...], int] = {}  # and many incidents share a place
    regions: dict[str, Any] = {}
    rows, unmapped = [], 0
    for inc in items:
        lat, lon = _coords(inc)
        region = inc.region_code if inc.precision == 3 and inc.region_code else None
        if region is not None and region not in regions:
            if gazetteer is None:
                from gazetteer import Gazetteer

                gazetteer = Gazetteer.default()
            regions[region] = _region_shape(gazetteer, region)
        if lat is None and (region is None or regions[region] is None):
            unmapped += 1
        warnings = [warning_lines(f, inc.quote) for f in inc.findings
                    if f.verdict in _WARN_VERDICTS]
        rows.append([inc.id, type_index[inc.event_type], lat, lon, inc.date, inc.quote,
                     inc.place_name, paths.setdefault(inc.admin_path, len(paths)),
                     inc.precision, region,
                     [sources.setdefault(s, len(sources)) for s in inc.sources], warnings])
    return {
        "types": types,
        "colors": [_colour(n) for n in range(len(types))],
        "precision": {str(k): v for k, v in PRECISION_WORDS.items()},
        "sources": [[s.title, s.outlet, s.url, s.published, s.article_id]
                    for s in sources],
        "paths": [list(p) for p in paths],
        "regions": {k: v for k, v in regions.items() if v is not None},
        "incidents": rows,
        "unmapped": unmapped,
        "tiles": tiles,
    }


def render_map(incidents: Iterable[Incident], *, title: str = "Reported incidents",
               tiles: str | None = None, gazetteer: Gazetteer | None = None) -> str:
    """Render incidents as one self-contained HTML page that works with no network.

    Parameters
    ----------
    incidents
        The incidents to draw. Those with ``precision == 3`` and a ``region_code`` are
        drawn as the region's shape; those without coordinates are counted in the legend.
    title
        The page title and heading (escaped).
    tiles
        ``None`` for the offline country-outline basemap only; ``"osm"`` for
        OpenStreetMap tiles on top of it (needs network; attributed); or an http(s) URL
        template with ``{z}``, ``{x}``, ``{y}``.
    gazetteer
        Where region shapes come from; the embedded default when None and a region-level
        incident needs one.

    Returns
    -------
    str
        The whole HTML document.

    Raises
    ------
    InputError
        If ``tiles`` is neither ``"osm"`` nor an http(s) tile URL template.

    Examples
    --------
    >>> from mapper.model import Incident, Source
    >>> inc = Incident("i1", "shelling", "2024-05-01", "Shelling hit Kondrovo.", "Kondrovo",
    ...                554, 54.8, 35.93, "RU", sources=(Source("a1", "Report", "Outlet"),))
    >>> page = render_map([inc], title="Shelling <2024>")
    >>> page.startswith("<!DOCTYPE html>"), "<title>Shelling &lt;2024&gt;</title>" in page
    (True, True)
    """
    import folium  # loaded only when a map is made

    payload = _payload(incidents, gazetteer, _tiles(tiles))
    vendored, page, css = _code()
    type_css = "\n".join(
        f".nm-t{n}{{background:{c}}}" for n, c in enumerate(payload["colors"]))
    title = escape(_SURROGATE.sub("\ufffd", title))
    fmap = folium.Map(location=(20, 0), zoom_start=2, tiles=None, world_copy_jump=True,
                      zoom_snap=0.5, prefer_canvas=False)
    fmap._id = "newsmapper"  # a stable element id: the same incidents give the same page
    fmap.default_js, fmap.default_css = [], []  # no CDN: Leaflet is inlined below
    figure = fmap.get_root()
    figure.title = title
    figure.header.add_child(_verbatim(
        f'<meta name="generator" content="newsmapper">\n<style>\n{css}\n{type_css}\n</style>\n'
        f"<script>\n{vendored}\n</script>"), name="newsmapper_assets")
    figure.html.add_child(_verbatim(
        f'<h1 class="nm-title"><span>{title}</span></h1>\n'
        "<noscript>This map needs JavaScript. The incidents are in the page source as JSON; "
        "Contains data from GeoNames (www.geonames.org), CC BY 4.0; country outlines: "
        f"Natural Earth.</noscript>\n{_json_script('incident-data', payload)}\n"
        f"{_basemap_script()}"), name="newsmapper_data")
    fmap.add_child(_incident_layer(page), name="newsmapper_incidents")
    page_html = figure.render().removeprefix("<!DOCTYPE html>").lstrip()
    return "<!DOCTYPE html>\n" + page_html.replace("<html>", '<html lang="en">', 1)


def _verbatim(html: str) -> Any:
    """A folium element that writes ``html`` as it is.

    Branca compiles an element's template as Jinja source, so text placed in it would be
    evaluated (``{{ … }}`` in a quote runs as code); the HTML goes in as a value instead.
    """
    from branca.element import Element

    element = Element("{{ this.body }}")
    element.body = html
    return element


def _incident_layer(code: Markup) -> Any:
    """A folium element that hands the folium map to the page script (``assets/map.js``)."""
    from branca.element import MacroElement
    from jinja2 import Template

    layer = MacroElement()
    layer._name = "IncidentLayer"
    layer._template = Template(
        "{% macro script(this, kwargs) %}window.__nmMap = "
        "{{ this._parent.get_name() }};\n{{ this.code }}\n{% endmacro %}")
    layer.code = code
    return layer


def write_map(incidents: Iterable[Incident], path: str | Path, *,
              title: str = "Reported incidents", tiles: str | None = None,
              gazetteer: Gazetteer | None = None) -> Path:
    """Render the map page (see :func:`render_map`) and write it as UTF-8.

    Parameters
    ----------
    incidents
        The incidents to draw.
    path
        Where to write the HTML file.
    title, tiles, gazetteer
        As for :func:`render_map`.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> out = write_map([], Path(tempfile.mkdtemp()) / "map.html")
    >>> out.name, out.stat().st_size > 100_000
    ('map.html', True)
    """
    page = render_map(incidents, title=title, tiles=tiles, gazetteer=gazetteer)
    target = Path(path)
    target.write_text(page, encoding="utf-8")
    return target


def embed_snippet(path_or_url: str | Path, *, title: str, height: int = 600) -> str:
    """A ready ``<iframe>`` for embedding the map in an article, every value escaped.

    The frame is sandboxed (scripts and link pop-ups only), so the map cannot touch the
    host page.

    Parameters
    ----------
    path_or_url
        Where the page will be served: a relative path or an http(s) URL.
    title
        The frame's accessible title.
    height
        Frame height in pixels; the width is 100%.

    Returns
    -------
    str
        The HTML snippet.

    Raises
    ------
    InputError
        If the address has a scheme other than http(s), or the height is not positive.

    Examples
    --------
    >>> print(embed_snippet("maps/kaluga.html", title='Shelling "near" Kaluga', height=480))
    <iframe src="maps/kaluga.html" title="Shelling &#34;near&#34; Kaluga" width="100%" \
height="480" style="border:0;max-width:100%" loading="lazy" \
sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>
    """
    src = path_or_url.as_posix() if isinstance(path_or_url, Path) else str(path_or_url)
    scheme = urlsplit(src).scheme.lower()
    if scheme not in ("", "http", "https") and not re.match(r"^[A-Za-z]:[\\/]", src):
        raise InputError(f"embed_snippet: {src!r} has scheme {scheme!r}; give a relative "
                         "path or an http(s) URL")
    if isinstance(height, bool) or not isinstance(height, int) or height <= 0:
        raise InputError(f"embed_snippet: height={height!r}; give a positive number of pixels")
    return str(Markup(
        '<iframe src="{}" title="{}" width="100%" height="{}" style="border:0;max-width:100%" '
        'loading="lazy" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox">'
        '</iframe>').format(src, title, height))
