"""Read articles from text files, folders, JSONL, CSV/TSV, HTML pages and stdin.

Every source becomes a stream of :class:`~mapper.model.Article`; every record that cannot
be used becomes a :class:`~mapper.model.Problem` for the caller, and reading goes on.

Formats, chosen by file suffix (a trailing ``.gz`` is allowed on each, and gzip data is
recognised by its magic bytes whatever the name):

- ``.txt``, ``.md``: the whole file is one article; its id is the file name without suffixes.
- ``.jsonl``, ``.ndjson``: one JSON object a line, read line by line (never the whole file).
  Only ``text`` is required; ``id``, ``title``, ``url``, ``outlet``, ``published`` and
  ``language`` are optional and a missing id becomes the 1-based line number. Other keys
  (gold ``toponyms``, ``mentions``) are kept in ``Article.extra``. Blank lines are ignored.
- ``.csv``, ``.tsv``: a header row and a ``text`` column, same optional columns; a missing
  id becomes the row number (1 for the first row after the header).
- ``.html``, ``.htm``: the article text is extracted with trafilatura, without comments,
  navigation and comment-form boilerplate; title, url, outlet and date come from the
  page's metadata.
- a folder: every supported file in it and below, in sorted order; hidden files and
  folders and other suffixes are passed over.
- ``-``: standard input (gzip data is decompressed): JSONL when its first line is a JSON
  object (or other bracketed JSON), CSV/TSV when its first line is a header of short
  column names that includes the text column, else one plain-text article with id
  ``stdin``.

Encoding policy. Input is expected in UTF-8 (a byte-order mark is dropped). A file with NUL
bytes near its start is binary (or UTF-16) and is rejected whole. Bytes that are not
UTF-8 are read as cp1252 (latin-1 where cp1252 has no character), which is what such
files almost always are, and the article is kept; the UTF-8 around them is kept as it is.
One Problem per file says where the first such byte was, so the caller can tell the user
to check the text or re-save it as UTF-8. That Problem is a warning (``warning=True``), as
are empty inputs and the files a folder passes over: no record was skipped.

A folder passes over project documents (README, LICENSE, CHANGELOG …) and files of other
types, with a warning saying so.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import logging
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .event_dates import parse_date
from .model import Article, Problem

__all__ = ["SUPPORTED_SUFFIXES", "PlaceRow", "is_table", "read_articles", "read_place_rows"]

log = logging.getLogger(__name__)

_KINDS = {".txt": "text", ".md": "text", ".jsonl": "jsonl", ".ndjson": "jsonl",
          ".csv": "csv", ".tsv": "tsv", ".html": "html", ".htm": "html"}
SUPPORTED_SUFFIXES = tuple(_KINDS)
STDIN = "-"
STDIN_NAME = "<stdin>"
_SNIFF = 8192  # bytes looked at for NUL (binary) and for the stdin format
_FIELD_LIMIT = 2**31 - 1  # csv's default of 128 KiB would reject long articles
# the whole name: "README.md", "LICENSE.txt", but not "changes-in-kaluga.txt"
_DOCUMENT = re.compile(r"(?:README|LICEN[CS]E|CHANGELOG|CHANGES|CONTRIBUTING|COPYING)"
                       r"(?:\.[A-Za-z]+)*", re.IGNORECASE)
_BINARY = "binary file (NUL bytes; UTF-16 must be re-saved as UTF-8); file skipped"
_BOILERPLATE = re.compile(
    r"your email address will not be published|required fields are marked|"
    r"leave a (reply|comment)|post comment|save my name, email|"
    r"notify me of (follow-up comments|new posts)|you must be logged in to post a comment",
    re.IGNORECASE)

Report = Callable[..., None]  # (path, line, message, *, warning=False)
Stream = io.BufferedIOBase  # bytes, from a file, gzip data or stdin


def read_articles(
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    text_column: str = "text",
    problems: list[Problem] | None = None,
) -> Iterator[Article]:
    """Read articles from files, folders and stdin, reporting bad records as problems.

    Parameters
    ----------
    sources
        A path, ``"-"`` for standard input, or an iterable of them. See the module
        docstring for the formats.
    text_column
        The field (JSONL) or column (CSV/TSV) that holds the article text.
    problems
        A list that receives one :class:`Problem` per record or file that could not be
        read (and per file read with a legacy encoding). Problems are appended while the
        iterator is consumed. Without a list they are logged as warnings.

    Returns
    -------
    Iterator[Article]
        The readable articles, in source order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.jsonl").write_text('{"text": "Rain in Kaluga."}\\n{"id": 7}\\n')
    >>> found = []
    >>> [a.id for a in read_articles(folder / "a.jsonl", problems=found)]
    ['1']
    >>> print(found[0].line, found[0].message)
    2 no 'text' field (keys: id); line skipped
    """
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    report = _reporter(problems)
    for source in sources:
        if os.fspath(source) == STDIN:
            yield from _read_stdin(text_column, report)
        else:
            yield from _read_path(Path(source), os.fspath(source), text_column, report)


def _reporter(problems: list[Problem] | None) -> Report:
    def report(path: str, line: int | None, message: str, *, warning: bool = False) -> None:
        problem = Problem(path, line, message, warning)
        if problems is None:
            log.warning("%s", problem)
        else:
            problems.append(problem)
    return report


def _kind(path: Path) -> str | None:
    """The reader for a file name: its suffix, looking through a trailing ``.gz``."""
    name = path.name.lower().removesuffix(".gz")
    return _KINDS.get(os.path.splitext(name)[1])


def _stem(path: Path) -> str:
    name = path.name.removesuffix(".gz").removesuffix(".GZ")
    return os.path.splitext(name)[0]


def _read_path(path: Path, shown: str, text_column: str, report: Report) -> Iterator[Article]:
    if path.is_dir():
        files = _walk(path, report)
        if not files:
            report(shown, None, "no supported files in folder (looked for "
                                f"{', '.join(SUPPORTED_SUFFIXES)}); nothing read")
        for file in files:
            yield from _read_file(file, str(file), text_column, report)
    elif not path.exists():
        report(shown, None, "no such file")
    else:
        yield from _read_file(path, shown, text_column, report)


def _walk(folder: Path, report: Report) -> list[Path]:
    """The supported, non-hidden files under a folder, sorted by their relative path.

    A corpus folder often carries its own README or LICENSE: those are no articles, and
    are passed over with a warning (name such a file to read it). Files of other types
    are counted in one warning, so nothing is left out unsaid.
    """
    def failed(exc: OSError) -> None:
        report(str(exc.filename), None, f"cannot read folder ({exc.strerror}); skipped")

    found, other = [], Counter[str]()
    for root, dirs, files in os.walk(folder, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(files):
            if name.startswith("."):
                continue
            if _kind(Path(name)) is None:
                other[Path(name).suffix.lower() or "(none)"] += 1
            elif _DOCUMENT.fullmatch(name):
                report(str(Path(root, name)), None, "passed over: a project document, not an "
                       "article (name the file itself to read it)", warning=True)
            else:
                found.append(Path(root, name))
    if other:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(other.items()))
        report(os.fspath(folder), None, f"passed over {sum(other.values())} file(s) of other "
               f"types ({kinds}); supported: {', '.join(SUPPORTED_SUFFIXES)}", warning=True)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _read_file(path: Path, shown: str, text_column: str, report: Report) -> Iterator[Article]:
    kind = _kind(path)
    if kind is None:
        suffix = path.suffix or "(none)"
        report(shown, None, f"unsupported file type {suffix} (supported: "
                            f"{', '.join(SUPPORTED_SUFFIXES)}, each also .gz); file skipped")
        return
    try:
        with _open_binary(path) as stream:
            if kind == "text":
                yield from _read_text(stream, shown, _stem(path), report)
            elif kind == "html":
                yield from _read_html(stream, shown, _stem(path), report)
            elif kind == "jsonl":
                yield from _read_jsonl(stream, shown, text_column, report)
            else:
                yield from _read_csv(stream, shown, text_column, report, kind)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        report(shown, None, f"corrupt gzip data ({exc}); rest of file skipped")
    except OSError as exc:
        report(shown, None, f"cannot read ({exc.strerror or exc}); file skipped")


def _open_binary(path: Path) -> Stream:
    """Open a file for reading bytes, decompressing gzip data whatever the file is called."""
    with open(path, "rb") as probe:
        is_gzip = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if is_gzip else open(path, "rb")


def _stdin_bytes() -> io.BufferedReader:
    """Standard input as a peekable byte stream (tests and notebooks may swap in text)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if isinstance(buffer, io.BufferedReader):
        return buffer
    if buffer is not None:
        return io.BufferedReader(buffer)
    text = sys.stdin.read() if sys.stdin is not None else ""
    return io.BufferedReader(io.BytesIO(text.encode("utf-8", "surrogateescape")))  # type: ignore[arg-type]


