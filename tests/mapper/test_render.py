"""The map page: self-contained, escaped, and built from one JSON blob."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from shapely.geometry import box

from mapper.errors import InputError
from mapper.model import Finding, Incident, Source, Suggestion
from mapper.render import (
    _SURROGATE,
    PRECISION_WORDS,
    embed_snippet,
    render_map,
    warning_lines,
    write_map,
)

HOSTILE = ('</script><script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">'
           " `${window.__pwned=1}` <!-- \u2028\u2029 & '")


# Any code point, lone surrogates included (text decoded with surrogateescape has them).
ANY_TEXT = st.text(st.characters(exclude_categories=()))


class FakeGazetteer:
    """Only what render needs: admin-1 shapes, with a count of lookups."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def shape(self, kind: str, code: str) -> Any:
        self.calls.append((kind, code))
        return box(33.5, 53.5, 36.5, 55.5) if code == "RU.25" else None


def kondrovo(**changes: Any) -> Incident:
    base = dict(
        id="i1", event_type="shelling", date="2024-05-01",
        quote="Shelling hit Kondrovo on Tuesday.", place_name="Kondrovo", geonameid=554,
        lat=54.8, lon=35.93, country_code="RU",
        admin_path=("Kondrovo", "Dzerzhinskiy Rayon", "Kaluga", "Russia"),
        sources=(Source("a1", "Shelling in Kondrovo", "Kaluga News", "https://news.example/a1",
                        "2024-05-02"),))
    base.update(changes)
    return Incident(**base)  # type: ignore[arg-type]


def inconsistent() -> Finding:
    return Finding((0, 11, "Dzhezkazgan"), (30, 36, "Kaluga"), "inconsistent", 1, 2,
                   "not in Kaluga", actual={"name": "Zhezqazghan", "admin1_name": "Ulytau",
                                            "country_code": "KZ", "distance_km": 2612.4},
                   suggestions=(Suggestion(3, "Dzerzhinskiy Rayon", "ADM2", 0.8),))


def blob(page: str, element_id: str = "incident-data") -> Any:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>',
                      page, re.S)
    assert match, element_id
    return json.loads(match.group(1))


