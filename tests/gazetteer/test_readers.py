"""Tests for gazetteer.readers: the hand-written tiny files, the shared real files, bad lines."""

from __future__ import annotations

import gzip
import lzma
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer import MalformedLineError
from gazetteer.model import AdminUnit, Country, GeonameRow, HierarchyEdge
from gazetteer.readers import (
    read_admin_codes,
    read_alternate_names,
    read_countries,
    read_feature_codes,
    read_geonames,
    read_hierarchy,
    read_lines,
)

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "data" / "tiny"
SHARED_GEONAMES = REPO.parent / "shared" / "geonames"


def _count(rows: Iterator[object]) -> int:
    return sum(1 for _ in rows)


# -- the tiny hand-written files ---------------------------------------------------------


def test_geonames_tiny_rows() -> None:
    rows = {r.geonameid: r for r in read_geonames(TINY / "cities500.txt")}
    assert len(rows) == 14  # the '#' comment and the trailing blank line are skipped
    kaluga = rows[553915]
    assert kaluga == GeonameRow(
        geonameid=553915, name="Kaluga", asciiname="Kaluga",
        alternatenames=("Kalouga", "Kaługa", "Калуга"), lat=54.5293, lon=36.27542,
        feature_class="P", feature_code="PPLA", country_code="RU", cc2="", admin1_code="25",
        admin2_code="", admin3_code="", admin4_code="", population=340851, elevation=None,
        dem=200, timezone="Europe/Moscow", modified="2022-10-02")  # a CRLF line: no '\r'


def test_geonames_empty_fields() -> None:
    rows = {r.geonameid: r for r in read_geonames(TINY / "cities500.txt")}
    europe = rows[6255148]
    assert europe.country_code == "" and europe.feature_code == "CONT"
    assert rows[462752].alternatenames == ()
    assert rows[5367929].elevation == 52
    assert rows[4717560].modified == "2017-03-09"  # CRLF, last column


def test_tiny_fixture_has_crlf_comment_and_blank_lines() -> None:
    raw = (TINY / "cities500.txt").read_bytes()
    assert b"\r\n" in raw and raw.startswith(b"#") and raw.endswith(b"\n\n")
    assert (TINY / "countryInfo.txt").read_bytes().count(b"\r\n") == 8


def test_read_lines_strips_crlf_and_skips_comments() -> None:
    lines = list(read_lines(TINY / "countryInfo.txt"))
    assert [n for n, _ in lines] == [4, 5, 6, 7, 8]
    assert all(not f[-1].endswith("\r") for _, f in lines)


def test_alternate_names_skip_links_and_codes() -> None:
    names = list(read_alternate_names(TINY / "alternateNamesV2.txt"))
    assert len(names) == 10
    assert {n.isolanguage for n in names}.isdisjoint({"link", "iata"})
    by_name = {n.name: n for n in names}
    assert by_name["Калужская область"].geonameid == 553899
    assert by_name["Калужская область"].is_preferred
    assert by_name["Dzhezkazgan"].is_historic and not by_name["Dzhezkazgan"].is_preferred
    assert by_name["City of Light"].is_colloquial
    assert by_name["Russian Federation"].is_short


def test_admin_codes() -> None:
    admin1 = list(read_admin_codes(TINY / "admin1CodesASCII.txt"))
    assert admin1[0] == AdminUnit("RU.25", "Kaluga Oblast", "Kaluga Oblast", 553899)
    assert len(admin1) == 6
    admin2 = {u.code: u for u in read_admin_codes(TINY / "admin2Codes.txt")}
    assert admin2["RU.25.563697"].geonameid == 563697
    assert len(admin2) == 7


def test_countries() -> None:
    countries = {c.iso: c for c in read_countries(TINY / "countryInfo.txt")}
    assert sorted(countries) == ["AU", "FR", "KZ", "RU", "US"]
    assert countries["RU"] == Country("RU", "RUS", "Russia", "Moscow", 144478050, "EU", 2017370,
                                      ("GE", "CN", "BY", "UA", "KZ"))
    assert countries["AU"].neighbours == ()


def test_hierarchy() -> None:
    edges = list(read_hierarchy(TINY / "hierarchy.txt"))
    assert len(edges) == 10
    assert edges[0] == HierarchyEdge(6255148, 2017370, "")
    assert HierarchyEdge(563697, 545575, "ADM") in edges