def _read_stdin(text_column: str, report: Report) -> Iterator[Article]:
    try:
        stream = _stdin_stream()
        # the first record's lines, whole however a producer splits its writes; then the
        # stream gives them back before the rest
        head = _first_lines(stream)
        if b"\x00" in head + stream.peek(_SNIFF)[:_SNIFF]:
            report(STDIN_NAME, None, _BINARY)
            return
        kind = _stdin_kind(head, text_column)
        stream = io.BufferedReader(_Rejoined(head, stream))
        if kind == "jsonl":
            yield from _read_jsonl(stream, STDIN_NAME, text_column, report)
        elif kind in ("csv", "tsv"):
            yield from _read_csv(stream, STDIN_NAME, text_column, report, kind)
        else:
            yield from _read_text(stream, STDIN_NAME, "stdin", report)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        report(STDIN_NAME, None, f"corrupt gzip data ({exc}); rest of the input skipped")


def _stdin_stream() -> io.BufferedReader:
    """Standard input as bytes, gzip data decompressed (recognised by its magic bytes)."""
    stream = _stdin_bytes()
    magic = stream.read(2)  # read, not peek: a producer may write one byte at a time
    stream = io.BufferedReader(_Rejoined(magic, stream))
    if magic == b"\x1f\x8b":
        return io.BufferedReader(gzip.GzipFile(fileobj=stream))  # type: ignore[arg-type]
    return stream


