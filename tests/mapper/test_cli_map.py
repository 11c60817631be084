import json
import re
from pathlib import Path

from click.testing import CliRunner

from mapper.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles.jsonl"


def test_map_writes_page_geojson_and_csv(cli_runner: CliRunner, default_gazetteer,
                                         tmp_path: Path) -> None:
    page, geo, table = tmp_path / "map.html", tmp_path / "i.geojson", tmp_path / "i.csv"
    result = cli_runner.invoke(main, ["map", str(EXAMPLES), "-o", str(page), "--geojson",
                                      str(geo), "--csv", str(table), "--index",
                                      str(default_gazetteer.path)])
    assert result.exit_code == 0, result.output
    assert "5 incidents (2 with a geography warning)" in result.stderr
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""<(?:script|link|img)[^>]+(?:src|href)=["']https?:""", html)
    collection = json.loads(geo.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 5
    assert table.read_text(encoding="utf-8").count("\n") == 6


def test_map_embed_prints_iframe(cli_runner: CliRunner, default_gazetteer,
                                 tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    result = cli_runner.invoke(main, ["map", str(EXAMPLES), "-o", str(page), "--embed",
                                      "--index", str(default_gazetteer.path)])
    assert result.exit_code == 0
    assert result.stdout.startswith("<iframe")
    assert 'src="./map.html"' in result.stdout  # the page's name, not this disk's path


def test_map_embed_encodes_the_page_name(cli_runner: CliRunner, default_gazetteer,
                                         tmp_path: Path) -> None:
    page = tmp_path / "kaluga:2024 #1.html"
    result = cli_runner.invoke(main, ["map", str(EXAMPLES), "-o", str(page), "--embed",
                                      "--index", str(default_gazetteer.path)])
    assert result.exit_code == 0, result.output
    assert 'src="./kaluga%3A2024%20%231.html"' in result.stdout


def test_map_bad_tiles_fail_before_any_work(cli_runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    result = cli_runner.invoke(main, ["map", str(tmp_path / "nothing-read.jsonl"), "-o",
                                      str(page), "--tiles", "notaurl"])
    assert result.exit_code == 1
    assert "tiles='notaurl'" in result.stderr
    assert "no such file" not in result.stderr and not page.exists()


def test_map_bad_event_file_is_one_line_error(cli_runner: CliRunner, default_gazetteer,
                                              tmp_path: Path) -> None:
    events = tmp_path / "events.tsv"
    events.write_text("no tab here\n", encoding="utf-8")
    result = cli_runner.invoke(main, ["map", str(EXAMPLES), "-o", str(tmp_path / "m.html"),
                                      "--events", str(events), "--index",
                                      str(default_gazetteer.path)])
    assert result.exit_code == 1
    assert "events.tsv:1:" in result.stderr
    assert "Traceback" not in result.stderr


def test_map_of_nothing_readable_keeps_the_last_page(cli_runner: CliRunner, default_gazetteer,
                                                    tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    page.write_text("the last map", encoding="utf-8")
    result = cli_runner.invoke(main, ["map", str(tmp_path / "typo.jsonl"), "-o", str(page),
                                      "--index", str(default_gazetteer.path)])
    assert result.exit_code == 1
    assert "no article could be read" in result.stderr
    assert page.read_text(encoding="utf-8") == "the last map"


def test_map_help_has_example(cli_runner: CliRunner) -> None:
    assert "Example" in cli_runner.invoke(main, ["map", "-h"]).output


def test_readme_opens_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    assert blocks[0] == "pip install . && mapper map examples/articles.jsonl -o map.html"
    assert blocks[1] == "pip install '.[test]' && python -m pytest"
    assert readme.index(blocks[0]) < readme.index("##")


def test_readme_main_command_runs(cli_runner: CliRunner, default_gazetteer,
                                  tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "map.html"
    args = ["map", "examples/articles.jsonl", "-o", str(out)]
    monkeypatch.setenv("MAPPER_GAZETTEER", str(default_gazetteer.path))
    result = cli_runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 100_000
