"""Tests for ``mapper resolve``: exactly the given spans, output formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from mapper.cli import main

TEXT = "Rain hit Kondrovo and Xqzvbnm near the Kaluga region."
SPANS = [(9, 17), (22, 29), (39, 45)]


@pytest.fixture
def index(default_gazetteer: Gazetteer) -> str:
    return str(default_gazetteer.path)


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def lines_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def spans_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "spans.jsonl", [
        {"id": "r1", "text": TEXT, "mentions": [{"start": s, "end": e} for s, e in SPANS]},
        {"text": "Fresno, Texas", "toponyms": [{"start": 0, "end": 6, "type": "Literal"}]},
    ])


def test_outputs_exactly_the_given_spans(cli_runner: CliRunner, index: str,
                                         spans_file: Path) -> None:
    result = cli_runner.invoke(main, ["resolve", str(spans_file), "--index", index])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    first, second = lines_of(result.stdout)
    assert first["id"] == "r1"
    assert [(m["start"], m["end"]) for m in first["mentions"]] == SPANS
    assert [m["text"] for m in first["mentions"]] == ["Kondrovo", "Xqzvbnm", "Kaluga"]
    kondrovo, junk, kaluga = first["mentions"]
    assert kondrovo["geonameid"] == 545575
    assert junk["geonameid"] is None
    assert junk["score"] is None
    assert kaluga["geonameid"] == 553899
    # gold "toponyms" work as spans too; "Texas" is context only, not output
    assert second["id"] == "2"
    (fresno,) = second["mentions"]
    assert (fresno["text"], fresno["country_code"], fresno["admin1_code"]) == (
        "Fresno", "US", "TX")


def test_csv(cli_runner: CliRunner, index: str, spans_file: Path) -> None:
    result = cli_runner.invoke(main, ["resolve", str(spans_file), "--index", index,
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["text"]) for r in rows] == [
        ("r1", "Kondrovo"), ("r1", "Xqzvbnm"), ("r1", "Kaluga"), ("2", "Fresno")]
    assert rows[1]["geonameid"] == ""


def test_records_without_spans_are_reported(cli_runner: CliRunner, index: str,
                                            tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "some-bad.jsonl", [
        {"id": "nospans", "text": TEXT},
        {"id": "good", "text": "Paris", "mentions": [{"start": 0, "end": 5}]},
        {"id": "outside", "text": "Paris", "mentions": [{"start": 0, "end": 50}]},
        "not json",
    ])
    result = cli_runner.invoke(main, ["resolve", str(path), "--index", index])
    assert result.exit_code == 3
    (line,) = lines_of(result.stdout)
    assert line["id"] == "good"
    assert line["mentions"][0]["geonameid"] == 2988507
    errors = result.stderr.splitlines()
    assert len(errors) == 3
    # each names the file and line of its record, once
    assert errors[0] == f"{path}:1: no 'mentions' or 'toponyms' to resolve; record skipped"
    assert errors[1] == (f"{path}:3: span 0:50 is outside the text (5 characters); "
                         "record skipped")
    assert any(e.startswith(f"{path}:4: not valid JSON") for e in errors)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("mentions", "message"), [
    ([{"start": 3, "end": 1}], "span 3:1 is empty or ends before it starts"),
    ([{"start": "0", "end": 5}], "span offsets must be integers, not '0'"),
    ([{"start": True, "end": 5}], "span offsets must be integers, not True"),
    ([{"start": 0.0, "end": 5}], "span offsets must be integers, not 0.0"),
    ([{"end": 5}], "mentions item 1 has no 'start' and 'end'"),
    ({"start": 0, "end": 5}, "'mentions' is not a list"),
])
def test_bad_spans_say_what_is_wrong(cli_runner: CliRunner, index: str, tmp_path: Path,
                                     mentions: object, message: str) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [{"text": "Paris", "mentions": mentions}])
    result = cli_runner.invoke(main, ["resolve", str(path), "--index", index])
    assert result.exit_code == 1  # the only record was rejected: nothing was read
    assert result.stderr.splitlines()[0] == f"{path}:1: {message}; record skipped"


def test_nothing_resolvable_says_so(cli_runner: CliRunner, index: str,
                                    tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [{"text": "Paris", "mentions": [
        {"start": 3, "end": 1}]}])
    result = cli_runner.invoke(main, ["resolve", str(path), "--index", index])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: no record could be resolved"


def test_spans_come_back_in_the_order_given(cli_runner: CliRunner, index: str,
                                           tmp_path: Path) -> None:
    record = {"text": "Rain in Paris and Kaluga.",
              "mentions": [{"start": 18, "end": 24}, {"start": 8, "end": 13},
                           {"start": 18, "end": 24}]}
    path = write_jsonl(tmp_path / "order.jsonl", [record])
    result = cli_runner.invoke(main, ["resolve", str(path), "--index", index])
    assert result.exit_code == 0, result.output
    (line,) = lines_of(result.stdout)
    assert [m["text"] for m in line["mentions"]] == ["Kaluga", "Paris", "Kaluga"]


def test_stdin(cli_runner: CliRunner, index: str) -> None:
    record = {"id": "s", "text": "Paris", "mentions": [{"start": 0, "end": 5}]}
    result = cli_runner.invoke(main, ["resolve", "-", "--index", index],
                               input=json.dumps(record) + "\n")
    assert result.exit_code == 0, result.output
    assert [m["geonameid"] for m in lines_of(result.stdout)[0]["mentions"]] == [2988507]


def test_help_has_an_example(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(main, ["resolve", "-h"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
