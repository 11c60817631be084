"""Tests for ``mapper evaluate``: the report table, --json, and a GeoWebNews regression guard."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from mapper.cli import main

REPO = Path(__file__).resolve().parents[2]
GWN = REPO.parent / "shared" / "eval" / "gwn.jsonl"

GOLD = [
    {"id": "g1", "text": "Shelling was reported in Aleppo, Syria.", "toponyms": [
        {"start": 25, "end": 31, "lat": 36.20124, "lon": 37.16117, "geonameid": 170063,
         "type": "Literal"},
        {"start": 33, "end": 38, "lat": 35.02279, "lon": 38.5035, "geonameid": 163843,
         "type": "Literal"}]},
    {"id": "g2", "text": "Kondrovo in the Kaluga region was quiet.", "toponyms": [
        {"start": 0, "end": 8, "lat": 54.80639, "lon": 35.92778, "geonameid": 545575,
         "type": "Literal"},
        {"start": 16, "end": 22, "lat": 54.36727, "lon": 35.43804, "geonameid": 553899,
         "type": "Literal"}]},
]
COLUMNS = {"newsmapper", "population baseline"}


@pytest.fixture
def index(default_gazetteer: Gazetteer) -> str:
    return str(default_gazetteer.path)


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(doc) + "\n" for doc in GOLD), encoding="utf-8")
    return path


def test_table(cli_runner: CliRunner, index: str, gold: Path) -> None:
    result = cli_runner.invoke(main, ["evaluate", str(gold), "--index", index])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "acc@161km" in out
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert "newsmapper" in header
    assert "population baseline" in header
    assert "recognition, strict" in out  # end to end: recognition is scored too
    assert "end to end" in out.splitlines()[0]


def test_json_end_to_end(cli_runner: CliRunner, index: str, gold: Path) -> None:
    result = cli_runner.invoke(main, ["evaluate", str(gold), "--index", index, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["columns"]) == COLUMNS
    ours = report["columns"]["newsmapper"]
    assert ours["recognition"]["strict"]["tp"] == 4
    assert ours["recognition"]["strict"]["fp"] == 0
    assert ours["resolution"]["n"] == 4
    assert ours["resolution"]["acc161"] == 1.0
    assert ours["resolution"]["id_accuracy"] == 1.0
    assert set(ours["groups"]) == {"literal"}


def test_json_gold_spans_and_limit(cli_runner: CliRunner, index: str, gold: Path) -> None:
    result = cli_runner.invoke(main, ["evaluate", str(gold), "--index", index, "--json",
                                      "--gold-spans", "--limit", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "gold spans" in report["title"]
    assert set(report["columns"]) == COLUMNS
    for column in report["columns"].values():
        assert "recognition" not in column
        assert column["resolution"]["n"] == 2  # only the first document


def test_bad_gold_line_is_one_clear_line(cli_runner: CliRunner, index: str,
                                         tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOLD[0]) + "\n{not json\n", encoding="utf-8")
    result = cli_runner.invoke(main, ["evaluate", str(path), "--index", index])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}:2: not valid JSON")
    assert "skipped" not in result.stderr  # scoring stopped: nothing was skipped
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_gzip_gold_is_read(cli_runner: CliRunner, index: str, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(d) + "\n" for d in GOLD).encode()))
    result = cli_runner.invoke(main, ["evaluate", str(path), "--gold-spans", "--json",
                                      "--index", index])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["columns"]["newsmapper"]["resolution"]["n"] == 4


@pytest.mark.parametrize(("content", "message"), [
    (b"", "no gold document to score"),
    ("Caf\u00e9".encode("latin-1"), "not UTF-8"),
])
def test_unusable_gold_is_one_clear_error(cli_runner: CliRunner, index: str, tmp_path: Path,
                                          content: bytes, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_bytes(content)
    result = cli_runner.invoke(main, ["evaluate", str(path), "--index", index])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_limit_must_be_positive(cli_runner: CliRunner, gold: Path) -> None:
    result = cli_runner.invoke(main, ["evaluate", str(gold), "--limit", "-1"])
    assert result.exit_code == 2


def test_missing_gold_file_is_a_usage_error(cli_runner: CliRunner, tmp_path: Path) -> None:
    result = cli_runner.invoke(main, ["evaluate", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_help_has_an_example(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(main, ["evaluate", "-h"])
    assert result.exit_code == 0
    assert "Example" in result.stdout


@pytest.mark.shared
def test_geowebnews_gold_spans_regression_guard(cli_runner: CliRunner, index: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A guard against regressions, not the target: ids right ≥ 75 % and ≥ the baseline."""
    if not GWN.is_file():
        pytest.skip(f"needs {GWN}")
    monkeypatch.chdir(REPO)
    result = cli_runner.invoke(main, ["evaluate", "../shared/eval/gwn.jsonl", "--gold-spans",
                                      "--json", "--index", index])
    assert result.exit_code == 0, result.output
    columns = json.loads(result.stdout)["columns"]
    ours = columns["newsmapper"]["resolution"]
    baseline = columns["population baseline"]["resolution"]
    assert ours["n_ids"] > 1000
    assert ours["id_accuracy"] >= 0.75
    assert ours["id_accuracy"] >= baseline["id_accuracy"]
