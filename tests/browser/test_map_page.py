"""The map page in headless Chromium: offline, clustered, cited, and inert to hostile text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from shapely.geometry import box

from mapper.model import Finding, Incident, Source, Suggestion
from mapper.render import embed_snippet, render_map

pytestmark = pytest.mark.browser

PWN = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
       "`${window.__pwned=1}`")
POINTS = [(54.8, 35.93), (43.25, 76.95), (6.45, 3.39), (-12.05, -77.04), (-33.87, 151.21),
          (40.71, -74.0), (35.68, 139.69), (-1.29, 36.82), (64.13, -21.9), (19.43, -99.13)]


class FakeGazetteer:
    def shape(self, kind: str, code: str) -> Any:
        return box(33.5, 53.5, 36.5, 55.5) if code == "RU.25" else None


def make(ident: str, point: tuple[float, float] | None, **changes: Any) -> Incident:
    lat, lon = point if point else (None, None)
    base = dict(id=ident, event_type="shelling", date="2024-05-01",
                quote=f"Quote of {ident}.", place_name=f"Place {ident}", geonameid=1, lat=lat,
                lon=lon, country_code="RU", admin_path=(f"Place {ident}", "Kaluga", "Russia"),
                sources=(Source(f"a-{ident}", f"Report on {ident}", "Kaluga News",
                                f"https://news.example/{ident}", "2024-05-02"),))
    base.update(changes)
    return Incident(**base)  # type: ignore[arg-type]


INCONSISTENT = Finding((0, 11, "Dzhezkazgan"), (27, 33, "Kaluga"), "inconsistent", 1, 2, "",
                       actual={"name": "Zhezqazghan", "admin1_name": "Ulytau",
                               "country_code": "KZ", "distance_km": 2612.4},
                       suggestions=(Suggestion(3, "Dzerzhinskiy Rayon", "ADM2", 0.8),))

INCIDENTS = [
    make("plain", POINTS[0]),
    make("airstrike", POINTS[1], event_type="airstrike", precision=2),
    make("warn", POINTS[2], quote="Dzhezkazgan district in the Kaluga region was shelled.",
         findings=(INCONSISTENT,)),
    make("hostile", POINTS[3], event_type="riot", quote=PWN, place_name=PWN,
         admin_path=(PWN, PWN),
         sources=(Source("h", PWN, PWN, "javascript:window.__pwned=1", PWN),
                  Source("h2", "data link", "x", "data:text/html,<script>1</script>", None),
                  Source("h3", "spaced js", "x", " \tjavascript:window.__pwned=1", None))),
    make("region", POINTS[0], precision=3, region_code="RU.25", place_name="Kaluga Oblast"),
    make("nowhere", None),
    *[make(f"p{n}", POINTS[n % len(POINTS)]) for n in range(4, 24)],
]
POINT_COUNT = sum(1 for i in INCIDENTS if i.lat is not None and i.region_code is None)


@pytest.fixture(scope="module")
def page_html() -> str:
    return render_map(INCIDENTS, title="Test <map>",
                      gazetteer=FakeGazetteer())  # type: ignore[arg-type]


@pytest.fixture
def loaded(open_map: Callable[[str], tuple[Any, Any]], page_html: str) -> tuple[Any, Any]:
    return open_map(page_html)


def open_popup(page: Any, ident: str) -> Any:
    """Bring the incident's marker out of its cluster, click it, return the popup."""
    page.evaluate("""id => new Promise(done => {
        const m = window.__mapCluster.getLayers().find(l => l.options.nmId === id);
        window.__mapCluster.zoomToShowLayer(m, () => done(null));
    })""", ident)
    icon = page.evaluate_handle("""id => window.__mapCluster.getLayers()
        .find(l => l.options.nmId === id)._icon""", ident)
    icon.as_element().click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    return popup


def test_map_initialises_offline_without_errors(loaded: tuple[Any, Any]) -> None:
    page, log = loaded
    assert page.evaluate("typeof L.version") == "string"
    assert page.evaluate("window.__map instanceof L.Map")
    assert page.title() == "Test <map>"
    assert page.locator("h1").inner_text() == "Test <map>"
    assert "GeoNames" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.evaluate("window.__map.getPane('nm-basemap').querySelector('canvas') !== null")
    assert log.errors == []
    assert log.blocked == []


def test_every_point_incident_is_a_marker_or_in_a_cluster(loaded: tuple[Any, Any]) -> None:
    page, _ = loaded
    stats = page.evaluate("window.__mapStats")
    assert stats == {"markers": POINT_COUNT, "regions": 1, "incidents": len(INCIDENTS),
                     "unmapped": 1}
    assert page.evaluate("window.__mapCluster.getLayers().length") == POINT_COUNT
    singles = page.locator(".nm-pin").count()
    clustered = sum(int(t) for t in page.locator(".marker-cluster span").all_inner_texts())
    assert singles + clustered == POINT_COUNT
    assert "1 incident(s) have no coordinates" in page.locator(".nm-legend").inner_text()


def test_region_level_incident_draws_a_polygon(loaded: tuple[Any, Any]) -> None:
    page, _ = loaded
    region = page.locator("path.nm-region")
    assert region.count() == 1
    page.evaluate("void window.__map.setView([54.5, 35], 6, {animate: false})")
    bbox = region.bounding_box()  # click inside a corner, away from markers at its centre
    page.mouse.click(bbox["x"] + bbox["width"] * 0.12, bbox["y"] + bbox["height"] * 0.12)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Kaluga Oblast" in popup.inner_text() or "region-level" in popup.inner_text()
    assert "Location precision 3: region-level" in popup.inner_text()