def _first_lines(stream: io.BufferedReader) -> bytes:
    """Blank lines, then the first two lines with text: enough to tell a CSV header."""
    head, found = b"", 0
    while found < 2:
        line = stream.readline()
        if not line:
            break
        head += line
        found += bool(line.removeprefix(codecs.BOM_UTF8).strip())
    return head


class _Rejoined(io.RawIOBase):
    """A byte stream that gives back bytes already read from it, then the rest."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read1(len(buffer))
        buffer[:len(data)] = data
        return len(data)


_SENTENCE_END = (".", "!", "?")


def _is_column_name(field: str) -> bool:
    """A header cell: short, a few words at most ("", "No.", "Article Text")."""
    return len(field) <= 64 and len(field.split()) <= 4


def _stdin_kind(head: bytes, text_column: str) -> str:
    """What standard input holds, from its first lines: JSONL, CSV/TSV or plain text.

    JSONL opens with an object, or with any JSON line in brackets (a bad record, which is
    then reported rather than read as prose). CSV/TSV opens with a header of short
    column names that includes the text column, and its next row has as many fields: a
    headline such as "Photos, text, video from Kharkiv" above a story is an article.
    """
    lines = [line.removesuffix("\r") for line in head.removeprefix(codecs.BOM_UTF8).decode(
        "utf-8", errors="replace").split("\n") if line.strip()]
    if not lines:
        return "text"
    first = lines[0].strip()
    if first.startswith("{"):
        return "jsonl"
    if first.startswith("["):
        try:
            json.loads(first)
            return "jsonl"
        except (ValueError, RecursionError):
            pass
    for kind in ("tsv", "csv"):
        try:
            rows = list(_csv_reader(lines[:2], kind, strict=False))
        except csv.Error:  # a lone carriage return: prose from an old editor, not a header
            return "text"
        header = [field.strip() for field in rows[0]] if rows else []
        if len(header) < 2 or text_column not in header or not all(
                _is_column_name(field) for field in header):
            continue
        if len(lines) < 2:  # a header alone, unless it reads as a sentence
            if not any(f.endswith(_SENTENCE_END) and len(f) > 4 for f in header):
                return kind
        elif lines[1].count('"') % 2 or len(rows[1]) == len(header):
            return kind  # (a quoted field that goes on to the next line: no count to compare)
    return "text"


def _empty(shown: str) -> str:
    return "empty input; nothing read" if shown == STDIN_NAME else "empty file; nothing read"


def _head(stream: Stream) -> bytes:
    peek = getattr(stream, "peek", None)
    return peek(_SNIFF)[:_SNIFF] if peek is not None else b""


def _legacy_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: bytes that are not UTF-8 read as cp1252 (latin-1 where it has none)."""
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start:exc.end]
    try:
        return bad.decode("cp1252"), exc.end
    except UnicodeDecodeError:
        return bad.decode("latin-1"), exc.end


