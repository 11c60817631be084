"""Tests for ``mapper geocode``: inputs, output formats, problems, exit codes, resuming."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gazetteer import Gazetteer
from mapper.cli import main

HEADER = ("row,input,geonameid,name,lat,lon,feature_code,country_code,admin1_name,"
          "admin2_name,score,alternatives,error")
NAMES = "Springfield, IL\nKaluga region\nKyiv\nLong Beach, CA\n\nXqzzyville\n"


@pytest.fixture
def index(default_gazetteer: Gazetteer) -> str:
    return str(default_gazetteer.path)


def geocode(runner: CliRunner, index: str, *args: str, input: str | None = None) -> Result:
    return runner.invoke(main, ["geocode", *args, "--index", index], input=input)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_stdin_one_name_a_line_gives_csv(cli_runner: CliRunner, index: str) -> None:
    result = geocode(cli_runner, index, "-", input=NAMES)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == HEADER
    rows = csv_rows(result.stdout)
    assert [r["row"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [r["input"] for r in rows] == NAMES.splitlines()
    assert [r["geonameid"] for r in rows] == ["4250542", "553899", "703448", "5367929", "", ""]
    assert rows[0]["admin1_name"] == "Illinois"
    assert rows[2]["error"] == ""
    assert rows[4]["error"] == "empty place string"
    assert rows[5]["error"] == "no candidate in the gazetteer"
    assert rows[5]["score"] == ""
    assert json.loads(rows[0]["alternatives"])[0].keys() == {
        "geonameid", "name", "country_code", "score"}
    assert result.stderr == ""


def test_stdin_is_the_default(cli_runner: CliRunner, index: str) -> None:
    result = geocode(cli_runner, index, input="Kyiv\n")
    assert result.exit_code == 0, result.output
    assert csv_rows(result.stdout)[0]["geonameid"] == "703448"


def test_jsonl_format(cli_runner: CliRunner, index: str) -> None:
    result = geocode(cli_runner, index, "-", "--format", "jsonl", input=NAMES)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert list(records[0]) == HEADER.split(",")
    assert [r["geonameid"] for r in records] == [4250542, 553899, 703448, 5367929, None, None]
    assert isinstance(records[0]["alternatives"], list)
    assert isinstance(records[0]["lat"], float)
    assert records[4]["error"] == "empty place string"


def test_output_suffix_picks_the_format(cli_runner: CliRunner, index: str,
                                        tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = geocode(cli_runner, index, "-", "-o", str(out), input="Kyiv\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["geonameid"] == 703448


def test_csv_column_and_country_column(cli_runner: CliRunner, index: str,
                                       tmp_path: Path) -> None:
    places = write_csv(tmp_path / "places.csv", [
        ["id", "NAME", "CC"], ["a", "Paris", "FR"], ["b", "Paris", "US"], ["c", "Kyiv", ""]])
    result = geocode(cli_runner, index, str(places), "--column", "NAME",
                     "--country-column", "CC")
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout)
    assert [r["input"] for r in rows] == ["Paris", "Paris", "Kyiv"]
    assert rows[0]["geonameid"] == "2988507"
    assert rows[1]["country_code"] == "US" and rows[1]["geonameid"] != "2988507"
    assert rows[2]["geonameid"] == "703448"


def test_context_column(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    places = write_csv(tmp_path / "places.csv", [
        ["place", "sentence"], ["Springfield", "Protests in Boston, Massachusetts."],
        ["Springfield", ""]])
    result = geocode(cli_runner, index, str(places), "--column", "place",
                     "--context-column", "sentence")
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout)
    assert rows[0]["admin1_name"] == "Massachusetts"
    assert rows[0]["geonameid"] != rows[1]["geonameid"]


def test_tsv_input(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    places = tmp_path / "places.tsv"
    places.write_text("name\tcc\nLong Beach, CA\t\nParis\tFR\n", encoding="utf-8")
    result = geocode(cli_runner, index, str(places), "--column", "name")
    assert result.exit_code == 0, result.output
    assert [r["geonameid"] for r in csv_rows(result.stdout)] == ["5367929", "2988507"]


def test_malformed_row_is_reported_and_kept(cli_runner: CliRunner, index: str,
                                            tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text("name,cc\nKyiv,UA\nParis,FR,extra\nKaluga region,RU\n", encoding="utf-8")
    result = geocode(cli_runner, index, str(places), "--column", "name",
                     "--country-column", "cc")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{places}:3: ")
    assert "3 fields where the header has 2" in result.stderr
    rows = csv_rows(result.stdout)
    assert [r["row"] for r in rows] == ["1", "2", "3"]
    assert [r["geonameid"] for r in rows] == ["703448", "", "553899"]
    assert rows[1]["error"] == "row could not be read (see stderr)"


def test_stdin_with_a_column_is_read_as_csv(cli_runner: CliRunner, index: str) -> None:
    result = geocode(cli_runner, index, "-", "--column", "NAME", "--country-column", "CC",
                     input="NAME,CC\nParis,FR\nParis,US\n")
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout)
    assert [r["input"] for r in rows] == ["Paris", "Paris"]
    assert [r["country_code"] for r in rows] == ["FR", "US"]


@pytest.mark.parametrize("option", ["--column", "--country-column", "--context-column"])
def test_a_column_of_a_file_of_names_is_a_usage_error(cli_runner: CliRunner, index: str,
                                                      tmp_path: Path, option: str) -> None:
    names = tmp_path / "names.txt"
    names.write_text("NAME\nParis\n", encoding="utf-8")
    result = geocode(cli_runner, index, str(names), option, "NAME")
    assert result.exit_code == 2
    assert f"{option} needs a .csv or .tsv file" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("suffix", ["txt", "csv"])
def test_binary_input_is_rejected(cli_runner: CliRunner, index: str, tmp_path: Path,
                                  suffix: str) -> None:
    data = tmp_path / f"data.{suffix}"
    data.write_bytes(b"NAME\nParis\n\x00\x9c\xffKyiv\x01\n")
    result = geocode(cli_runner, index, str(data), *(["--column", "NAME"] if suffix == "csv"
                                                     else []))
    assert result.exit_code == 1
    assert f"{data}: binary file" in result.stderr
    assert result.stdout == ""


def test_an_unclosed_quote_is_one_unresolved_row(cli_runner: CliRunner, index: str,
                                                tmp_path: Path) -> None:
    data = tmp_path / "places.csv"
    data.write_text('name\n"Paris\nLyon\n', encoding="utf-8")
    result = geocode(cli_runner, index, str(data), "--column", "name")
    assert result.exit_code == 3
    assert f"{data}:2: a quoted field opened here is never closed" in result.stderr


def test_an_empty_csv_is_a_warning_as_for_articles(cli_runner: CliRunner, index: str,
                                                  tmp_path: Path) -> None:
    data = tmp_path / "places.csv"
    data.write_text("", encoding="utf-8")
    result = geocode(cli_runner, index, str(data), "--column", "name")
    assert result.exit_code == 0
    assert f"{data}: warning: empty file" in result.stderr
    data.write_text("\n\nname\nParis\n", encoding="utf-8")  # blank lines before the header
    result = geocode(cli_runner, index, str(data), "--column", "name")
    assert result.exit_code == 0
    assert csv_rows(result.stdout)[0]["name"] == "Paris"


def test_a_broken_csv_header_is_one_clear_error(cli_runner: CliRunner, index: str,
                                               tmp_path: Path) -> None:
    data = tmp_path / "places.csv"
    data.write_text('name,"country\nParis,FR\n', encoding="utf-8")
    result = geocode(cli_runner, index, str(data), "--column", "name")
    assert result.exit_code == 1
    assert "not valid CSV in the header" in result.stderr
    assert "Traceback" not in result.stderr


def test_corrupt_gzip_is_one_clear_error(cli_runner: CliRunner, index: str) -> None:
    import gzip

    data = gzip.compress(b"Paris\n" * 2000)[:40]  # cut short
    result = cli_runner.invoke(main, ["geocode", "-", "--index", index], input=data)
    assert result.exit_code == 1
    assert "corrupt gzip data" in result.stderr
    assert "Traceback" not in result.stderr


def test_blank_lines_and_padded_header_names(cli_runner: CliRunner, index: str,
                                             tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text("NAME , CC\nParis,FR\n\nKyiv,UA\n\n", encoding="utf-8")
    result = geocode(cli_runner, index, str(places), "--column", "NAME",
                     "--country-column", "CC")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rows = csv_rows(result.stdout)
    assert [(r["row"], r["input"], r["geonameid"]) for r in rows] == [
        ("1", "Paris", "2988507"), ("2", "Kyiv", "703448")]


def test_problems_name_the_line_and_the_output_row(cli_runner: CliRunner, index: str,
                                                   tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text('name,cc\n"Portland,\nME",US\n\nParis,FR,extra\nKyiv,UA\n',
                      encoding="utf-8")
    result = geocode(cli_runner, index, str(places), "--column", "name")
    assert result.exit_code == 3
    assert result.stderr == (f"{places}:5: 3 fields where the header has 2; kept as "
                             "unresolved in output row 2\n")
    rows = csv_rows(result.stdout)
    assert [(r["row"], r["error"]) for r in rows][1:] == [
        ("2", "row could not be read (see stderr)"), ("3", "")]


def test_long_fields_are_read(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    places = write_csv(tmp_path / "places.csv", [
        ["name", "notes"], ["Kyiv", "It rained. " * 20_000], ["Paris", "Sunny."]])
    result = geocode(cli_runner, index, str(places), "--column", "name")
    assert result.exit_code == 0, result.output
    assert [r["geonameid"] for r in csv_rows(result.stdout)] == ["703448", "2988507"]


def test_missing_column_fails_with_one_line(cli_runner: CliRunner, index: str,
                                            tmp_path: Path) -> None:
    places = write_csv(tmp_path / "places.csv", [["name", "cc"], ["Kyiv", "UA"]])
    result = geocode(cli_runner, index, str(places), "--column", "place")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "no column 'place'" in result.stderr
    assert "the columns are name, cc" in result.stderr
    assert result.stdout == ""


def test_csv_needs_a_column(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    places = write_csv(tmp_path / "places.csv", [["name"], ["Kyiv"]])
    result = geocode(cli_runner, index, str(places))
    assert result.exit_code == 1
    assert "--column" in result.stderr


def test_missing_file_fails(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    result = geocode(cli_runner, index, str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


def test_help_has_an_example_and_the_online_options(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(main, ["geocode", "-h"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
    for option in ("--online", "--username", "--online-domain", "--online-scheme",
                   "--min-delay", "--restart"):
        assert option in result.stdout


# -- resuming ----------------------------------------------------------------------------

REAL = ["Kyiv", "Paris", "Springfield, IL", "Kaluga region", "Long Beach, CA", "Aleppo",
        "Moscow", "Kharkiv", "Dnipro", "Odesa", "Lviv", "Berlin", "Madrid", "Rome", "Cairo"]


def three_hundred_names(tmp_path: Path) -> Path:
    names = [REAL[i % len(REAL)] if i % 7 else f"Xqzz{i}ville" for i in range(300)]
    names[10] = ""
    names[-1] = "Xqzzlast"  # an error text ends the last line: cutting it keeps 13 fields
    path = tmp_path / "names.txt"
    path.write_text("".join(n + "\n" for n in names), encoding="utf-8")
    return path


def cut_last_line(path: Path, keep: str) -> None:
    """Simulate a crash: the last line written only in part (half, or all but its end)."""
    data = path.read_bytes()
    start = data.rstrip(b"\n").rfind(b"\n") + 1
    line = data[start:]
    cut = len(line) // 2 if keep == "half" else len(line) - 4
    path.write_bytes(data[:start + cut])


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("keep", ["half", "most"])
def test_resume_after_a_crash_gives_the_same_file(cli_runner: CliRunner, index: str,
                                                  tmp_path: Path, fmt: str, keep: str) -> None:
    names = three_hundred_names(tmp_path)
    whole, resumed = tmp_path / f"whole.{fmt}", tmp_path / f"resumed.{fmt}"
    for out in (whole, resumed):
        result = geocode(cli_runner, index, str(names), "-o", str(out))
        assert result.exit_code == 0, result.output
    expected = whole.read_bytes()
    assert expected.count(b"\n") == 300 + (fmt == "csv")

    cut_last_line(resumed, keep)
    assert resumed.read_bytes() != expected
    result = geocode(cli_runner, index, str(names), "-o", str(resumed))
    assert result.exit_code == 0, result.output
    assert resumed.read_bytes() == expected

    result = geocode(cli_runner, index, str(names), "-o", str(resumed))  # already complete
    assert result.exit_code == 0, result.output
    assert resumed.read_bytes() == expected


def test_resume_after_a_crash_halfway(cli_runner: CliRunner, index: str,
                                      tmp_path: Path) -> None:
    names = three_hundred_names(tmp_path)
    whole, resumed = tmp_path / "whole.csv", tmp_path / "resumed.csv"
    assert geocode(cli_runner, index, str(names), "-o", str(whole)).exit_code == 0
    expected = whole.read_bytes()
    resumed.write_bytes(expected[:len(expected) // 2])
    assert geocode(cli_runner, index, str(names), "-o", str(resumed)).exit_code == 0
    assert resumed.read_bytes() == expected


def test_restart_overwrites(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("garbage\n", encoding="utf-8")
    result = geocode(cli_runner, index, "-", "-o", str(out), "--restart", input="Kyiv\n")
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 2


def test_help_keeps_its_lines_and_names_every_column(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(main, ["geocode", "-h"])
    assert result.exit_code == 0
    assert "printf 'Springfield, IL\\nKaluga region\\nKyiv\\n' | mapper geocode\n" in result.stdout
    assert "\n  Writes one row per input row" in result.stdout  # not indented further
    words = " ".join(result.stdout.split())
    assert ", ".join(HEADER.split(",")[:-1]) + " and error" in words


@pytest.mark.parametrize(("name", "content", "why"), [
    ("mine.csv", "a,b\n1,2\n", "its first line is not the header"),
    ("mine.csv", HEADER + "\r\n1,Kyiv\r\n", "line 2 is not its row 1"),
    ("mine.jsonl", '{"a": 1}\n', "line 1 is not its row 1"),
    ("mine.jsonl", "a,b\n", "line 1 is not its row 1"),
    ("mine.csv", HEADER + "\r\nnotes", "its last line is not a row of it"),
])
def test_resume_refuses_a_file_it_did_not_write(cli_runner: CliRunner, index: str,
                                                tmp_path: Path, name: str, content: str,
                                                why: str) -> None:
    out = tmp_path / name
    out.write_text(content, encoding="utf-8", newline="")
    result = geocode(cli_runner, index, "-", "-o", str(out), input="Kyiv\n")
    assert result.exit_code == 1
    assert f"{out} is not mapper geocode" in result.stderr and why in result.stderr
    assert "--restart" in result.stderr
    assert out.read_bytes() == content.encode()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize(("first", "second", "why"), [
    ("Kyiv\nParis\n", "Lviv\nOdesa\nRome\n", "its row 1 is 'Kyiv', the input's is 'Lviv'"),
    ("Kyiv\nParis\n", "Kyiv\nRome\n", "its row 2 is 'Paris', the input's is 'Rome'"),
    ("Kyiv\nParis\n", "Kyiv\n", "holds 2 rows, more than the input has"),
])
def test_resume_refuses_the_output_of_other_input(cli_runner: CliRunner, index: str,
                                                  tmp_path: Path, fmt: str, first: str,
                                                  second: str, why: str) -> None:
    out = tmp_path / f"out.{fmt}"
    assert geocode(cli_runner, index, "-", "-o", str(out), input=first).exit_code == 0
    before = out.read_bytes()
    result = geocode(cli_runner, index, "-", "-o", str(out), input=second)
    assert result.exit_code == 1
    assert why in result.stderr and "--restart" in result.stderr
    assert out.read_bytes() == before


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_resume_says_where_it_goes_on(cli_runner: CliRunner, index: str, tmp_path: Path,
                                      fmt: str) -> None:
    whole, part = tmp_path / f"whole.{fmt}", tmp_path / f"part.{fmt}"
    assert geocode(cli_runner, index, "-", "-o", str(whole), input="Kyiv\nParis\n").exit_code == 0
    assert geocode(cli_runner, index, "-", "-o", str(part), input="Kyiv\n").exit_code == 0
    result = geocode(cli_runner, index, "-", "-o", str(part), input="Kyiv\nParis\n")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{part}: resuming after row 1\n"
    assert part.read_bytes() == whole.read_bytes()


def test_restart_overwrites_the_output_of_other_input(cli_runner: CliRunner, index: str,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert geocode(cli_runner, index, "-", "-o", str(out), input="Kyiv\nParis\n").exit_code == 0
    result = geocode(cli_runner, index, "-", "-o", str(out), "--restart", input="Lviv\n")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["input"] for line in out.read_text().splitlines()] == ["Lviv"]
