"""Tests for ``mapper extract``: option mapping, output formats, stderr and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from mapper.cli import main

ARTICLES = [
    {"id": "a1", "text": "Shelling was reported in Aleppo, Syria."},
    {"text": "A fire broke out in Long Beach, California."},
    {"id": 7, "text": "Nothing happened anywhere today."},
]


@pytest.fixture
def index(default_gazetteer: Gazetteer) -> str:
    return str(default_gazetteer.path)


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def articles_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "articles.jsonl", [json.dumps(a) for a in ARTICLES])


def lines_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_jsonl_one_line_per_article(cli_runner: CliRunner, index: str,
                                    articles_file: Path) -> None:
    result = cli_runner.invoke(main, ["extract", str(articles_file), "--index", index])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = lines_of(result.stdout)
    assert [line["id"] for line in out] == ["a1", "2", "7"]  # missing id: the line number
    assert all(set(line) == {"id", "mentions"} for line in out)
    first = out[0]["mentions"]
    assert [(m["text"], m["geonameid"]) for m in first] == [
        ("Aleppo", 170063), ("Syria", 163843)]
    text = ARTICLES[0]["text"]
    assert all(text[m["start"]:m["end"]] == m["text"] for m in first)
    assert out[1]["mentions"][0]["geonameid"] == 5367929
    assert out[2]["mentions"] == []


def test_output_file(cli_runner: CliRunner, index: str, articles_file: Path,
                     tmp_path: Path) -> None:
    dest = tmp_path / "out.jsonl"
    result = cli_runner.invoke(main, ["extract", str(articles_file), "--index", index,
                                      "-o", str(dest)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert [line["id"] for line in lines_of(dest.read_text(encoding="utf-8"))] == [
        "a1", "2", "7"]


def test_csv_has_a_header_and_a_row_per_mention(cli_runner: CliRunner, index: str,
                                                articles_file: Path) -> None:
    result = cli_runner.invoke(main, ["extract", str(articles_file), "--index", index,
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = result.stdout.splitlines()[0].split(",")
    assert header[:4] == ["id", "start", "end", "text"]
    assert {"geonameid", "name", "lat", "lon", "score", "alternatives", "signals"} <= set(header)
    assert [(r["id"], r["text"]) for r in rows] == [
        ("a1", "Aleppo"), ("a1", "Syria"), ("2", "Long Beach"), ("2", "California")]
    assert rows[2]["geonameid"] == "5367929"
    assert isinstance(json.loads(rows[0]["alternatives"]), list)


def test_csv_without_mentions_still_has_its_header(cli_runner: CliRunner, index: str) -> None:
    result = cli_runner.invoke(main, ["extract", "-", "--format", "csv", "--index", index],
                               input="Nothing happened anywhere today.\n")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "id,start,end,text,geonameid,name,lat,lon,feature_class,feature_code,country_code,"
        "admin1_code,admin1_name,admin2_code,admin2_name,score,alternatives,signals"]


def test_with_text_gives_the_text_the_offsets_index(cli_runner: CliRunner, index: str,
                                                    tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text("<html><head><title>Floods</title></head><body><article><p>"
                    + "Heavy rain flooded streets in Kaluga on Monday, officials said. " * 4
                    + "</p></article></body></html>", encoding="utf-8")
    result = cli_runner.invoke(main, ["extract", str(page), "--with-text", "--index", index])
    assert result.exit_code == 0, result.output
    (line,) = lines_of(result.stdout)
    assert all(line["text"][m["start"]:m["end"]] == m["text"] for m in line["mentions"])
    assert line["mentions"] and "<p>" not in line["text"]


def test_with_text_is_for_jsonl(cli_runner: CliRunner, index: str,
                                articles_file: Path) -> None:
    result = cli_runner.invoke(main, ["extract", str(articles_file), "--with-text",
                                      "--format", "csv", "--index", index])
    assert result.exit_code == 2
    assert "--with-text" in result.stderr


def test_stdin_jsonl(cli_runner: CliRunner, index: str) -> None:
    stdin = json.dumps({"id": "s", "text": "Paris"}) + "\n"
    result = cli_runner.invoke(main, ["extract", "-", "--index", index], input=stdin)
    assert result.exit_code == 0, result.output
    (line,) = lines_of(result.stdout)
    assert line["id"] == "s"
    assert [m["geonameid"] for m in line["mentions"]] == [2988507]


def test_stdin_plain_text(cli_runner: CliRunner, index: str) -> None:
    result = cli_runner.invoke(main, ["extract", "-", "--index", index],
                               input="Kondrovo in the Kaluga region\n")
    assert result.exit_code == 0, result.output
    (line,) = lines_of(result.stdout)
    assert line["id"] == "stdin"
    assert [m["geonameid"] for m in line["mentions"]] == [545575, 553899]


def test_bad_line_exits_3_and_keeps_the_good_ones(cli_runner: CliRunner, index: str,
                                                  tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        json.dumps({"id": "ok1", "text": "Paris"}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "ok2", "text": "Kondrovo in the Kaluga region"}),
        json.dumps({"id": "notext"}),
    ])
    result = cli_runner.invoke(main, ["extract", str(path), "--index", index])
    assert result.exit_code == 3
    assert [line["id"] for line in lines_of(result.stdout)] == ["ok1", "ok2"]
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"{path}:2: not valid JSON")
    assert errors[1].startswith(f"{path}:4: no 'text' field")
    assert "Traceback" not in result.stderr


def test_missing_file_is_one_clear_line(cli_runner: CliRunner, index: str,
                                        tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    result = cli_runner.invoke(main, ["extract", str(missing), "--index", index])
    # nothing at all could be read: a failure, not "some records rejected"
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"{missing}: no such file\n"
                             "error: no article could be read from the input\n")


def test_a_missing_file_beside_a_good_one_exits_3(cli_runner: CliRunner, index: str,
                                                 articles_file: Path, tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["extract", str(articles_file),
                                      str(tmp_path / "nope.jsonl"), "--index", index])
    assert result.exit_code == 3
    assert len(lines_of(result.stdout)) == 3


def test_warnings_alone_exit_0(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_bytes("Flooding hit Orl\u00e9ans.".encode("cp1252"))
    result = cli_runner.invoke(main, ["extract", str(story), "--index", index])
    assert result.exit_code == 0
    assert f"{story}:1: warning: not valid UTF-8" in result.stderr
    assert lines_of(result.stdout)[0]["mentions"][0]["text"] == "Orl\u00e9ans"


def test_stdin_csv_with_a_text_header(cli_runner: CliRunner, index: str) -> None:
    stdin = "id,text\nc1,A fire broke out in Paris.\n"
    result = cli_runner.invoke(main, ["extract", "-", "--index", index], input=stdin)
    assert result.exit_code == 0, result.output
    (line,) = lines_of(result.stdout)
    assert (line["id"], line["mentions"][0]["geonameid"]) == ("c1", 2988507)


def test_stdin_jsonl_opening_with_a_bad_record(cli_runner: CliRunner, index: str) -> None:
    stdin = '["not an object"]\n' + json.dumps({"id": "s", "text": "Paris"}) + "\n"
    result = cli_runner.invoke(main, ["extract", "-", "--index", index], input=stdin)
    assert result.exit_code == 3
    assert [line["id"] for line in lines_of(result.stdout)] == ["s"]
    assert result.stderr.startswith("<stdin>:1: expected a JSON object, found an array")


def test_a_lone_surrogate_rejects_its_record_only(cli_runner: CliRunner, index: str,
                                                  tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", ['{"id": "x\\ud800", "text": "Paris"}',
                                              json.dumps({"id": "ok", "text": "Paris"})])
    result = cli_runner.invoke(main, ["extract", str(path), "--index", index])
    assert result.exit_code == 3
    assert [line["id"] for line in lines_of(result.stdout)] == ["ok"]
    assert f"{path}:1: not valid Unicode" in result.stderr


def test_a_closed_pipe_ends_quietly(index: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "many.jsonl",
                       [json.dumps({"text": "A fire broke out in Paris."})] * 3000)
    command = [sys.executable, "-c", "from mapper.cli import main; main()", "extract",
               str(path), "--index", index]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # as `| head -1` does
        stderr = proc.stderr.read()
    assert proc.returncode == 141
    assert stderr == b""


def test_missing_index_is_a_usage_error(cli_runner: CliRunner, articles_file: Path,
                                        tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["extract", str(articles_file),
                                      "--index", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_text_column(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "body.jsonl", [json.dumps({"id": "b", "body": "Paris"})])
    result = cli_runner.invoke(main, ["extract", str(path), "--index", index,
                                      "--text-column", "body"])
    assert result.exit_code == 0, result.output
    assert lines_of(result.stdout)[0]["mentions"][0]["geonameid"] == 2988507


@pytest.mark.parametrize("args", [["-h"], ["extract", "-h"], ["extract", "--help"]])
def test_help_has_an_example(cli_runner: CliRunner, args: list[str]) -> None:
    result = cli_runner.invoke(main, args)
    assert result.exit_code == 0
    assert "Example" in result.stdout