codecs.register_error("newsmapper-legacy", _legacy_bytes)


class _Decoder:
    """Decodes lines as UTF-8, any stray byte as cp1252 (or latin-1), warning once per file.

    Only the bytes that are not UTF-8 are read so: "Kraków" stays Kraków beside a stray
    pound sign from a legacy editor.
    """

    def __init__(self, shown: str, report: Report) -> None:
        self.shown, self.report, self.has_warned = shown, report, False

    def __call__(self, raw: bytes, line: int) -> str:
        if line == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return self._legacy(raw, line, exc)

    def _legacy(self, raw: bytes, line: int, exc: UnicodeDecodeError) -> str:
        text = raw.decode("utf-8", errors="newsmapper-legacy")
        if not self.has_warned:
            self.has_warned = True
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            line += raw.count(b"\n", 0, exc.start)
            self.report(self.shown, line,
                        f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}); "
                        "such bytes read as cp1252: check the text, or re-save the file as "
                        "UTF-8", warning=True)
        return text


def _read_whole(stream: Stream, shown: str, report: Report) -> str | None:
    """All of a small-format file as text, or None when it is binary or empty (reported)."""
    data = stream.read()
    if b"\x00" in data:
        report(shown, None, _BINARY)
        return None
    text = _Decoder(shown, report)(data, 1)
    if not text.strip():
        report(shown, None, _empty(shown), warning=True)
        return None
    return text


def _read_text(stream: Stream, shown: str, ident: str, report: Report) -> Iterator[Article]:
    text = _read_whole(stream, shown, report)
    if text is not None:
        yield Article(id=ident, text=text, source=shown)


def _read_html(stream: Stream, shown: str, ident: str, report: Report) -> Iterator[Article]:
    data = stream.read()
    if b"\x00" in data:
        report(shown, None, _BINARY)
        return
    if not data.strip():
        report(shown, None, _empty(shown), warning=True)
        return
    import trafilatura  # heavy: loaded only when an HTML page is read

    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)

    def field(name: str) -> str | None:
        value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
        return str(value) if value else None

    text = _drop_boilerplate(field("text") or "")
    if not text:
        report(shown, None, "no article text found in the HTML page; file skipped")
        return
    yield Article(id=ident, text=text, title=field("title"), url=field("url"),
                  outlet=field("sitename"), published=field("date"), language=field("language"),
                  source=shown)


def _drop_boilerplate(text: str) -> str:
    """Remove the comment-form lines ("Your email address will not be published") left in."""
    lines = [line for line in text.splitlines()
             if not (len(line) < 200 and _BOILERPLATE.search(line))]
    return "\n".join(lines).strip()


def _read_jsonl(stream: Stream, shown: str, text_column: str,
                report: Report) -> Iterator[Article]:
    if b"\x00" in _head(stream):
        report(shown, None, _BINARY)
        return
    decode, has_records = _Decoder(shown, report), False
    for number, raw in enumerate(stream, 1):
        line = decode(raw, number)
        if not line.strip():
            continue
        has_records = True
        result = _located(_parse_line(line, number, text_column), shown, number)
        if isinstance(result, Article):
            _check_date(result, report)
            yield result
        else:
            report(shown, number, result)
    if not has_records:
        report(shown, None, _empty(shown), warning=True)


