"""Tests for ``mapper gazetteer``: option mapping, output formats, stderr and exit codes."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from gazetteer import Gazetteer
from gazetteer.cli import gazetteer as gazetteer_group
from gazetteer.download import DEFAULT_BASE_URL, DEFAULT_FILES
from mapper.cli import main

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "data" / "tiny"

Run = Callable[..., Result]

REQUIRED_KEYS = {"geonameid", "name", "feature_class", "feature_code", "country_code",
                 "admin1_code", "admin1_name", "admin2_code", "admin2_name", "lat", "lon",
                 "population", "score"}


@pytest.fixture
def run(cli_runner: CliRunner, tiny_index_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.delenv("MAPPER_GAZETTEER", raising=False)

    def invoke(*args: str, index: bool = True) -> Result:
        extra = ["--index", str(tiny_index_path)] if index else []
        return cli_runner.invoke(main, ["gazetteer", *args, *extra], catch_exceptions=False)

    return invoke


def _search_ids(result: Result) -> list[int]:
    assert result.exit_code == 0, result.output
    return [m["geonameid"] for m in json.loads(result.stdout)]


# -- search ------------------------------------------------------------------------------


def test_search_json(run: Run) -> None:
    result = run("search", "Kaluga region", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list) and data
    first = data[0]
    assert set(first) >= REQUIRED_KEYS
    assert first["geonameid"] == 553899
    assert first["admin1_name"] == "Kaluga Oblast"
    assert isinstance(first["lat"], float) and isinstance(first["population"], int)
    assert 0 < first["score"] <= 1
    assert result.stderr == ""


def test_search_json_keeps_non_ascii(run: Run) -> None:
    result = run("search", "Калужская область", "--json")
    assert "Kaluga Oblast" in result.stdout
    assert _search_ids(result)[0] == 553899


@pytest.mark.parametrize(("args", "expected"), [
    (["Dzerzhinsky district", "--within", "RU.25"], [563697]),
    (["Kondrovo", "--within", "553899"], [545575]),
    (["Long Beach", "--country", "AU"], [8219798]),
    (["Long Beach", "--country", "us"], [5367929]),
    (["Paris", "--feature-class", "A"], [2968815]),
    (["Paris", "--feature-code", "PPLA2"], [4717560]),
    (["Paris", "--limit", "1"], [2988507]),
    # the département, sized by the city it is, before a town of 25,000 in Texas
    (["Paris", "--limit", "2"], [2988507, 2968815]),
    (["Dzerzinsky", "--no-fuzzy"], []),
    (["Dzerzinsky"], [563697]),
])
def test_search_options(run: Run, args: list[str], expected: list[int]) -> None:
    assert _search_ids(run("search", *args, "--json")) == expected


def test_search_text(run: Run) -> None:
    result = run("search", "Kondrovo")
    assert result.exit_code == 0
    line = result.stdout.strip()
    assert "545575" in line and "Kondrovo (PPL)" in line
    assert "Dzerzhinskiy Rayon, Kaluga Oblast, RU" in line and "[54.8064, 35.9278]" in line


def test_search_nothing_found(run: Run) -> None:
    result = run("search", "Qwxyzzz")
    assert result.exit_code == 0
    assert result.stdout == "" and "no place called 'Qwxyzzz'" in result.stderr
    assert json.loads(run("search", "Qwxyzzz", "--json").stdout) == []


@pytest.mark.parametrize("limit", ["0", "-2"])
def test_search_limit_below_one_is_a_usage_error(run: Run, limit: str) -> None:
    result = run("search", "Kondrovo", "--limit", limit)
    assert result.exit_code == 2
    assert "--limit" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("args", "message"), [
    (["--country", "ZZ"], "unknown country ZZ"),
    (["--within", "XX.99"], "unknown admin code XX.99"),
    (["--within", "RU.99"], "unknown admin code RU.99"),
])
def test_search_blames_an_unknown_filter(run: Run, args: list[str], message: str) -> None:
    for extra in ([], ["--json"]):
        result = run("search", "Kondrovo", *args, *extra)
        assert result.exit_code == 2
        assert message in result.stderr and "no place called" not in result.stderr
        assert result.stdout == ""


@pytest.mark.parametrize("args", [["--country", "RU"], ["--within", "RU.25"]])
def test_search_known_filter_without_a_match(run: Run, args: list[str]) -> None:
    result = run("search", "Qwxyzzz", *args)
    assert result.exit_code == 0
    assert "no place called 'Qwxyzzz'" in result.stderr


def test_index_from_environment(cli_runner: CliRunner, tiny_index_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPPER_GAZETTEER", str(tiny_index_path))
    result = cli_runner.invoke(main, ["gazetteer", "info", "--json"])
    assert json.loads(result.stdout)["path"] == str(tiny_index_path)


def test_search_default_index(cli_runner: CliRunner, default_gazetteer: Gazetteer,
                              default_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAPPER_GAZETTEER", raising=False)
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(default_cache_dir))
    result = cli_runner.invoke(main, ["gazetteer", "search", "Leningrad region", "--json"])
    assert _search_ids(result)[0] == 536199


# -- show and info -----------------------------------------------------------------------


def test_show(run: Run) -> None:
    result = run("show", "553899")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["geonameid"] == 553899 and data["name"] == "Kaluga Oblast"
    assert data["coordinate_source"] == "geonames"
    assert [p["geonameid"] for p in data["parents"]][:1] == [2017370]


def test_show_unknown_id(run: Run) -> None:
    result = run("show", "999")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: no place with geonameid 999")
    assert "Traceback" not in result.output


def test_show_needs_a_number(run: Run) -> None:
    result = run("show", "Kaluga")
    assert result.exit_code == 2


def test_info_json(run: Run, tiny_index_path: Path) -> None:
    result = run("info", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["path"] == str(tiny_index_path)
    assert data["counts"]["admin1"] == 6 and data["vintage"] == "2023-02-28"
    assert {s["kind"] for s in data["sources"]} >= {"geonames", "admin1", "countries"}


def test_info_text(run: Run) -> None:
    result = run("info")
    assert result.exit_code == 0
    assert "vintage    2023-02-28" in result.stdout
    assert "cities500.txt (14 rows" in result.stdout
    assert "Contains data from GeoNames (www.geonames.org), CC BY 4.0." in result.stdout


def test_missing_index(cli_runner: CliRunner, tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["gazetteer", "info", "--index", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no gazetteer index at ")
    assert result.stderr.count("\n") == 1


def test_debug_shows_the_exception(cli_runner: CliRunner, tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["--debug", "gazetteer", "info", "--index",
                                      str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "IndexNotFoundError"


# -- build -------------------------------------------------------------------------------


def test_build(cli_runner: CliRunner, tmp_path: Path) -> None:
    dest = tmp_path / "out.sqlite"
    result = cli_runner.invoke(main, ["gazetteer", "build", "--from", str(TINY), "-o", str(dest)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"built {dest} in ")
    assert "6 admin1" in result.stdout
    assert dest.is_file()
    assert "MAPPER_GAZETTEER" not in result.stdout


def test_build_adds_the_packaged_aliases_shapes_and_unit_points(cli_runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    with_aliases, without = tmp_path / "with.sqlite", tmp_path / "without.sqlite"
    for dest, flag in ((with_aliases, []), (without, ["--no-packaged"])):
        result = cli_runner.invoke(main, ["gazetteer", "build", "--from", str(TINY), "-o",
                                          str(dest), *flag])
        assert result.exit_code == 0, result.output
    with Gazetteer(with_aliases) as gaz:
        assert gaz.search("U.S.", fuzzy=False)[0].place.geonameid == 6252001
        assert gaz.search("EU", fuzzy=False)[0].place.geonameid == 6255148
        assert [s["kind"] for s in gaz.info()["sources"]][-1] == "aliases"
        # the tiny table has no row for the United States: the packaged point stands in
        # for the mean of its few member towns, and the packaged shapes come along
        assert "geonames.txt.xz" in gaz.coordinate_source(6252001)
        assert "shapes" in {s["kind"] for s in gaz.info()["sources"]}
        # a district with no member town in the table still gets the packaged point
        assert gaz.get(1537254).feature_code == "ADM2"
    with Gazetteer(without) as gaz:
        assert 6252001 not in {m.place.geonameid for m in gaz.search("U.S.", fuzzy=False)}
        assert gaz.coordinate_source(6252001).startswith("mean of")
        assert gaz.find(1537254) is None
        assert "aliases" not in {s["kind"] for s in gaz.info()["sources"]}


def test_a_country_named_otherwise_in_country_info_keeps_its_packaged_name(
        cli_runner: CliRunner, tmp_path: Path) -> None:
    # the official countryInfo may call a country "The Netherlands"; "Netherlands" must
    # still find it when the packaged row lends the country its point
    source = tmp_path / "tiny"
    shutil.copytree(TINY, source)
    info = source / "countryInfo.txt"
    info.write_text(info.read_text(encoding="utf-8").replace(
        "\tAustralia\t", "\tThe Commonwealth of Australia\t"), encoding="utf-8")
    dest = tmp_path / "g.sqlite"
    result = cli_runner.invoke(main, ["gazetteer", "build", "--from", str(source), "-o",
                                      str(dest)])
    assert result.exit_code == 0, result.output
    with Gazetteer(dest) as gaz:
        assert gaz.search("Australia", fuzzy=False)[0].place.geonameid == 2077456


def test_a_closed_pipe_is_no_error_message() -> None:
    from gazetteer.cli import EXIT_PIPE_CLOSED, handle_errors

    @click.command()
    @handle_errors
    def noisy() -> None:
        raise BrokenPipeError(32, "Broken pipe")

    result = CliRunner().invoke(noisy, [])
    assert result.exit_code == EXIT_PIPE_CLOSED
    assert "Broken pipe" not in result.output


def test_build_to_cache(cli_runner: CliRunner, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(tmp_path))
    result = cli_runner.invoke(main, ["gazetteer", "build", "--from",
                                      str(TINY / "cities500.txt")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "full.sqlite").is_file()
    assert f"export MAPPER_GAZETTEER={tmp_path / 'full.sqlite'}" in result.stdout


def test_build_from_bad_file(cli_runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(TINY, src)
    with open(src / "admin2Codes.txt", "a") as handle:
        handle.write("RU.25.1\tBroken\n")
    dest = tmp_path / "out.sqlite"
    result = cli_runner.invoke(main, ["gazetteer", "build", "--from", str(src), "-o", str(dest)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"error: {src / 'admin2Codes.txt'}:8: expected 4 tab-separated "
                             "fields of admin codes, found 2; is this the right file?\n")
    assert "Traceback" not in result.output
    assert not dest.exists() and list(tmp_path.iterdir()) == [src]


def test_build_from_missing_path_is_usage_error(cli_runner: CliRunner, tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["gazetteer", "build", "--from", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_build_without_geoname_table(cli_runner: CliRunner, tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["gazetteer", "build", "--from",
                                      str(TINY / "hierarchy.txt"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no geoname table among the sources")


def test_build_from_downloaded_folder(cli_runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "geonames"
    src.mkdir()
    with zipfile.ZipFile(src / "allCountries.zip", "w") as archive:
        archive.write(TINY / "cities500.txt", "allCountries.txt")
    shutil.copy(TINY / "admin1CodesASCII.txt", src)
    result = cli_runner.invoke(main, ["gazetteer", "build", "--from", str(src), "-o",
                                      str(tmp_path / "full.sqlite")])
    assert result.exit_code == 0, result.stderr


# -- download ----------------------------------------------------------------------------


def test_download_dry_run(cli_runner: CliRunner, tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["gazetteer", "download", "--dry-run", "--dest",
                                      str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [DEFAULT_BASE_URL + name for name in DEFAULT_FILES]
    assert list(tmp_path.iterdir()) == []


def test_download_dry_run_with_mirror_and_files(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(main, ["gazetteer", "download", "--dry-run", "--base-url",
                                      "http://127.0.0.1:9/dump/", "--file", "RU.zip",
                                      "--file", "KZ.zip"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["http://127.0.0.1:9/dump/RU.zip",
                                          "http://127.0.0.1:9/dump/KZ.zip"]


# -- help --------------------------------------------------------------------------------


def _command_paths() -> list[list[str]]:
    paths = [[], ["gazetteer"]]
    paths += [["gazetteer", name] for name in sorted(gazetteer_group.commands)]
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "mapper")
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_everywhere_with_an_example(cli_runner: CliRunner, path: list[str],
                                         flag: str) -> None:
    result = cli_runner.invoke(main, [*path, flag])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    assert "Example" in result.stdout


def test_every_gazetteer_command_is_covered() -> None:
    assert set(gazetteer_group.commands) == {"info", "search", "show", "build", "download"}
    assert all(isinstance(c, click.Command) for c in gazetteer_group.commands.values())