def test_popup_cites_the_source(loaded: tuple[Any, Any]) -> None:
    page, log = loaded
    popup = open_popup(page, "plain")
    text = popup.inner_text()
    assert "Place plain › Kaluga › Russia" in text
    assert "Location precision 1: place named" in text
    assert "Quote of plain." in text
    link = popup.locator("a")
    assert link.inner_text() == "Report on plain"
    assert link.get_attribute("href") == "https://news.example/plain"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert "Kaluga News, 2024-05-02" in text
    assert log.errors == [] and log.blocked == []


def test_precision_two_reads_near_a_place(loaded: tuple[Any, Any]) -> None:
    page, _ = loaded
    popup = open_popup(page, "airstrike")
    assert "Location precision 2: near a place / part of a region" in popup.inner_text()


def test_inconsistency_warning_shows_and_marks_the_marker(loaded: tuple[Any, Any]) -> None:
    page, _ = loaded
    popup = open_popup(page, "warn")
    warning = popup.locator(".nm-warning").inner_text()
    assert "The text says: “Dzhezkazgan district in the Kaluga region”" in warning
    assert "Zhezqazghan is actually in Ulytau, KZ, about 2,612 km from Kaluga" in warning
    assert "Probably meant: Dzerzhinskiy Rayon" in warning
    assert page.locator(".nm-pin.nm-warn").count() == 1


def test_hostile_text_runs_nothing(loaded: tuple[Any, Any]) -> None:
    page, log = loaded
    popup = open_popup(page, "hostile")
    page.wait_for_timeout(200)  # let any injected onerror fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    text = popup.inner_text()
    assert "<script>window.__pwned=1</script>" in text  # shown as text
    assert popup.locator("img, script").count() == 0
    assert popup.locator("a").count() == 0  # no http(s) URL, so no link at all
    hrefs = page.evaluate("[...document.querySelectorAll('a')].map(a => a.href)")
    assert not any(h.lower().lstrip().startswith(("javascript:", "data:")) for h in hrefs)
    # the legend and layer control show the hostile-free type names as text too
    assert page.locator(".leaflet-control-layers").inner_text().count("riot") == 1
    assert log.errors == [] and log.blocked == []


def test_hostile_event_type_and_title_run_nothing(open_map: Callable[..., Any]) -> None:
    html = render_map([make("x", POINTS[0], event_type=PWN)], title=PWN)
    page, log = open_map(html)
    open_popup(page, "x")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert PWN in page.locator(".leaflet-control-layers").inner_text()
    assert PWN in page.locator(".nm-legend").inner_text()
    assert page.title() == PWN
    assert log.errors == [] and log.blocked == []


def test_article_text_is_isolated_and_long_types_do_not_cover_the_map(
        open_map: Callable[..., Any]) -> None:
    # a right-to-left override in a title must not reverse the outlet and date beside it
    rtl = make("x", POINTS[0], event_type="shelling " + "very long type " * 20,
               sources=(Source("r", "Report \u202egnp.exe", "Kaluga News",
                               "https://news.example/r", "2024-05-02"),))
    page, log = open_map(render_map([rtl]))
    popup = open_popup(page, "x")
    title = popup.locator("a").first
    assert title.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    metas = popup.locator(".nm-source-meta")
    # outlet and date each their own isolated element: an override in one stays there
    assert metas.all_inner_texts() == ["Kaluga News", "2024-05-02"]
    assert metas.nth(1).evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    width = page.locator(".leaflet-control-layers").evaluate("e => e.offsetWidth")
    assert width <= 260
    assert log.errors == []


def test_layer_control_toggles_one_event_type(loaded: tuple[Any, Any]) -> None:
    page, _ = loaded
    labels = page.locator(".leaflet-control-layers-overlays label")
    assert labels.all_inner_texts() == [" airstrike", " riot", " shelling"] or \
        [t.strip() for t in labels.all_inner_texts()] == ["airstrike", "riot", "shelling"]
    page.evaluate("void window.__map.fitWorld()")
    before = page.evaluate("window.__mapCluster.getLayers().length")
    labels.nth(2).locator("input").click()  # shelling off
    after = page.evaluate("window.__mapCluster.getLayers().length")
    assert after == before - sum(1 for i in INCIDENTS if i.event_type == "shelling"
                                 and i.lat is not None and i.region_code is None)
    assert page.locator("path.nm-region").count() == 0


def test_osm_tiles_only_on_request(open_map: Callable[..., Any]) -> None:
    page, log = open_map(render_map([make("x", POINTS[0])], tiles="osm"))
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    page.wait_for_timeout(300)
    assert log.blocked and all(u.startswith("https://tile.openstreetmap.org/")
                               for u in log.blocked)


def test_map_fills_a_sandboxed_iframe(open_map: Callable[..., Any], page_html: str) -> None:
    snippet = embed_snippet("embedded.html", title="Incident map", height=420)
    host = f"<!DOCTYPE html><html><body style='width:700px'><p>Story</p>{snippet}</body></html>"
    page, log = open_map(host, files={"embedded.html": page_html},
                         ready="document.querySelector('iframe') !== null")
    frame = page.frame_locator("iframe")
    frame.locator(".leaflet-container").wait_for()
    inner = next(f for f in page.frames if f != page.main_frame)
    inner.wait_for_function("window.__mapReady !== undefined")
    size = inner.evaluate("[document.querySelector('.folium-map').offsetWidth,"
                          " document.querySelector('.folium-map').offsetHeight]")
    assert size == [700, 420]
    assert page.evaluate("typeof window.__map") == "undefined"  # the host is untouched
    assert log.errors == [] and log.blocked == []