def test_feature_codes_skip_null() -> None:
    codes = list(read_feature_codes(TINY / "featureCodes_en.txt"))
    assert len(codes) == 8
    assert codes[0].feature_class == "A" and codes[0].feature_code == "ADM1"
    assert all(c.feature_class != "null" for c in codes)


# -- compressed forms read the same rows -------------------------------------------------


def _gz(src: Path, dest: Path) -> Path:
    out = dest / (src.name + ".gz")
    out.write_bytes(gzip.compress(src.read_bytes()))
    return out


def _xz(src: Path, dest: Path) -> Path:
    out = dest / (src.name + ".xz")
    out.write_bytes(lzma.compress(src.read_bytes()))
    return out


def _zip(src: Path, dest: Path) -> Path:
    out = dest / (src.stem + ".zip")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.md", "not a table")
        archive.write(src, src.name)
    return out


@pytest.mark.parametrize("pack", [_gz, _xz, _zip], ids=["gz", "xz", "zip"])
def test_compressed_forms_read_the_same(pack: Callable[[Path, Path], Path],
                                        tmp_path: Path) -> None:
    plain = list(read_geonames(TINY / "cities500.txt"))
    assert list(read_geonames(pack(TINY / "cities500.txt", tmp_path))) == plain


def test_zip_member_named_otherwise_uses_first_txt(tmp_path: Path) -> None:
    archive_path = tmp_path / "something.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.write(TINY / "hierarchy.txt", "hierarchy.txt")
    assert list(read_hierarchy(archive_path)) == list(read_hierarchy(TINY / "hierarchy.txt"))


def test_zip_without_txt_is_reported(tmp_path: Path) -> None:
    archive_path = tmp_path / "cities500.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("readme.md", "nothing here")
    with pytest.raises(MalformedLineError, match=r"holds no \.txt"):
        list(read_geonames(archive_path))


# -- malformed lines ---------------------------------------------------------------------


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


GOOD_ROW = (TINY / "cities500.txt").read_bytes().splitlines(keepends=True)[9]  # Kondrovo


@pytest.mark.parametrize(("reader", "name", "bad", "why"), [
    (read_geonames, "cities500.txt", b"1\tonly\tthree\n", "expected 19"),
    (read_geonames, "cities500.txt", GOOD_ROW.replace(b"545575", b"x545575"), "geonameid"),
    (read_geonames, "cities500.txt", GOOD_ROW.replace(b"54.80639", b"154.8"), "out of range"),
    (read_geonames, "cities500.txt", GOOD_ROW.replace(b"35.92778", b"east"), "longitude"),
    (read_geonames, "cities500.txt", GOOD_ROW.replace(b"14462", b"many"), "population"),
    (read_geonames, "cities500.txt", GOOD_ROW.replace(b"Kondrovo", b"Kond\xffrovo"), "UTF-8"),
    (read_geonames, "cities500.txt", GOOD_ROW.replace(b"545575", b"", 1), "geonameid is empty"),
    (read_admin_codes, "admin1CodesASCII.txt", b"RU25\tKaluga\tKaluga\t553899\n", "CC.A1"),
    (read_admin_codes, "admin2Codes.txt", b"RU.25.1\tX\tX\tnope\n", "geonameid"),
    (read_countries, "countryInfo.txt", b"RU\tRUS\t643\n", "expected 17"),
    (read_hierarchy, "hierarchy.txt", b"2017370\n", "expected 2"),
    (read_hierarchy, "hierarchy.txt", b"\t553899\tADM\n", "parentId is empty"),
    (read_feature_codes, "featureCodes_en.txt", b"ADM1\tfirst-order\t\n", "P.PPL"),
    (read_alternate_names, "alternateNamesV2.txt", b"1\tx\ten\tName\n", "geonameid"),
])
def test_malformed_line_names_file_and_line(reader: Callable[[Path], Iterator[object]],
                                            name: str, bad: bytes, why: str,
                                            tmp_path: Path) -> None:
    good = (TINY / name).read_bytes()
    if not good.endswith(b"\n"):
        good += b"\n"
    path = _write(tmp_path, name, good + bad)
    line = good.count(b"\n") + 1
    with pytest.raises(MalformedLineError) as info:
        list(reader(path))
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert why in str(info.value)
    assert info.value.line == line and info.value.path == str(path)
    assert isinstance(info.value, ValueError)