class Attributes(HTMLParser):
    """Collect every tag's attributes (script and style bodies are not parsed as tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def page() -> str:
    return render_map([kondrovo(), kondrovo(id="i2", findings=(inconsistent(),))],
                      gazetteer=FakeGazetteer())  # type: ignore[arg-type]


def test_page_loads_no_assets_from_the_network(page: str) -> None:
    parser = Attributes()
    parser.feed(page)
    for tag, attrs in parser.tags:
        for name in ("src", "href"):
            assert not (attrs.get(name) or "").lower().startswith(("http:", "https:", "//")), tag
    assert not any(tag in ("link", "img", "iframe") for tag, _ in parser.tags)
    assert all("src" not in attrs for tag, attrs in parser.tags if tag == "script")
    assert "L.markerClusterGroup" in page and "Leaflet" in page


def test_page_credits_geonames_and_natural_earth(page: str) -> None:
    assert "Contains data from GeoNames (www.geonames.org), CC BY 4.0" in page
    assert "Natural Earth" in page


def test_css_images_are_inlined(page: str) -> None:
    assert "url(data:image/png;base64," in page
    assert "url(images/" not in page


def test_data_blob_holds_every_incident_and_interns_sources(page: str) -> None:
    data = blob(page)
    assert [row[0] for row in data["incidents"]] == ["i1", "i2"]
    assert data["types"] == ["shelling"]
    assert data["sources"] == [["Shelling in Kondrovo", "Kaluga News",
                                "https://news.example/a1", "2024-05-02", "a1"]]
    assert data["incidents"][0][10] == data["incidents"][1][10] == [0]
    assert data["incidents"][0][7] == data["incidents"][1][7] == 0
    assert data["paths"] == [["Kondrovo", "Dzerzhinskiy Rayon", "Kaluga", "Russia"]]
    assert data["precision"] == {str(k): v for k, v in PRECISION_WORDS.items()}
    assert data["tiles"] is None
    assert len(blob(page, "basemap-data")) > 200  # countries, each a list of polygons


def test_inconsistency_warning_is_in_the_blob(page: str) -> None:
    first, second = blob(page)["incidents"]
    assert first[11] == []
    assert second[11] == [warning_lines(inconsistent(), second[5])]


def test_warning_lines_quote_the_claim_and_say_where_it_really_is() -> None:
    lines = warning_lines(inconsistent(), "Dzhezkazgan district in the Kaluga region was hit.")
    assert lines == ["The text says: “Dzhezkazgan district in the Kaluga region”.",
                     "Zhezqazghan is actually in Ulytau, KZ, about 2,612 km from Kaluga.",
                     "Probably meant: Dzerzhinskiy Rayon."]


def test_warning_lines_without_the_words_in_the_quote() -> None:
    unknown = Finding((0, 5, "Xyzzy"), (9, 15, "Kaluga"), "unknown-place", None, 2, "")
    assert warning_lines(unknown, "") == ["The text says: “Xyzzy in Kaluga”.",
                                          "No place called “Xyzzy” is known to the gazetteer."]


def test_consistent_findings_raise_no_warning() -> None:
    ok = Finding((0, 1, "a"), (2, 3, "b"), "consistent", 1, 2, "")
    page = render_map([kondrovo(findings=(ok,))])
    assert blob(page)["incidents"][0][11] == []


def test_region_level_incidents_embed_each_region_shape_once() -> None:
    gaz = FakeGazetteer()
    region = dict(precision=3, region_code="RU.25", place_name="Kaluga Oblast")
    page = render_map([kondrovo(id="r1", **region), kondrovo(id="r2", **region),
                       kondrovo(id="r3", precision=3, region_code="XX.99")],
                      gazetteer=gaz)  # type: ignore[arg-type]
    data = blob(page)
    assert list(data["regions"]) == ["RU.25"]
    assert data["regions"]["RU.25"]["type"] == "Polygon"
    assert gaz.calls == [("admin1", "RU.25"), ("admin1", "XX.99")]
    assert [row[9] for row in data["incidents"]] == ["RU.25", "RU.25", "XX.99"]


def test_points_never_need_a_gazetteer() -> None:
    assert blob(render_map([kondrovo(precision=2)]))["regions"] == {}


@pytest.mark.parametrize("lat", [None, float("nan"), float("inf"), 91.0])
def test_incidents_without_usable_coordinates_are_counted_not_drawn(lat: float | None
                                                                    ) -> None:
    data = blob(render_map([kondrovo(lat=lat), kondrovo(id="i2")]))
    assert data["unmapped"] == 1
    assert data["incidents"][0][2:4] == [None, None]


def test_types_are_sorted_and_coloured_by_index() -> None:
    page = render_map([kondrovo(event_type=t) for t in ("riot", "airstrike", "riot")])
    data = blob(page)
    assert data["types"] == ["airstrike", "riot"]
    assert [row[1] for row in data["incidents"]] == [1, 0, 1]
    assert ".nm-t0{background:#4e79a7}" in page and ".nm-t1{background:#f28e2b}" in page


def test_title_is_escaped() -> None:
    page = render_map([], title=HOSTILE)
    assert "<script>window.__pwned" not in page
    assert f"<title>{escape(HOSTILE)}</title>" in page
    assert "&lt;/script&gt;&lt;script&gt;" in page


def test_osm_tiles_are_opt_in_and_attributed() -> None:
    assert blob(render_map([], tiles="osm"))["tiles"] == {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors"}
    custom = blob(render_map([], tiles="https://tiles.example.org/{z}/{x}/{y}.png"))["tiles"]
    assert custom["attribution"] == "Map tiles: tiles.example.org"


@pytest.mark.parametrize("tiles", ["https://{s}.tile.example.org/{z}/{x}/{y}.png",
                                   "https://tile{s}.example.org/{z}/{x}/{y}.png",
                                   "https://me:secret@tile.example.org:8443/{z}/{x}/{y}.png",
                                   "https://tile.example.org/{z}/{x}/{-y}{r}.png"])
def test_leaflets_own_tile_placeholders_are_accepted(tiles: str) -> None:
    assert blob(render_map([], tiles=tiles))["tiles"]["attribution"] == (
        "Map tiles: tile.example.org")


@pytest.mark.parametrize("tiles", ["javascript:alert(1)/{z}/{x}/{y}", "https://x.org/tile.png",
                                   "ftp://x.org/{z}/{x}/{y}", "http://a<b>/{z}/{x}/{y}",
                                   # the page would stop drawing on a placeholder it cannot fill
                                   "https://x.org/{z}/{x}/{y}.png?key={apikey}"])
def test_bad_tile_templates_are_refused(tiles: str) -> None:
    with pytest.raises(InputError, match="tiles="):
        render_map([], tiles=tiles)


def test_write_map(tmp_path: Path) -> None:
    out = write_map([kondrovo()], tmp_path / "map.html", title="Kaluga")
    assert out == tmp_path / "map.html"
    assert "<title>Kaluga</title>" in out.read_text(encoding="utf-8")


def test_embed_snippet_escapes_and_sandboxes() -> None:
    snippet = embed_snippet('m.html?a=1&b="x"', title='<b>"Shelling"</b>', height=400)
    assert snippet.startswith('<iframe src="m.html?a=1&amp;b=&#34;x&#34;"')
    assert 'title="&lt;b&gt;&#34;Shelling&#34;&lt;/b&gt;"' in snippet
    assert 'height="400"' in snippet and 'sandbox="allow-scripts' in snippet
    assert embed_snippet(Path("maps") / "a.html", title="t").startswith(
        '<iframe src="maps/a.html"')


@pytest.mark.parametrize("src", ["javascript:alert(1)", "data:text/html,<script>",
                                 "JaVaScRiPt:x"])
def test_embed_snippet_refuses_script_urls(src: str) -> None:
    with pytest.raises(InputError, match="scheme"):
        embed_snippet(src, title="t")


def test_embed_snippet_refuses_bad_heights() -> None:
    with pytest.raises(InputError, match="height"):
        embed_snippet("m.html", title="t", height=0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=ANY_TEXT, quote=ANY_TEXT, url=ANY_TEXT, outlet=ANY_TEXT, place=ANY_TEXT,
       event_type=ANY_TEXT)
def test_no_text_produces_executable_markup(title: str, quote: str, url: str, outlet: str,
                                            place: str, event_type: str) -> None:
    # hypothesis rarely invents the dangerous strings on its own, so HOSTILE is mixed in
    inc = kondrovo(quote=quote + HOSTILE, place_name=place, event_type=event_type,
                   admin_path=(place, HOSTILE),
                   sources=(Source("a", title + HOSTILE, outlet + HOSTILE, url, None),))
    page = render_map([inc], title=title + HOSTILE)
    # Only the page's own elements close: as many as on a page of harmless text.
    closes = len(re.findall(r"</script", render_map([kondrovo()], title="t"), re.I))
    assert len(re.findall(r"</script", page, re.I)) == closes
    assert "<!--" not in page.split("<body>", 1)[1].split("<script>", 1)[0]
    data = blob(page)
    row = data["incidents"][0]
    assert row[5] == quote + HOSTILE
    assert row[6] == place and data["paths"][row[7]] == [place, HOSTILE]
    assert data["types"] == [event_type]
    assert data["sources"][0][:3] == [title + HOSTILE, outlet + HOSTILE, url]
    heading = re.search(r"<title>(.*?)</title>", page, re.S)
    assert heading and html.unescape(heading.group(1)) == _SURROGATE.sub("\ufffd",
                                                                        title + HOSTILE)
    page.encode("utf-8")  # writable: no lone surrogate reaches the file


def test_basemap_is_the_vendored_outlines_delta_coded(page: str) -> None:
    vendored = json.loads((Path(__file__).resolve().parents[2] / "mapper" / "assets"
                           / "basemap.geojson").read_text(encoding="utf-8"))
    coded = blob(page, "basemap-data")
    assert len(coded) == len(vendored["features"])
    geom = vendored["features"][0]["geometry"]
    first_ring = (geom["coordinates"][0][0] if geom["type"] == "MultiPolygon"
                  else geom["coordinates"][0])
    flat, x, y, ring = coded[0][0][0], 0, 0, []
    for dx, dy in zip(flat[::2], flat[1::2], strict=True):
        x, y = x + dx, y + dy
        ring.append([x / 100, y / 100])
    assert ring == first_ring


@pytest.mark.parametrize("text", ["{{ cycler.__init__.__globals__.os.getpid() }}",
                                  "{{citation needed}}", "{% if 1 %}x{% endif %}", "{# c #}",
                                  "{{ '<img src=x onerror=alert(1)>' }}"])
def test_template_syntax_in_article_text_is_only_text(text: str) -> None:
    page = render_map([kondrovo(quote=text, place_name=text,
                                sources=(Source("a", text, text, None, None),))],
                      title=text)
    row = blob(page)["incidents"][0]
    assert row[5] == text and row[6] == text
    assert blob(page)["sources"][0][:2] == [text, text]
    assert f"<title>{escape(text)}</title>" in page
    assert "<img" not in page
