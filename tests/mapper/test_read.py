"""Tests for mapper.read: every format, every problem message, streaming and stdin."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.model import Article, Problem
from mapper.read import read_articles

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


def read(sources: object, **options: object) -> tuple[list[Article], list[Problem]]:
    problems: list[Problem] = []
    articles = list(read_articles(sources, problems=problems, **options))  # type: ignore[arg-type]
    return articles, problems


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- the example files -------------------------------------------------------------------

def test_text_file_is_one_article_named_by_its_stem() -> None:
    (article,), problems = read(ARTICLES / "kaluga_flood.txt")
    assert problems == []
    assert article.id == "kaluga_flood"
    assert article.title is None
    assert article.text == (ARTICLES / "kaluga_flood.txt").read_text(encoding="utf-8")


def test_jsonl_fields_default_ids_and_extra_keys() -> None:
    articles, problems = read(ARTICLES / "briefs.jsonl")
    assert problems == []
    assert [a.id for a in articles] == ["b1", "2", "3"]  # line 3 is blank, line 4 has id 3
    first = articles[0]
    assert (first.title, first.outlet, first.published) == ("Bridge closed", "Example Wire",
                                                             "2024-04-02")
    toponyms = first.get("toponyms")
    assert [first.text[t["start"]:t["end"]] for t in toponyms] == ["Oka", "Kaluga"]
    assert articles[2].url == "https://news.example.org/lb"


def test_csv_fields_row_numbers_and_quoted_newlines() -> None:
    articles, problems = read(ARTICLES / "briefs.csv")
    assert problems == []
    assert [a.id for a in articles] == ["c1", "2"]
    assert articles[0].published == "2024-01-05"
    assert articles[1].text == "A market opened in Kozelsk.\nIt sells local honey."
    assert articles[1].published is None


def test_html_text_and_metadata_without_comment_form() -> None:
    (article,), problems = read(ARTICLES / "riverton.html")
    assert problems == []
    assert article.id == "riverton"
    assert article.title == "Flood closes bridge in Riverton"
    assert article.url == "https://courier.example.org/news/flood-bridge"
    assert article.outlet == "The Valley Courier"
    assert article.published == "2024-03-05"
    assert "Mill River over its banks" in article.text
    for boilerplate in ("email address", "Leave a Reply", "Post Comment", "Sport", "Copyright"):
        assert boilerplate not in article.text


def test_folder_is_read_recursively_sorted_supported_only() -> None:
    articles, problems = read(ARTICLES)
    assert [a.id for a in articles] == ["c1", "2", "b1", "2", "3", "kaluga_flood", "notes",
                                        "riverton"]
    # the one file of another type is passed over, and said to be
    (problem,) = problems
    assert problem.warning and "passed over 1 file(s) of other types (1 .log)" in problem.message


def test_a_folder_passes_over_its_project_documents(tmp_path: Path) -> None:
    write(tmp_path / "README.md", "Notes on how this corpus of Kaluga stories was made.")
    write(tmp_path / "LICENSE.txt", "Free to use.")
    write(tmp_path / "story.txt", "A bridge collapsed in Kaluga.")
    articles, problems = read(tmp_path)
    assert [a.id for a in articles] == ["story"]
    assert [(Path(p.path).name, p.warning) for p in problems] == [("LICENSE.txt", True),
                                                                 ("README.md", True)]
    # named by itself, a document is read
    (article,), _ = read(tmp_path / "README.md")
    assert article.id == "README"


def test_an_article_named_like_a_document_is_still_read(tmp_path: Path) -> None:
    write(tmp_path / "changes-in-kaluga-after-the-flood.txt", "Roads reopened in Kaluga.")
    write(tmp_path / "License-plate-thefts-in-Tver.txt", "Thefts rose in Tver.")
    articles, problems = read(tmp_path)
    assert len(articles) == 2 and problems == []


def test_several_sources_in_order_and_a_single_path_as_str() -> None:
    articles, _ = read([ARTICLES / "kaluga_flood.txt", str(ARTICLES / "more" / "notes.md")])
    assert [a.id for a in articles] == ["kaluga_flood", "notes"]
    articles, _ = read(str(ARTICLES / "kaluga_flood.txt"))
    assert len(articles) == 1


# -- problems ----------------------------------------------------------------------------

def test_missing_file(tmp_path: Path) -> None:
    articles, problems = read(tmp_path / "nope.jsonl")
    assert articles == []
    assert problems == [Problem(str(tmp_path / "nope.jsonl"), None, "no such file")]


@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.csv", "empty.html"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, "  \n\n")
    articles, problems = read(path)
    assert articles == []
    assert [(p.line, p.message) for p in problems] == [(None, "empty file; nothing read")]


def test_empty_folder_and_unsupported_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    write(tmp_path / "folder" / "a.pdf", "x")
    pdf = write(tmp_path / "b.pdf", "x")
    _, problems = read([tmp_path / "folder", pdf])
    assert problems[0].warning and "(1 .pdf)" in problems[0].message
    assert "no supported files in folder" in problems[1].message
    assert not problems[1].warning
    assert problems[2].message.startswith("unsupported file type .pdf (supported: .txt")


def test_jsonl_bad_lines_are_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", "\n".join([
        '{"text": "fine"}',
        '{"text": "broken" "id": 2}',
        '["text"]',
        '{"id": "x", "body": "no text here"}',
        '{"text": 42}',
        '{"text": "   "}',
        '{"text": "also fine", "id": 7}',
    ]))
    articles, problems = read(path)
    assert [a.id for a in articles] == ["1", "7"]
    assert [str(p) for p in problems] == [
        f"{path}:2: not valid JSON (expecting ',' delimiter at column 19); line skipped",
        f"{path}:3: expected a JSON object, found an array; line skipped",
        f"{path}:4: no 'text' field (keys: id, body); line skipped",
        f"{path}:5: 'text' is a number, not a string; line skipped",
        f"{path}:6: empty 'text'; line skipped",
    ]


def test_text_column_option_for_jsonl_and_csv(tmp_path: Path) -> None:
    jsonl = write(tmp_path / "a.jsonl", '{"body": "Rain in Tula.", "id": "t"}\n')
    csv_file = write(tmp_path / "b.csv", "id,body\nu,Snow in Orel.\n")
    articles, problems = read([jsonl, csv_file], text_column="body")
    assert problems == []
    assert [(a.id, a.text) for a in articles] == [("t", "Rain in Tula."), ("u", "Snow in Orel.")]
    assert all(a.get("body") is None for a in articles)


def test_csv_without_text_column_names_its_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "id,body,title\n1,x,y\n")
    articles, problems = read(path)
    assert articles == []
    assert problems == [Problem(str(path), None,
                                "no 'text' column (columns: id, body, title); file skipped: "
                                "name the text column with --text-column")]


def test_csv_with_another_separator_gets_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "id;text\n1;x\n")
    _, (problem,) = read(path)
    assert "(is the file separated by another character?)" in problem.message


def test_csv_bad_rows_carry_their_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", 'id,text\n1,"two\nlines"\n2\n3,\n4,ok,extra\n5,fine\n')
    articles, problems = read(path)
    assert [a.id for a in articles] == ["1", "5"]
    assert [(p.line, p.message) for p in problems] == [
        (4, "1 fields where the header has 2; row skipped"),
        (5, "empty 'text'; row skipped"),
        (6, "3 fields where the header has 2; row skipped"),
    ]


def test_an_unclosed_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", 'id,text\n1,"Rain in Oslo.\n2,Fire in Rome.\n')
    articles, problems = read(path)
    assert articles == []
    assert [(p.line, p.message, p.warning) for p in problems] == [
        (2, "a quoted field opened in this row is never closed; lines 2-3 skipped", False)]


def test_json_messages_say_at_once(tmp_path: Path) -> None:
    _, (problem,) = read(write(tmp_path / "a.jsonl", '{"text": "a\tb"}\n'))
    assert "character at column" in problem.message
    assert " at at " not in problem.message


def test_a_published_value_that_is_no_date_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"text": "Rain in Tver.", "published": "soon"}\n')
    (article,), (problem,) = read(path)
    assert article.published == "soon"
    assert (problem.line, problem.warning) == (1, True)
    assert "'published' 'soon' is not a date" in problem.message


def test_csv_header_only(tmp_path: Path) -> None:
    _, problems = read(write(tmp_path / "a.csv", "id,text\n"))
    assert [(p.message, p.warning) for p in problems] == [
        ("no rows after the header; nothing read", True)]


def test_tsv_and_extra_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", "text\tsection\nA fire in Tver.\tlocal\n")
    (article,), problems = read(path)
    assert problems == []
    assert (article.id, article.text, article.get("section")) == ("1", "A fire in Tver.",
                                                                 "local")


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl", "a.csv", "a.html"])
def test_binary_files_are_rejected_whole(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    articles, problems = read(path)
    assert articles == []
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [(None, "binary file")]


def test_utf16_is_binary_with_advice(tmp_path: Path) -> None:
    _, (problem,) = read(write(tmp_path / "a.txt", "Rain in Kursk.".encode("utf-16")))
    assert "re-saved as UTF-8" in problem.message


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", b'\xef\xbb\xbf{"text": "Fog in Pskov."}\n')
    csv_path = write(tmp_path / "b.csv", b"\xef\xbb\xbfid,text\n1,Fog in Pskov.\n")
    txt_path = write(tmp_path / "c.txt", b"\xef\xbb\xbfFog in Pskov.")
    articles, problems = read([path, csv_path, txt_path])
    assert problems == []
    assert [a.text for a in articles] == ["Fog in Pskov."] * 3


def test_cp1252_is_read_with_one_warning(tmp_path: Path) -> None:
    text = "Caf\u00e9 closed in Orl\u00e9ans \u2013 again.\nSecond line \u00e9t\u00e9.\n"
    (article,), problems = read(write(tmp_path / "a.txt", text.encode("cp1252")))
    assert article.text == text
    assert problems == [Problem(str(tmp_path / "a.txt"), 1,
                                "not valid UTF-8 (byte 0xe9 at column 4); such bytes read as "
                                "cp1252: check the text, or re-save the file as UTF-8",
                                warning=True)]


def test_only_the_stray_bytes_are_read_as_cp1252(tmp_path: Path) -> None:
    data = "Fires in Krak\u00f3w and \u0141\u00f3d\u017a.\n".encode() + b"Fares rose \xa35.\n"
    (article,), (problem,) = read(write(tmp_path / "a.txt", data))
    assert article.text == "Fires in Krak\u00f3w and \u0141\u00f3d\u017a.\nFares rose \u00a35.\n"
    assert problem.line == 2 and problem.warning


def test_cp1252_jsonl_warns_once_at_the_first_bad_line(tmp_path: Path) -> None:
    lines = ['{"text": "plain"}', '{"text": "Orl\u00e9ans"}', '{"text": "S\u00e8vres"}']
    articles, problems = read(write(tmp_path / "a.jsonl", "\n".join(lines).encode("cp1252")))
    assert [a.text for a in articles] == ["plain", "Orl\u00e9ans", "S\u00e8vres"]
    assert [(p.line, p.message[:40]) for p in problems] == [
        (2, "not valid UTF-8 (byte 0xe9 at column 14)")]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    (article,), (problem,) = read(write(tmp_path / "a.txt", b"abc \x81 def"))
    assert article.text == "abc \x81 def"
    assert "not valid UTF-8 (byte 0x81" in problem.message


def test_gzip_jsonl_and_gzip_by_magic(tmp_path: Path) -> None:
    data = gzip.compress(b'{"text": "Ice on the Volga."}\n')
    named = write(tmp_path / "a.jsonl.gz", data)
    unnamed = write(tmp_path / "b.jsonl", data)
    articles, problems = read([named, unnamed])
    assert problems == []
    assert [a.text for a in articles] == ["Ice on the Volga."] * 2


def test_gzip_text_file_id_drops_both_suffixes(tmp_path: Path) -> None:
    (article,), _ = read(write(tmp_path / "story.txt.gz", gzip.compress(b"Wind in Kaluga.")))
    assert article.id == "story"


def test_corrupt_gzip_is_reported(tmp_path: Path) -> None:
    data = gzip.compress(b'{"text": "x"}\n' * 1000)
    _, problems = read(write(tmp_path / "a.jsonl.gz", data[: len(data) // 2]))
    assert len(problems) == 1
    assert problems[0].message.startswith("corrupt gzip data")


def test_without_a_problems_list_problems_are_logged(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    assert list(read_articles(tmp_path / "missing.txt")) == []
    assert "missing.txt: no such file" in caplog.text


def test_hidden_files_and_folders_are_passed_over(tmp_path: Path) -> None:
    write(tmp_path / ".draft.txt", "hidden")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "x.txt", "hidden")
    write(tmp_path / "b.txt", "seen")
    articles, _ = read(tmp_path)
    assert [a.id for a in articles] == ["b"]


# -- size and streaming ------------------------------------------------------------------

def test_a_10_mb_article_is_read(tmp_path: Path) -> None:
    body = "Rain fell on Kaluga again. " * 400_000  # about 10.8 MB
    jsonl = write(tmp_path / "big.jsonl", json.dumps({"text": body}) + "\n")
    csv_file = write(tmp_path / "big.csv", f'text\n"{body}"\n')
    txt = write(tmp_path / "big.txt", body)
    articles, problems = read([jsonl, csv_file, txt])
    assert problems == []
    assert [len(a.text) for a in articles] == [len(body)] * 3


def test_jsonl_is_streamed(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"text": "one"}\n{"text": "two"}\n')
    problems: list[Problem] = []
    stream = read_articles(path, problems=problems)
    assert next(stream).text == "one"
    path.write_text("")  # the rest is read lazily from the open file
    assert next(stream).text == "two"


# -- stdin -------------------------------------------------------------------------------

def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))


def test_stdin_jsonl_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b'\n  {"text": "Heat in Omsk."}\n{"text": 1}\n')
    articles, problems = read("-")
    assert [(a.id, a.text) for a in articles] == [("2", "Heat in Omsk.")]
    assert [str(p) for p in problems] == ["<stdin>:3: 'text' is a number, not a string; "
                                          "line skipped"]


def test_stdin_plain_text_is_one_article(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b"Heat in Omsk.\n{not json}\n")
    (article,), problems = read("-")
    assert problems == []
    assert (article.id, article.text) == ("stdin", "Heat in Omsk.\n{not json}\n")


@pytest.mark.parametrize(("data", "kind"), [
    (b'{"text": "Heat."}\n', "jsonl"),
    (b'["a list"]\n', "jsonl"),
    (b"[Wire] Heat in Omsk.\n", "text"),
    (b"id,text\n1,Heat in Omsk.\n", "csv"),
    (b"\xef\xbb\xbftext\tid\nHeat in Omsk.\t1\n", "tsv"),
    (b"Heat, dust and text in Omsk.\n", "text"),
    (b"Photos, text, and video show flooding in Kaluga.\n", "text"),
    (b",id,text\n0,a,Heat in Omsk.\n", "csv"),               # pandas' unnamed index
    (b"Old editor\rline endings\n", "text"),
    (b"Heat " * 40_000 + b"in Omsk.\n", "text"),             # a first line over 128 KiB
    (b"Photos, text, video from Kharkiv\nShelling hit the city overnight.\n", "text"),
    (b"No.,text\n1,Heat in Omsk.\n", "csv"),
    (b"\xef\xbb\xbf\nid,text\n1,Heat in Omsk.\n", "csv"),      # a BOM, then a blank line
    (b'text,id\n"Rain in\nOslo.",1\n', "csv"),                 # a quoted line break
    (b"id,text\n", "csv"),                                      # a header alone
    (b"Photos, text, video from Kharkiv.", "text"),              # a headline alone
])
def test_stdin_format_from_its_first_line(data: bytes, kind: str) -> None:
    from mapper.read import _stdin_kind

    assert _stdin_kind(data, "text") == kind


def test_stdin_csv_is_read_whole_after_its_sniffed_first_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b"\nid,text\nc1,Heat in Omsk.\nc2,Rain in Tver.\n")
    articles, problems = read("-")
    assert [(a.id, a.text) for a in articles] == [("c1", "Heat in Omsk."),
                                                  ("c2", "Rain in Tver.")]
    assert problems == []


def test_stdin_with_a_nul_after_its_first_line_is_binary(
        monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b"id,text\n1,Heat in Omsk.\n2,\x00\x00\n")
    articles, (problem,) = read("-")
    assert articles == [] and problem.message.startswith("binary file")


def test_stdin_gzip_is_decompressed(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, gzip.compress(b'{"id": "g", "text": "Heat in Omsk."}\n'))
    (article,), problems = read("-")
    assert (article.id, problems) == ("g", [])


@pytest.mark.parametrize("data", [
    gzip.compress(b'{"text": "Heat in Omsk."}\n' * 50)[:-12],   # cut short
    b"\x1f\x8b\x08\x00broken",
])
def test_stdin_corrupt_gzip_is_reported(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    feed_stdin(monkeypatch, data)
    _, problems = read("-")
    assert problems[-1].message.startswith("corrupt gzip data")


def test_stdin_text_column_with_a_space(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b"id,Article Text\n1,Heat in Omsk.\n")
    (article,), _ = read("-", text_column="Article Text")
    assert article.text == "Heat in Omsk."


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b"")
    articles, problems = read("-")
    assert articles == []
    assert [str(p) for p in problems] == ["<stdin>: warning: empty input; nothing read"]


def test_stdin_replaced_by_a_text_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"text": "Smoke over Chita."}\n'))
    (article,), _ = read("-")
    assert article.text == "Smoke over Chita."


# -- the property: every line is an article or a problem ---------------------------------

_LINE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"),
            max_size=40),
    st.builds(json.dumps, st.dictionaries(
        st.sampled_from(["text", "title", "url", "toponyms", "x"]),
        st.one_of(st.none(), st.integers(), st.text(max_size=20),
                  st.lists(st.integers(), max_size=3)),
        max_size=4)),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_LINE, max_size=12))
def test_every_jsonl_line_is_an_article_or_a_problem(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "prop.jsonl"
    data = "\n".join(lines).encode("utf-8")
    path.write_bytes(data)
    articles, problems = read(path)
    if b"\x00" in data[:8192]:
        assert articles == [] and [p.line for p in problems] == [None]
        return
    numbered = [(n, line.removeprefix("\ufeff") if n == 1 else line)
                for n, line in enumerate(lines, 1)]
    records = [n for n, line in numbered if line.strip()]
    if not records:
        assert articles == [] and [p.message for p in problems] == ["empty file; nothing read"]
        return
    assert all(p.line is not None for p in problems)
    from_articles = [int(a.id) for a in articles]
    from_problems = [p.line for p in problems]
    assert sorted(from_articles + from_problems) == records  # type: ignore[type-var]


def test_html_comment_form_lines_inside_the_post_are_dropped(tmp_path: Path) -> None:
    page = ("<html><head><title>Fire in Tver</title></head><body><div class='post'>"
            "<p>A fire broke out in a warehouse in Tver on Friday night, the regional "
            "emergency service said, and forty firefighters worked until morning.</p>"
            "<p>Your email address will not be published. Required fields are marked *</p>"
            "<p>Leave a Reply</p></div></body></html>")
    (article,), problems = read(write(tmp_path / "fire.htm", page))
    assert problems == []
    assert article.title == "Fire in Tver"
    assert article.text.startswith("A fire broke out")
    assert "email address" not in article.text and "Reply" not in article.text


def test_html_without_text_is_reported(tmp_path: Path) -> None:
    _, problems = read(write(tmp_path / "blank.html", "<html><body></body></html>"))
    assert [p.message for p in problems] == [
        "no article text found in the HTML page; file skipped"]