def _parse_line(line: str, number: int, text_column: str) -> Article | str:
    """One JSONL line as an article, or the reason it cannot be one."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        reason = (exc.msg[:1].lower() + exc.msg[1:]).removesuffix(" at")  # "... character at"
        return f"not valid JSON ({reason} at column {exc.colno}); line skipped"
    except RecursionError:
        return "not valid JSON (nested too deeply); line skipped"
    if not isinstance(data, dict):
        return f"expected a JSON object, found {_json_type(data)}; line skipped"
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # "\ud800" escapes a half of a character, no character
        return "not valid Unicode (a lone surrogate escape such as \\ud800); line skipped"
    return _make_article(data, str(number), text_column, "line")


def _make_article(data: dict[str, Any], default_id: str, text_column: str,
                  unit: str) -> Article | str:
    """A record as an article, or why not (no text, text not a string, empty text)."""
    if text_column not in data:
        keys = ", ".join(list(data)[:8]) + (", …" if len(data) > 8 else "")
        return f"no {text_column!r} field (keys: {keys or 'none'}); {unit} skipped"
    text = data[text_column]
    if not isinstance(text, str):
        return f"{text_column!r} is {_json_type(text)}, not a string; {unit} skipped"
    if not text.strip():
        return f"empty {text_column!r}; {unit} skipped"
    if text_column != "text":
        data = {k: v for k, v in data.items() if k != text_column} | {"text": text}
    return Article.from_dict(data, default_id=default_id)


def _check_date(article: Article, report: Report) -> None:
    """Warn when ``published`` is no date: incidents then take their dates from the text."""
    if article.published and parse_date(article.published) is None:
        report(article.source or "", article.line,
               f"'published' {article.published!r} is not a date (YYYY-MM-DD…); kept, but "
               "dates come from the text only", warning=True)


def _located(result: Article | str, shown: str, line: int | None) -> Article | str:
    """The article with where it was read, so later problems can name file and line."""
    return replace(result, source=shown, line=line) if isinstance(result, Article) else result


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else "a string"


def _read_csv(stream: Stream, shown: str, text_column: str, report: Report,
              kind: str) -> Iterator[Article]:
    if b"\x00" in _head(stream):
        report(shown, None, _BINARY)
        return
    decode = _Decoder(shown, report)
    reader = _csv_reader((decode(raw, number) for number, raw in enumerate(stream, 1)), kind)
    header = _csv_header(reader, shown, text_column, report)
    if header is None:
        return
    rows, bad = 0, 0
    for start, end, row in _csv_records(reader):
        if isinstance(row, csv.Error):
            if _unclosed(row):
                report(shown, start, "a quoted field opened in this row is never closed; "
                       f"lines {start}-{end} skipped")
            else:
                report(shown, start, f"not valid CSV ({row}); row skipped")
            bad += 1
            continue
        rows += 1
        if len(row) != len(header):
            report(shown, start, f"{len(row)} fields where the header has {len(header)}; "
                                 "row skipped")
            continue
        result = _located(_make_article(dict(zip(header, row, strict=True)), str(rows),
                                        text_column, "row"), shown, start)
        if isinstance(result, Article):
            _check_date(result, report)
            yield result
        else:
            report(shown, start, result)
    if rows == 0 and not bad:
        report(shown, None, "no rows after the header; nothing read", warning=True)


def _csv_header(reader: Iterator[list[str]], shown: str, text_column: str,
                report: Report) -> list[str] | None:
    """The header row, or None when there is none or it lacks the text column (reported)."""
    try:
        header = _header_row(reader)
    except csv.Error as exc:
        report(shown, 1, f"not valid CSV ({exc}); file skipped")
        return None
    if header is None:
        report(shown, None, _empty(shown), warning=True)
        return None
    header = [h.strip() for h in header]
    if text_column not in header:
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in ";|\t,"):
            hint = " (is the file separated by another character?)"
        report(shown, None, f"no {text_column!r} column (columns: {', '.join(header)}){hint}; "
                            "file skipped: name the text column with --text-column")
        return None
    return header


def _csv_reader(lines: Iterable[str], kind: str, *, strict: bool = True) -> Any:
    """A CSV (or TSV) reader that takes fields as long as an article.

    Strict for reading: a quote left open must not swallow every row after it without a
    word. Not strict for sniffing, where a field may go on past the lines looked at.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    dialect = "excel-tab" if kind == "tsv" else "excel"
    return csv.reader(lines, dialect=dialect, strict=strict)