def test_malformed_line_in_compressed_file_names_line(tmp_path: Path) -> None:
    path = tmp_path / "cities500.txt.gz"
    path.write_bytes(gzip.compress(b"# comment\n" + GOOD_ROW + b"oops\n"))
    with pytest.raises(MalformedLineError, match=re.escape(f"{path}:3: ")):
        list(read_geonames(path))


# -- property: never crash, every line parsed or reported ---------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"),
                max_size=40)
_FIELD = st.one_of(
    st.sampled_from(["", "0", "12", "-7", "54.5", "-181", "90.0", "nan", "1e3", "RU", "P",
                     "PPL", "Kaluga", "Калуга", "a,b,,c", "#", " ", "\r", "2022-10-02"]),
    _TEXT.filter(lambda s: "\t" not in s),
)
_ROW_LIKE = st.lists(_FIELD, min_size=0, max_size=22).map("\t".join)
_LINE = st.one_of(_ROW_LIKE, _TEXT, st.just(GOOD_ROW.decode().rstrip("\r\n")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_LINE, max_size=8), crlf=st.booleans())
def test_read_geonames_never_crashes(lines: list[str], crlf: bool) -> None:
    data = "".join(line + ("\r\n" if crlf else "\n") for line in lines).encode()
    data_lines = [raw for raw in data.split(b"\n")[: len(lines)]
                  if raw.strip() and not raw.startswith(b"#")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "XX.txt"
        path.write_bytes(data)
        try:
            rows = list(read_geonames(path))
        except MalformedLineError as exc:
            assert 1 <= exc.line <= len(lines)
            assert str(exc).startswith(f"{path}:{exc.line}: ")
        else:
            assert len(rows) == len(data_lines)


# -- the real files in ../shared ---------------------------------------------------------

SHARED_COUNTS = [
    (read_geonames, "cities500.txt.gz", 199_568),
    (read_geonames, "cities15000.zip", 32_847),
    (read_geonames, "no-country.txt", 6_643),
    (read_admin_codes, "admin1CodesASCII.txt", 3_862),
    (read_admin_codes, "admin2Codes.txt", 47_547),
    (read_countries, "countryInfo.txt", 252),
    (read_hierarchy, "hierarchy.txt.gz", 493_635),
    (read_feature_codes, "featureCodes_en.txt", 680),
]


@pytest.mark.shared
@pytest.mark.parametrize(("reader", "name", "expected"), SHARED_COUNTS,
                         ids=[name for _, name, _ in SHARED_COUNTS])
def test_shared_file_counts(reader: Callable[[Path], Iterator[object]], name: str,
                            expected: int) -> None:
    assert _count(reader(SHARED_GEONAMES / name)) == expected


@pytest.mark.shared
def test_shared_country_info_is_crlf_and_parses_cleanly() -> None:
    path = SHARED_GEONAMES / "countryInfo.txt"
    assert b"\r\n" in path.read_bytes()
    countries = {c.iso: c for c in read_countries(path)}
    assert countries["RU"].geonameid == 2017370
    assert all(not n.endswith("\r") for c in countries.values() for n in c.neighbours)
    assert all("\r" not in c.continent for c in countries.values())


@pytest.mark.shared
def test_shared_facts() -> None:
    admin1 = {u.code: u for u in read_admin_codes(SHARED_GEONAMES / "admin1CodesASCII.txt")}
    assert admin1["RU.25"].geonameid == 553899
    kondrovo = next(r for r in read_geonames(SHARED_GEONAMES / "cities500.txt.gz")
                    if r.geonameid == 545575)
    assert (kondrovo.country_code, kondrovo.admin1_code) == ("RU", "25")


@pytest.mark.shared
def test_shared_zip_reads_like_unzipped(tmp_path: Path) -> None:
    with zipfile.ZipFile(SHARED_GEONAMES / "cities15000.zip") as archive:
        member = next(m for m in archive.namelist() if m.endswith(".txt"))
        with archive.open(member) as src, open(tmp_path / "cities15000.txt", "wb") as dst:
            shutil.copyfileobj(src, dst)
    zipped = read_geonames(SHARED_GEONAMES / "cities15000.zip")
    plain = read_geonames(tmp_path / "cities15000.txt")
    for _ in range(2000):
        assert next(zipped) == next(plain)
