"""Tests for ``mapper.online`` and ``mapper geocode --online``, against a fake server.

Every request goes to a ``ThreadingHTTPServer`` on 127.0.0.1 that answers the two
endpoints geopy calls: GeoNames ``/searchJSON`` and Nominatim ``/search``. Nothing here
touches the real network.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from mapper.cli import main
from mapper.errors import MapperError
from mapper.geocode import ONLINE_SCORE, Geocoder
from mapper.online import OnlineFallback, OnlinePlace

REPO = Path(__file__).resolve().parents[2]

# Names the default index cannot resolve, and what the fake services know of them.
GEONAMES = {
    "Zqxville": {"geonameId": 9900001, "name": "Zqxville", "toponymName": "Zqxville",
                 "lat": "43.25", "lng": "-79.5", "fcl": "P", "fcode": "PPL",
                 "countryCode": "CA", "countryName": "Canada", "adminCode1": "08",
                 "adminName1": "Ontario", "population": 1200},
    "Qwertyuiopia": {"geonameId": 9900002, "name": "Qwertyuiopia", "lat": "10.5",
                     "lng": "20.25", "fcl": "A", "fcode": "ADM2", "countryCode": "TD",
                     "countryName": "Chad", "adminName1": "Salamat", "adminName2": "Aboudeia"},
    "Xanadu Zzq": {"geonameId": 9900003, "name": "Xanadu Zzq", "lat": "-1", "lng": "2",
                   "fcl": "P", "fcode": "PPLX", "countryCode": "KE", "countryName": "Kenya"},
}
NOMINATIM = {
    "Zqxville": {"place_id": 1, "lat": "43.25", "lon": "-79.5", "name": "Zqxville",
                 "display_name": "Zqxville, Ontario, Canada", "class": "place", "type": "town",
                 "address": {"town": "Zqxville", "county": "Halton", "state": "Ontario",
                             "country": "Canada", "country_code": "ca"}},
}


@dataclass
class Request:
    """One request the fake server received."""

    path: str
    query: dict[str, list[str]]
    user_agent: str
    at: float


@dataclass
class FakeService:
    """The fake GeoNames + Nominatim server, its log, and a switch to make it fail."""

    port: int
    requests: list[Request] = field(default_factory=list)
    failure: str | None = None  # None, "500" or "quota"

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"


def _handler(service: FakeService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            service.requests.append(Request(url.path, query,
                                            self.headers.get("User-Agent", ""),
                                            time.monotonic()))
            name = query.get("q", [""])[0]
            if service.failure == "500":
                return self._send(500, {"error": "internal error"})
            if url.path == "/searchJSON":
                return self._geonames(name, query)
            if url.path == "/search":
                found = NOMINATIM.get(name)
                return self._send(200, [found] if found else [])
            return self._send(404, {"error": "no such endpoint"})

        def _geonames(self, name: str, query: dict[str, list[str]]) -> None:
            if not query.get("username"):
                return self._send(200, {"status": {"message": "user does not exist.",
                                                   "value": 10}})
            if service.failure == "quota":
                return self._send(200, {"status": {
                    "message": "the daily limit of 20000 credits for u has been exceeded.",
                    "value": 18}})
            found = GEONAMES.get(name)
            countries = query.get("country")
            if found and countries and found["countryCode"] not in countries:
                found = None
            self._send(200, {"totalResultsCount": int(bool(found)),
                             "geonames": [found] if found else []})

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

    return Handler


@pytest.fixture
def fake_service() -> Iterator[FakeService]:
    """A fake GeoNames/Nominatim server on 127.0.0.1, on a free port, for one test."""
    service = FakeService(port=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(service))
    service.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def geonames(fake_service: FakeService) -> Iterator[OnlineFallback]:
    with OnlineFallback("geonames", username="u", domain=fake_service.domain,
                        min_delay_seconds=0) as fallback:
        yield fallback


@pytest.fixture
def nominatim(fake_service: FakeService) -> Iterator[OnlineFallback]:
    with OnlineFallback("nominatim", domain=fake_service.domain,
                        min_delay_seconds=0) as fallback:
        yield fallback


@pytest.fixture
def index(default_gazetteer: Gazetteer) -> str:
    return str(default_gazetteer.path)


# -- OnlineFallback ----------------------------------------------------------------------


def test_geonames_sends_the_username_and_reads_the_record(
        geonames: OnlineFallback, fake_service: FakeService) -> None:
    place = geonames("Zqxville")
    assert place == OnlinePlace(
        geonameid=9900001, name="Zqxville", asciiname="Zqxville", lat=43.25, lon=-79.5,
        feature_class="P", feature_code="PPL", country_code="CA", admin1_code="08",
        admin1_name="Ontario", admin2_code=None, admin2_name=None, population=1200,
        source="geonames")
    [request] = fake_service.requests
    assert request.path == "/searchJSON"
    assert request.query["username"] == ["u"]
    assert request.query["q"] == ["Zqxville"]
    assert request.query["maxRows"] == ["1"]
    assert request.user_agent == "newsmapper"


def test_geonames_record_with_admin2(geonames: OnlineFallback) -> None:
    place = geonames("Qwertyuiopia")
    assert place is not None
    assert (place.geonameid, place.feature_code, place.country_code) == (9900002, "ADM2", "TD")
    assert (place.admin1_name, place.admin2_name) == ("Salamat", "Aboudeia")
    assert place.admin_code == "TD"  # no admin1 code in the record
    assert place.to_dict()["source"] == "geonames"
    assert "9900002" in repr(place)


def test_country_is_sent(geonames: OnlineFallback, nominatim: OnlineFallback,
                         fake_service: FakeService) -> None:
    assert geonames("Zqxville", country="US") is None
    assert geonames("Zqxville", country="CA") is not None
    assert nominatim("Zqxville", country="CA") is not None
    queries = [r.query for r in fake_service.requests]
    assert [q.get("country") for q in queries[:2]] == [["US"], ["CA"]]
    assert queries[2]["countrycodes"] == ["CA"]


def test_nominatim_has_coordinates_and_no_geonameid(
        nominatim: OnlineFallback, fake_service: FakeService) -> None:
    place = nominatim("Zqxville")
    assert place is not None
    assert place.geonameid is None
    assert (place.lat, place.lon) == (43.25, -79.5)
    assert (place.name, place.country_code, place.admin1_name, place.admin2_name) == (
        "Zqxville", "CA", "Ontario", "Halton")
    assert place.source == "nominatim"
    [request] = fake_service.requests
    assert request.path == "/search"
    assert request.query["format"] == ["json"]
    assert request.user_agent == "newsmapper"


def test_nothing_found_is_none(geonames: OnlineFallback, nominatim: OnlineFallback) -> None:
    assert geonames("Nowhere Qqq") is None
    assert nominatim("Nowhere Qqq") is None


def test_answers_are_remembered(geonames: OnlineFallback, fake_service: FakeService) -> None:
    for _ in range(3):
        assert geonames("Zqxville") is not None
        assert geonames("Nowhere Qqq") is None
    assert len(fake_service.requests) == 2


def test_rate_limit_spaces_requests(fake_service: FakeService) -> None:
    """Requests start ≥ 0.2 s apart (client clock); the server sees them spread out too.

    Server arrival times carry thread-scheduling jitter on a busy machine, so the server
    side checks the span of all four requests rather than each gap.
    """
    sent: list[float] = []
    with OnlineFallback("geonames", username="u", domain=fake_service.domain,
                        min_delay_seconds=0.2) as fallback:
        request = fallback._limited.func

        def timed(*args: Any, **kwargs: Any) -> Any:
            sent.append(time.monotonic())
            return request(*args, **kwargs)

        fallback._limited.func = timed
        for name in ("Zqxville", "Qwertyuiopia", "Xanadu Zzq", "Nowhere Qqq"):
            fallback(name)
    gaps = [later - earlier for earlier, later in itertools.pairwise(sent)]
    assert len(gaps) == 3
    assert min(gaps) >= 0.18, gaps
    arrived = [r.at for r in fake_service.requests]
    assert len(arrived) == 4
    assert arrived[-1] - arrived[0] >= 3 * 0.18, arrived


def test_geonames_needs_a_username() -> None:
    with pytest.raises(MapperError, match="needs a username"):
        OnlineFallback("geonames")


def test_unknown_service_is_refused() -> None:
    with pytest.raises(MapperError, match="unknown online service"):
        OnlineFallback("bing")  # type: ignore[arg-type]


@pytest.mark.parametrize(("domain", "scheme"), [
    ("127.0.0.1:8080", "http"), ("localhost", "http"), ("[::1]:8080", "http"),
    ("nominatim.example.org", "https"), (None, "https")])
def test_scheme_is_https_except_on_loopback(domain: str | None, scheme: str) -> None:
    with OnlineFallback("nominatim", domain=domain, min_delay_seconds=0) as fallback:
        assert fallback.scheme == scheme


def test_an_explicit_scheme_wins() -> None:
    with OnlineFallback("geonames", username="u", scheme="http") as fallback:
        assert (fallback.scheme, fallback.domain) == ("http", "secure.geonames.org")


def test_public_nominatim_is_asked_at_most_once_a_second() -> None:
    with OnlineFallback("nominatim", min_delay_seconds=0) as fallback:
        assert fallback.min_delay_seconds == 1.0
        assert "nominatim.openstreetmap.org" in repr(fallback)


@pytest.mark.parametrize(("failure", "reason"), [
    ("500", "geonames request failed"), ("quota", "daily limit of 20000 credits")])
def test_server_errors_raise_mapper_error(geonames: OnlineFallback, fake_service: FakeService,
                                         failure: str, reason: str) -> None:
    fake_service.failure = failure
    with pytest.raises(MapperError, match=reason):
        geonames("Zqxville")
    fake_service.failure = None  # a failure is not remembered: the next call asks again
    assert geonames("Zqxville") is not None


def test_unreachable_server_raises_mapper_error(fake_service: FakeService) -> None:
    with OnlineFallback("nominatim", domain="127.0.0.1:9", min_delay_seconds=0,
                        timeout=2) as fallback, pytest.raises(MapperError,
                                                              match="nominatim request failed"):
        fallback("Zqxville")


# -- Geocoder with a fallback ------------------------------------------------------------


def test_geocoder_asks_only_about_unresolved_names(
        default_gazetteer: Gazetteer, geonames: OnlineFallback,
        fake_service: FakeService) -> None:
    coder = Geocoder(default_gazetteer, fallback=geonames)
    assert coder("Kyiv").place.geonameid == 703448  # type: ignore[union-attr]
    assert coder("").place is None
    assert fake_service.requests == []
    res = coder("Zqxville")
    assert res.place is not None and res.place.geonameid == 9900001
    assert res.score == ONLINE_SCORE
    assert res.signals[0] == "online: geonames"
    record = res.to_dict()
    assert (record["geonameid"], record["country_code"], record["score"]) == (
        9900001, "CA", ONLINE_SCORE)
    assert [r.query["q"] for r in fake_service.requests] == [["Zqxville"]]


def test_geocoder_passes_the_country(default_gazetteer: Gazetteer, geonames: OnlineFallback,
                                     fake_service: FakeService) -> None:
    coder = Geocoder(default_gazetteer, fallback=geonames)
    res = coder("Zqxville", country="us")
    assert res.place is None
    assert "online: geonames found nothing" in res.signals
    assert fake_service.requests[0].query["country"] == ["US"]


def test_geocoder_with_nominatim_has_no_geonameid(
        default_gazetteer: Gazetteer, nominatim: OnlineFallback) -> None:
    res = Geocoder(default_gazetteer, fallback=nominatim)("Zqxville")
    record = res.to_dict()
    assert record["geonameid"] is None
    assert (record["lat"], record["lon"]) == (43.25, -79.5)
    assert res.signals[0] == "online: nominatim"


def test_geocoder_keeps_going_after_a_server_error(
        default_gazetteer: Gazetteer, geonames: OnlineFallback,
        fake_service: FakeService) -> None:
    coder = Geocoder(default_gazetteer, fallback=geonames)
    fake_service.failure = "quota"
    failed = coder("Zqxville")
    assert failed.place is None
    assert any("daily limit" in s for s in failed.signals), failed.signals
    assert coder("Kyiv").place is not None
    fake_service.failure = None
    assert coder("Zqxville").place is not None


# -- mapper geocode --online ---------------------------------------------------------------

NAMES = "Kyiv\nZqxville\nNowhere Qqq\n"


def _rows(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_cli_without_online_sends_nothing(cli_runner: CliRunner, index: str,
                                          fake_service: FakeService) -> None:
    result = cli_runner.invoke(main, ["geocode", "-", "--index", index, "--username", "u",
                                      "--online-domain", fake_service.domain],
                               input=NAMES)
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [r["geonameid"] for r in rows] == ["703448", "", ""]
    assert fake_service.requests == []


def test_importing_mapper_does_not_import_geopy() -> None:
    probe = ("import sys, mapper, mapper.cli, mapper.geocode, mapper.online; "
             "print('geopy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.strip() == "False"


def test_cli_online_geonames(cli_runner: CliRunner, index: str,
                             fake_service: FakeService) -> None:
    result = cli_runner.invoke(main, [
        "geocode", "-", "--index", index, "--online", "geonames", "--username", "u",
        "--online-domain", fake_service.domain, "--min-delay", "0"], input=NAMES)
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [r["geonameid"] for r in rows] == ["703448", "9900001", ""]
    assert (rows[1]["score"], rows[1]["country_code"], rows[1]["error"]) == ("0.5", "CA", "")
    assert "online: geonames found nothing" in rows[2]["error"]
    assert [r.query["q"] for r in fake_service.requests] == [["Zqxville"], ["Nowhere Qqq"]]
    assert all(r.query["username"] == ["u"] for r in fake_service.requests)


def test_cli_online_username_from_the_environment(cli_runner: CliRunner, index: str,
                                                  fake_service: FakeService) -> None:
    result = cli_runner.invoke(main, [
        "geocode", "-", "--index", index, "--online", "geonames", "--format", "jsonl",
        "--online-domain", fake_service.domain, "--min-delay", "0"], input="Zqxville\n",
        env={"GEONAMES_USERNAME": "envuser"})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["geonameid"] == 9900001
    assert fake_service.requests[0].query["username"] == ["envuser"]


def test_cli_online_nominatim(cli_runner: CliRunner, index: str,
                              fake_service: FakeService) -> None:
    result = cli_runner.invoke(main, [
        "geocode", "-", "--index", index, "--online", "nominatim", "--online-scheme", "http",
        "--online-domain", fake_service.domain, "--min-delay", "0"], input="Zqxville\n")
    assert result.exit_code == 0, result.output
    [row] = _rows(result.stdout)
    assert (row["geonameid"], row["lat"], row["lon"], row["error"]) == (
        "", "43.25", "-79.5", "")


def test_cli_online_geonames_without_username_fails(cli_runner: CliRunner, index: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEONAMES_USERNAME", raising=False)
    result = cli_runner.invoke(main, ["geocode", "-", "--index", index, "--online",
                                      "geonames"], input="Zqxville\n")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "needs a username" in result.stderr
    assert result.stdout == ""


def test_cli_server_error_leaves_rows_unresolved(cli_runner: CliRunner, index: str,
                                                 fake_service: FakeService) -> None:
    fake_service.failure = "500"
    result = cli_runner.invoke(main, [
        "geocode", "-", "--index", index, "--online", "geonames", "--username", "u",
        "--online-domain", fake_service.domain, "--min-delay", "0"], input=NAMES)
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [r["geonameid"] for r in rows] == ["703448", "", ""]
    assert all("geonames request failed" in r["error"] for r in rows[1:]), rows
    assert len(fake_service.requests) == 2
