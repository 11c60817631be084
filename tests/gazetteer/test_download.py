"""Tests for gazetteer.download against a local, in-process HTTP server (no internet)."""

from __future__ import annotations

import hashlib
import io
import random
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from gazetteer import download as dl
from gazetteer.errors import DownloadError, GazetteerError


def _make_zip(payload: bytes) -> bytes:
    buf = io.BytesIO()
    # Stored, so flipping one data byte is caught by the CRC check rather than zlib.
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("allCountries.txt", payload)
    return buf.getvalue()


_RNG = random.Random(20240601)
ZIP_BYTES = _make_zip(_RNG.randbytes(700_000))
TXT_BYTES = b"".join(f"US.{i:05d}\tPlace {i}\tPlace {i}\t{i}\n".encode() for i in range(20_000))


@dataclass
class ServerState:
    files: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    drop_after: int | None = None  # bytes of body to send before hanging up...
    drops: int = 0  # ...for this many GET requests
    ignore_range: bool = False
    head_status: int | None = None  # e.g. 501: HEAD not supported
    fail_status: list[int] = field(default_factory=list)  # statuses for the next GETs
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        st = self.server.state
        with st.lock:
            st.requests.append((self.command, self.path, self.headers.get("Range")))
            fail = st.fail_status.pop(0) if (st.fail_status and not head) else None
            drop = None
            if not head and st.drops > 0:
                st.drops -= 1
                drop = st.drop_after
        name = self.path.removeprefix("/dump/")
        if head and st.head_status is not None:
            self.send_error(st.head_status)
            return
        if fail is not None:
            self.send_error(fail)
            return
        if name not in st.files:
            self.send_error(404)
            return
        data = st.files[name]
        start = 0
        rng = self.headers.get("Range")
        if rng and not st.ignore_range:
            start = int(rng.removeprefix("bytes=").split("-")[0])
            if start >= len(data):
                self.send_error(416)
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if head:
            return
        if drop is not None:
            self.wfile.write(body[:drop])
            self.close_connection = True
            return
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState


@pytest.fixture(autouse=True)
def _fast_and_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dl, "_BACKOFF_BASE", 0.0)
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)


@pytest.fixture
def srv() -> Iterator[tuple[str, ServerState]]:
    srv = _Server(("127.0.0.1", 0), Handler)
    srv.state = ServerState(files={"allCountries.zip": ZIP_BYTES, "admin2Codes.txt": TXT_BYTES})
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/dump/", srv.state
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join()