def _header_row(reader: Any) -> list[str] | None:
    """The first row with any text (blank lines may come before a header), or None."""
    row = next(reader, None)
    while row is not None and not any(cell.strip() for cell in row):
        row = next(reader, None)
    return row


def _csv_records(reader: Any) -> Iterator[tuple[int, int, list[str] | csv.Error]]:
    """``(first line, last line, row)`` of each record that is not blank, or the error.

    A quoted field may span lines, so a record's lines are told apart from its number.
    """
    last = reader.line_num
    while True:
        try:
            row: list[str] | csv.Error = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = exc
        start, last = last + 1, reader.line_num
        if row:
            yield start, last, row


def _unclosed(error: csv.Error) -> bool:
    """Whether the data ended inside a quoted field."""
    return str(error) == "unexpected end of data"


PlaceRow = tuple[int, str | None, str | None, str | None]


def is_table(path: str) -> bool:
    """Whether a file name says CSV or TSV (``.csv``, ``.tsv``, each also ``.gz``)."""
    return _kind(Path(path)) in ("csv", "tsv")


def read_place_rows(source: str | os.PathLike[str], *, table: bool, column: str | None = None,
                    country_column: str | None = None, context_column: str | None = None,
                    problems: list[Problem] | None = None) -> Iterator[PlaceRow]:
    """Yield ``(row, name, country, context)`` for each place string to geocode.

    A ``table`` (CSV/TSV, or CSV on stdin) is read with its header and ``column``; any
    other input holds one name a line. Every input row yields exactly one item, so the
    output keeps the input's rows: a row that cannot be read yields ``None`` as its name
    and a problem naming its first line in the file and its row in the output. Binary
    input and a table without the named columns raise :class:`InputError`.
    """
    report = _reporter(problems)
    shown = STDIN_NAME if os.fspath(source) == STDIN else os.fspath(source)
    try:
        stream = _stdin_stream() if shown == STDIN_NAME else _open_binary(Path(source))
        with stream:
            if b"\x00" in _head(stream):  # as for articles: never geocode random bytes
                raise InputError(f"{shown}: {_BINARY.removesuffix('; file skipped')}")
            decode = _Decoder(shown, report)
            lines = (decode(raw, number) for number, raw in enumerate(stream, 1))
            if not table:
                for number, line in enumerate(lines, 1):
                    yield number, line.rstrip("\r\n"), None, None
                return
            if column is None:
                raise InputError(f"{shown}: a CSV needs --column NAME to say which column holds "
                                 "the place names")
            kind = "tsv" if _kind(Path(shown)) == "tsv" else "csv"  # stdin: CSV
            yield from _place_table(_csv_reader(lines, kind), shown,
                                    (column, country_column, context_column), report)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"{shown}: corrupt gzip data ({exc})") from None


def _place_table(reader: Any, shown: str, columns: tuple[str | None, ...],
                 report: Report) -> Iterator[PlaceRow]:
    try:
        header = _header_row(reader)
    except csv.Error as exc:
        raise InputError(f"{shown}:{reader.line_num}: not valid CSV in the header ({exc})"
                         ) from None
    if header is None:  # as for articles: nothing to do is no failure
        report(shown, None, _empty(shown), warning=True)
        return
    header = [name.strip() for name in header]
    for wanted in columns:
        if wanted is not None and wanted not in header:
            raise InputError(f"{shown}: no column {wanted!r}; the columns are "
                             + ", ".join(header))
    where = [header.index(c) if c is not None else None for c in columns]
    for number, (start, _, row) in enumerate(_csv_records(reader), 1):
        if isinstance(row, csv.Error) or len(row) != len(header):
            # a quoted field may span lines: name both the file's line and the output's row
            reason = (("a quoted field opened here is never closed" if _unclosed(row)
                       else f"not valid CSV ({row})") if isinstance(row, csv.Error)
                      else f"{len(row)} fields where the header has {len(header)}")
            report(shown, start, f"{reason}; kept as unresolved in output row {number}")
            yield number, None, None, None
            continue
        name, country, context = (row[i] if i is not None else None for i in where)
        yield number, name, country, context
