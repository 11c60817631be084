"""One HTTP exchange of a download: a HEAD for the size, or a GET into the ``.part`` file.

Each GET resumes with ``Range`` where it can and reports a transient failure or an
unusable partial file as an exception the retry loop in :mod:`gazetteer.download`
acts on. Redirects may only lead to http(s).
"""

from __future__ import annotations

import http.client
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gazetteer.errors import DownloadError

__all__ = ["ProgressCallback"]

log = logging.getLogger("gazetteer.download")  # the download's messages, whichever step logs

ProgressCallback = Callable[[str, int, int | None], None]

_CHUNK = 64 * 1024
_PROGRESS_EVERY = 256 * 1024
_USER_AGENT = "newsmapper-gazetteer/0.1 (+urllib)"
_CONTENT_RANGE_RE = re.compile(r"\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)
_ALLOWED_SCHEMES = ("http", "https")


class _Retryable(Exception):
    """Internal: a transient failure worth another attempt (after backoff)."""

    def __init__(
        self,
        message: str,
        *,
        received: int = 0,
        total: int | None = None,
        validator: str | None = None,
    ) -> None:
        super().__init__(message)
        self.received = received
        self.total = total
        self.validator = validator


class _Restart(Exception):
    """Internal: the partial file is unusable; start again from byte zero at once."""


class _SafeRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s), never to ftp/file URLs."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        """Refuse a redirect that leaves http(s), which urllib would otherwise follow."""
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in _ALLOWED_SCHEMES:
            fp.close()
            raise DownloadError(
                f"{req.full_url} redirected to unsupported URL {newurl}; only http(s) is allowed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_SafeRedirectHandler())


def _request(
    url: str, *, method: str = "GET", headers: Mapping[str, str] | None = None
) -> urllib.request.Request:
    req = urllib.request.Request(url, method=method)
    req.add_header("User-Agent", _USER_AGENT)
    req.add_header("Accept-Encoding", "identity")  # byte offsets must refer to the file
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    return req


def _content_length(headers: http.client.HTTPMessage) -> int | None:
    value = headers.get("Content-Length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def _remote_size(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> int | None:
    """Return the server's size of ``url`` from a HEAD request, or None if unknown."""
    try:
        with opener.open(_request(url, method="HEAD"), timeout=timeout) as resp:
            return _content_length(resp.headers)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 404:
            raise DownloadError(
                f"{url} not found (HTTP 404); check the file name and --base-url"
            ) from None
        log.debug("HEAD %s failed with HTTP %s; falling back to GET", url, exc.code)
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, DownloadError):
            raise
        log.debug("HEAD %s failed (%s); falling back to GET", url, exc)
    return None


@dataclass(slots=True)
class _Outcome:
    resumed: bool
    total: int | None
    skipped: bool = False


def _fetch_into(
    opener: urllib.request.OpenerDirector,
    name: str,
    url: str,
    part: Path,
    *,
    offset: int,
    known_total: int | None,
    validator: str | None,
    timeout: float,
    progress: ProgressCallback | None,
    final_size: int | None,
) -> _Outcome:
    """Run one GET, appending to ``part`` from ``offset`` (or rewriting it on a 200)."""
    headers: dict[str, str] = {}
    if offset > 0:
        headers["Range"] = f"bytes={offset}-"
        if validator:
            # Should the file change upstream mid-download, the server sends it whole.
            headers["If-Range"] = validator
    try:
        resp = opener.open(_request(url, headers=headers), timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and offset > 0:
            raise _Restart(f"server rejected resume at byte {offset} (HTTP 416)") from None
        if exc.code == 404:
            raise DownloadError(
                f"{url} not found (HTTP 404); check the file name and --base-url"
            ) from None
        if exc.code >= 500 or exc.code in (408, 429):
            raise _Retryable(f"HTTP {exc.code} from {url}") from None
        raise DownloadError(f"{url} failed with HTTP {exc.code} {exc.reason}") from None
    except DownloadError:
        raise
    except (OSError, http.client.HTTPException) as exc:
        raise _Retryable(f"cannot connect to {url}: {exc}") from None

    with resp:
        status = resp.status
        length = _content_length(resp.headers)
        etag = resp.headers.get("ETag")
        new_validator = (
            etag if etag and not etag.startswith("W/") else resp.headers.get("Last-Modified")
        )
        if status == 206 and offset > 0:
            start, total = _parse_content_range(resp.headers.get("Content-Range"))
            if start != offset or (known_total is not None and total not in (None, known_total)):
                raise _Restart(
                    f"server sent Content-Range {resp.headers.get('Content-Range')!r} "
                    f"for a resume at byte {offset}"
                )
            mode, resumed = "ab", True
            if total is None and length is not None:
                total = offset + length
            log.info("%s: resuming at byte %d", name, offset)
        elif status == 200:
            if offset > 0:
                log.info("%s: server ignored the Range request; restarting from byte 0", name)
            offset, mode, resumed, total = 0, "wb", False, length
            if final_size is not None and length == final_size:
                # HEAD gave no answer but the GET's length matches the file we have.
                return _Outcome(False, length, skipped=True)
        else:
            raise DownloadError(f"{url} answered HTTP {status}, expected 200 or 206")

        done = offset
        received = 0
        next_report = done + _PROGRESS_EVERY
        try:
            fh = part.open(mode)
        except OSError as exc:
            raise _write_error(name, part, exc) from None
        with fh:
            while True:
                try:
                    block = resp.read(_CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    raise _Retryable(
                        f"connection lost after {done} bytes: {exc}",
                        received=received,
                        total=total,
                        validator=new_validator,
                    ) from None
                if not block:
                    break
                try:
                    fh.write(block)
                except OSError as exc:  # a full disk is not worth retrying
                    raise _write_error(name, part, exc) from None
                received += len(block)
                done += len(block)
                if progress is not None and done >= next_report:
                    progress(name, done, total)
                    next_report = done + _PROGRESS_EVERY
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise _write_error(name, part, exc) from None

    if total is not None and done < total:
        # http.client returns a short body rather than raising when the peer hangs up.
        raise _Retryable(
            f"connection closed after {done} of {total} bytes",
            received=received,
            total=total,
            validator=new_validator,
        )
    return _Outcome(resumed, total)


def _write_error(name: str, part: Path, exc: OSError) -> DownloadError:
    reason = exc.strerror or str(exc)
    return DownloadError(
        f"{name}: cannot write {part} ({reason}); free some space or choose another destination"
    )


def _parse_content_range(value: str | None) -> tuple[int | None, int | None]:
    """Return (first byte, full size) of a ``Content-Range`` header; Nones if unusable."""
    if not value:
        return None, None
    m = _CONTENT_RANGE_RE.match(value)
    if m is None:
        return None, None
    total = None if m.group(3) == "*" else int(m.group(3))
    return int(m.group(1)), total
