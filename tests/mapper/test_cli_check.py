"""Tests for ``mapper check``: output formats, stdin, stderr messages and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from mapper.cli import main

DRONE = ("Officials said a drone was brought down above Dzhezkazgan district in the Kaluga "
         "region on Tuesday.")
TOWN = "Shops reopened in Kondrovo in the Kaluga region."
QUIET = "Nothing happened anywhere today."


@pytest.fixture
def index(default_gazetteer: Gazetteer) -> str:
    return str(default_gazetteer.path)


def lines_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(f"{DRONE}\n\n{TOWN}\n", encoding="utf-8")
    return path


def test_jsonl_from_a_text_file(cli_runner: CliRunner, index: str, story: Path) -> None:
    result = cli_runner.invoke(main, ["check", str(story), "--index", index])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    (line,) = lines_of(result.stdout)
    assert set(line) == {"id", "findings"}
    assert line["id"] == "story"
    drone, town = line["findings"]
    assert drone["verdict"] == "inconsistent"
    assert (drone["place"]["text"], drone["parent"]["text"]) == ("Dzhezkazgan", "Kaluga")
    assert drone["place_geonameid"] == 1516589
    assert drone["actual"]["country_code"] == "KZ"
    assert drone["suggestions"][0]["geonameid"] == 563697
    assert town["verdict"] == "consistent"
    assert town["place_geonameid"] == 545575
    text = story.read_text(encoding="utf-8")
    for finding in line["findings"]:
        span = finding["place"]
        assert text[span["start"]:span["end"]] == span["text"]


def test_table_has_one_line_per_claim(cli_runner: CliRunner, index: str,
                                      story: Path) -> None:
    result = cli_runner.invoke(main, ["check", str(story), "--index", index,
                                      "--format", "table"])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert len(rows) == 2
    drone, town = rows
    assert drone.startswith("story\t")
    assert "Dzhezkazgan" in drone
    assert "INCONSISTENT" in drone
    assert "Dzerzhinskiy Rayon" in drone  # the "did you mean" is in the evidence
    assert "Kondrovo" in town
    assert "CONSISTENT" in town
    assert "INCONSISTENT" not in town


def test_table_is_empty_without_claims(cli_runner: CliRunner, index: str) -> None:
    result = cli_runner.invoke(main, ["check", "-", "--index", index, "--format", "table"],
                               input=QUIET + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_stdin(cli_runner: CliRunner, index: str) -> None:
    result = cli_runner.invoke(main, ["check", "-", "--index", index], input=DRONE + "\n")
    assert result.exit_code == 0, result.output
    (line,) = lines_of(result.stdout)
    assert line["id"] == "stdin"
    assert [f["verdict"] for f in line["findings"]] == ["inconsistent"]


def test_output_file(cli_runner: CliRunner, index: str, story: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    result = cli_runner.invoke(main, ["check", str(story), "--index", index, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    (line,) = lines_of(out.read_text(encoding="utf-8"))
    assert len(line["findings"]) == 2


def test_bad_jsonl_line_is_reported_and_the_rest_go_on(cli_runner: CliRunner, index: str,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "drone", "text": DRONE}),
        "{not json",
        json.dumps({"id": "quiet", "text": QUIET}),
    ]) + "\n", encoding="utf-8")
    result = cli_runner.invoke(main, ["check", str(path), "--index", index])
    assert result.exit_code == 3
    lines = lines_of(result.stdout)
    assert [line["id"] for line in lines] == ["drone", "quiet"]
    assert [f["verdict"] for f in lines[0]["findings"]] == ["inconsistent"]
    assert lines[1]["findings"] == []
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"{path}:2: ")
    assert "Traceback" not in result.stderr


def test_missing_file_fails_with_one_line_on_stderr(cli_runner: CliRunner, index: str,
                                                    tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["check", str(tmp_path / "absent.txt"), "--index", index])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"{tmp_path / 'absent.txt'}: no such file\n"
                             "error: no article could be read from the input\n")
    assert "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(cli_runner: CliRunner, story: Path) -> None:
    result = cli_runner.invoke(main, ["check", str(story), "--format", "csv"])
    assert result.exit_code == 2


def test_help_has_an_example(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(main, ["check", "-h"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert "--format" in result.stdout