def _gets(state: ServerState) -> list[tuple[str, str, str | None]]:
    return [r for r in state.requests if r[0] == "GET"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_full_download(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    results = dl.download(
        ["allCountries.zip", "admin2Codes.txt"], dest=tmp_path / "new", base_url=base, timeout=5
    )
    assert [r.name for r in results] == ["allCountries.zip", "admin2Codes.txt"]
    zip_res, txt_res = results
    assert zip_res.path.read_bytes() == ZIP_BYTES
    assert txt_res.path.read_bytes() == TXT_BYTES
    assert zip_res.size == len(ZIP_BYTES)
    assert zip_res.sha256 == _sha(ZIP_BYTES)
    assert not zip_res.resumed and not zip_res.skipped
    assert not list((tmp_path / "new").glob("*.part"))
    assert all(rng is None for _, _, rng in _gets(state))


def test_resume_after_dropped_connection(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    state.drop_after, state.drops = 100_000, 1
    (res,) = dl.download(["allCountries.zip"], dest=tmp_path, base_url=base, timeout=5)
    gets = _gets(state)
    assert len(gets) == 2
    assert gets[0][2] is None
    assert gets[1][2] == "bytes=100000-"
    assert res.path.read_bytes() == ZIP_BYTES
    assert res.resumed and not res.skipped
    assert res.sha256 == _sha(ZIP_BYTES)


def test_resume_part_file_left_by_earlier_run(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    (tmp_path / "admin2Codes.txt.part").write_bytes(TXT_BYTES[:12_345])
    (res,) = dl.download(["admin2Codes.txt"], dest=tmp_path, base_url=base, timeout=5)
    assert _gets(state)[0][2] == "bytes=12345-"
    assert res.resumed
    assert (tmp_path / "admin2Codes.txt").read_bytes() == TXT_BYTES
    assert not (tmp_path / "admin2Codes.txt.part").exists()


def test_server_ignoring_range_restarts_from_zero(
    srv: tuple[str, ServerState], tmp_path: Path
) -> None:
    base, state = srv
    state.ignore_range = True
    # Garbage in the part file: appending a 200 body to it would corrupt the result.
    (tmp_path / "allCountries.zip.part").write_bytes(b"x" * 5000)
    (res,) = dl.download(["allCountries.zip"], dest=tmp_path, base_url=base, timeout=5)
    assert _gets(state)[0][2] == "bytes=5000-"
    assert res.path.read_bytes() == ZIP_BYTES
    assert not res.resumed


def test_range_beyond_end_restarts(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, _ = srv
    (tmp_path / "admin2Codes.txt.part").write_bytes(b"y" * (len(TXT_BYTES) + 10))
    (res,) = dl.download(["admin2Codes.txt"], dest=tmp_path, base_url=base, timeout=5)
    assert res.path.read_bytes() == TXT_BYTES


def test_skip_when_complete(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    files = ["allCountries.zip", "admin2Codes.txt"]
    dl.download(files, dest=tmp_path, base_url=base, timeout=5)
    state.requests.clear()
    calls: list[tuple[str, int, int | None]] = []
    results = dl.download(
        files, dest=tmp_path, base_url=base, timeout=5, progress=lambda *a: calls.append(a)
    )
    assert all(r.skipped and not r.resumed for r in results)
    assert results[0].sha256 == _sha(ZIP_BYTES)
    assert _gets(state) == []
    assert {m for m, _, _ in state.requests} == {"HEAD"}
    assert calls == [
        ("allCountries.zip", len(ZIP_BYTES), len(ZIP_BYTES)),
        ("admin2Codes.txt", len(TXT_BYTES), len(TXT_BYTES)),
    ]


def test_skip_uses_get_length_when_head_unsupported(
    srv: tuple[str, ServerState], tmp_path: Path
) -> None:
    base, state = srv
    state.head_status = 501
    (tmp_path / "admin2Codes.txt").write_bytes(TXT_BYTES)
    (res,) = dl.download(["admin2Codes.txt"], dest=tmp_path, base_url=base, timeout=5)
    assert res.skipped
    assert len(_gets(state)) == 1


def test_refetch_when_size_differs(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    (tmp_path / "admin2Codes.txt").write_bytes(b"stale copy\n")
    (res,) = dl.download(["admin2Codes.txt"], dest=tmp_path, base_url=base, timeout=5)
    assert not res.skipped
    assert res.path.read_bytes() == TXT_BYTES
    assert len(_gets(state)) == 1


def test_not_a_zip_rejected_and_nothing_left(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    state.files["hierarchy.zip"] = b"<html>maintenance</html>" * 100
    with pytest.raises(DownloadError, match=r"hierarchy\.zip: not a valid zip"):
        dl.download(["hierarchy.zip"], dest=tmp_path, base_url=base, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_zip_with_bad_crc_rejected(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    corrupt = bytearray(ZIP_BYTES)
    corrupt[len(corrupt) // 2] ^= 0xFF  # inside the stored member's data
    state.files["allCountries.zip"] = bytes(corrupt)
    with pytest.raises(DownloadError, match="corrupt") as info:
        dl.download(["allCountries.zip"], dest=tmp_path, base_url=base, timeout=5)
    assert "\n" not in str(info.value)
    assert "run the download again" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_sha256_checked(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, _ = srv
    with pytest.raises(DownloadError, match=r"admin2Codes\.txt: sha256 .* does not match"):
        dl.download(
            ["admin2Codes.txt"],
            dest=tmp_path,
            base_url=base,
            timeout=5,
            checksums={"admin2Codes.txt": "0" * 64},
        )
    assert list(tmp_path.iterdir()) == []
    (res,) = dl.download(
        ["admin2Codes.txt"],
        dest=tmp_path,
        base_url=base,
        timeout=5,
        checksums={"admin2Codes.txt": _sha(TXT_BYTES).upper()},
    )
    assert res.sha256 == _sha(TXT_BYTES)


def test_bad_checksum_value_rejected_before_network(
    srv: tuple[str, ServerState], tmp_path: Path
) -> None:
    base, state = srv
    with pytest.raises(DownloadError, match="64-digit hex"):
        dl.download(["admin2Codes.txt"], dest=tmp_path, base_url=base, checksums={"x": "abc"})
    assert state.requests == []


def test_404_names_the_url(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, _ = srv
    with pytest.raises(DownloadError) as info:
        dl.download(["nosuch.zip"], dest=tmp_path, base_url=base, timeout=5)
    assert f"{base}nosuch.zip" in str(info.value)
    assert "404" in str(info.value)
    assert isinstance(info.value, GazetteerError)
    assert not (tmp_path / "nosuch.zip").exists()


def test_transient_server_error_is_retried(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    state.fail_status = [503, 500]
    (res,) = dl.download(["admin2Codes.txt"], dest=tmp_path, base_url=base, timeout=5)
    assert res.path.read_bytes() == TXT_BYTES
    assert len(_gets(state)) == 3


def test_gives_up_after_retries(srv: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = srv
    state.drop_after, state.drops = 0, 100
    with pytest.raises(DownloadError, match="giving up after 3 attempts"):
        dl.download(["admin2Codes.txt"], dest=tmp_path, base_url=base, timeout=5, retries=2)
    assert len(_gets(state)) == 3
    assert not (tmp_path / "admin2Codes.txt").exists()


@pytest.mark.parametrize(
    "base_url", ["ftp://download.geonames.org/export/dump/", "file:///etc/", "dump/"]
)
def test_non_http_scheme_rejected(base_url: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="only http"):
        dl.download(["countryInfo.txt"], dest=tmp_path, base_url=base_url)
    with pytest.raises(DownloadError):
        dl.dump_urls(["countryInfo.txt"], base_url)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../evil.txt", "a/b.txt", "", ".."])
def test_path_like_names_rejected(name: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="invalid dump file name"):
        dl.download([name], dest=tmp_path, base_url="http://127.0.0.1:9/")


def test_progress_is_called_with_increasing_counts(
    srv: tuple[str, ServerState], tmp_path: Path
) -> None:
    base, _ = srv
    calls: list[tuple[str, int, int | None]] = []
    dl.download(
        ["allCountries.zip"],
        dest=tmp_path,
        base_url=base,
        timeout=5,
        progress=lambda *a: calls.append(a),
    )
    assert len(calls) >= 3  # ~700 KB at one report per 256 KiB, plus the final one
    done = [c[1] for c in calls]
    assert done == sorted(done)
    assert len(set(done[:-1])) == len(done) - 1
    assert {c[0] for c in calls} == {"allCountries.zip"}
    assert {c[2] for c in calls} == {len(ZIP_BYTES)}
    assert calls[-1] == ("allCountries.zip", len(ZIP_BYTES), len(ZIP_BYTES))


def test_dump_urls() -> None:
    assert dl.dump_urls() == [dl.DEFAULT_BASE_URL + n for n in dl.DEFAULT_FILES]
    assert dl.dump_urls(["countryInfo.txt"], "https://mirror.example/geo") == [
        "https://mirror.example/geo/countryInfo.txt"
    ]
