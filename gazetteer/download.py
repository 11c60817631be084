"""Fetch the official GeoNames dump files — the only network code of the project.

Files are written to ``dest/NAME.part`` and renamed to ``dest/NAME`` only once they
are complete and verified, so an interrupted run never leaves a file that looks
finished. Partial files are resumed with HTTP ``Range`` requests, complete files are
skipped, and every file is checked (length, zip CRCs, optional sha256) before it is
moved into place.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gazetteer.errors import DownloadError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_FILES",
    "DownloadResult",
    "ProgressCallback",
    "download",
    "dump_urls",
]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://download.geonames.org/export/dump/"
DEFAULT_FILES = (
    "allCountries.zip",
    "alternateNamesV2.zip",
    "admin1CodesASCII.txt",
    "admin2Codes.txt",
    "countryInfo.txt",
    "hierarchy.zip",
    "featureCodes_en.txt",
)

ProgressCallback = Callable[[str, int, int | None], None]

_CHUNK = 64 * 1024
_PROGRESS_EVERY = 256 * 1024
_BACKOFF_BASE = 1.0  # seconds; doubled on every consecutive failed attempt
_BACKOFF_MAX = 30.0
_USER_AGENT = "newsmapper-gazetteer/0.1 (+urllib)"
_SHA256_RE = re.compile(r"[0-9a-fA-F]{64}")
_CONTENT_RANGE_RE = re.compile(r"\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)
_ALLOWED_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class DownloadResult:
    """What happened to one requested file.

    Attributes
    ----------
    name : str
        File name as requested (e.g. ``"allCountries.zip"``).
    path : Path
        Final location, ``dest / name``.
    size : int
        Size in bytes of the final file.
    sha256 : str
        Hex sha256 of the final file, so callers can record what they indexed.
    resumed : bool
        True if an earlier partial download was continued rather than restarted.
    skipped : bool
        True if the file was already complete and nothing was fetched.
    """

    name: str
    path: Path
    size: int
    sha256: str
    resumed: bool
    skipped: bool


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


def _check_base_url(base_url: str) -> str:
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme.lower() not in _ALLOWED_SCHEMES or not parts.netloc:
        raise DownloadError(
            f"unsupported download URL {base_url!r}: only http:// and https:// URLs are allowed"
        )
    return base_url if base_url.endswith("/") else base_url + "/"


def _check_name(name: str) -> str:
    # A name with a separator could write outside ``dest`` or fetch another directory.
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise DownloadError(
            f"invalid dump file name {name!r}: expected a bare name like allCountries.zip"
        )
    return name


def dump_urls(files: Iterable[str] = DEFAULT_FILES, base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """Return the URL of every requested dump file, without touching the network.

    Useful for ``--dry-run`` and for users who prefer to fetch the files themselves.

    Parameters
    ----------
    files : Iterable[str]
        Bare file names, as listed on the GeoNames dump page.
    base_url : str
        Directory URL the files live under; must be http(s).

    Returns
    -------
    list[str]
        One absolute URL per file, in the given order.

    Raises
    ------
    DownloadError
        If the base URL is not http(s) or a name is not a bare file name.
    """
    base = _check_base_url(base_url)
    return [base + urllib.parse.quote(_check_name(name)) for name in files]


def download(
    files: Iterable[str] = DEFAULT_FILES,
    *,
    dest: Path,
    base_url: str = DEFAULT_BASE_URL,
    progress: ProgressCallback | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    checksums: Mapping[str, str] | None = None,
) -> list[DownloadResult]:
    """Fetch GeoNames dump files into ``dest``, resuming and verifying each one.

    Files already present with the server's size are skipped; partial ``.part`` files
    are continued with a ``Range`` request. Nothing is renamed into place before its
    length, zip CRCs (``.zip`` files) and optional sha256 have been checked, so a file
    named ``dest/NAME`` is always complete.

    Parameters
    ----------
    files : Iterable[str]
        Bare file names to fetch, in order.
    dest : Path
        Directory to write to; created if missing.
    base_url : str
        Directory URL the files live under; must be http(s).
    progress : callable, optional
        ``progress(name, bytes_done, total_or_None)``, called about every 256 KiB
        and once when a file is finished (also when it is skipped).
    timeout : float
        Socket timeout in seconds for connecting and for each read.
    retries : int
        Extra attempts after a connection error, timeout or 5xx, with exponential
        backoff. The count is reset whenever an attempt made progress, so a flaky
        link still finishes a large file.
    checksums : Mapping[str, str], optional
        Expected sha256 (hex) per file name. GeoNames publishes none, so this is for
        users who pin known copies.

    Returns
    -------
    list[DownloadResult]
        One result per file, in the given order.

    Raises
    ------
    DownloadError
        On a non-http(s) URL, HTTP errors such as 404, running out of retries, or
        any integrity failure (the partial file is deleted in that case).
    """
    names = [_check_name(n) for n in files]
    urls = dump_urls(names, base_url)
    expected = _normalise_checksums(checksums)
    if retries < 0:
        raise DownloadError(f"retries must be >= 0, got {retries}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    opener = _opener()
    results = []
    for name, url in zip(names, urls, strict=True):
        results.append(
            _download_one(
                opener,
                name,
                url,
                dest,
                progress=progress,
                timeout=timeout,
                retries=retries,
                sha256=expected.get(name),
            )
        )
    return results


def _normalise_checksums(checksums: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, digest in (checksums or {}).items():
        digest = digest.strip()
        if not _SHA256_RE.fullmatch(digest):
            raise DownloadError(
                f"checksum for {name} is not a 64-digit hex sha256: {digest!r}; fix the value"
            )
        out[name] = digest.lower()
    return out


def _sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            h.update(block)
    return h.hexdigest()


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


def _download_one(
    opener: urllib.request.OpenerDirector,
    name: str,
    url: str,
    dest: Path,
    *,
    progress: ProgressCallback | None,
    timeout: float,
    retries: int,
    sha256: str | None,
) -> DownloadResult:
    final = dest / name
    part = dest / (name + ".part")

    # A final file is complete when the server agrees on its size (and the pinned
    # sha256, if any); otherwise it is refetched.
    final_size = final.stat().st_size if final.is_file() else None
    if final_size is not None:
        remote = _remote_size(opener, url, timeout)
        if remote == final_size:
            done = _finish_skipped(name, final, part, final_size, progress, sha256)
            if done is not None:
                return done
        # Only a GET can still vouch for the file when HEAD gave no size at all.
        final_size = final_size if remote is None else None

    resumed = False
    attempt = 0
    validator: str | None = None  # ETag/Last-Modified of the first response, for If-Range
    total: int | None = None
    while True:
        offset = part.stat().st_size if part.is_file() else 0
        try:
            outcome = _fetch_into(
                opener,
                name,
                url,
                part,
                offset=offset,
                known_total=total,
                validator=validator,
                timeout=timeout,
                progress=progress,
                final_size=final_size if offset == 0 else None,
            )
        except _Restart as exc:
            log.info("%s: %s; restarting from byte 0", name, exc)
            part.unlink(missing_ok=True)
            total = validator = None
            continue
        except _Retryable as exc:
            # Progress resets the budget: a flaky link must still finish a 400 MB file.
            attempt = 1 if exc.received > 0 else attempt + 1
            if attempt > retries:
                raise DownloadError(
                    f"{name}: giving up after {retries + 1} attempts ({exc}); "
                    f"rerun the command to resume from {part.name}"
                ) from None
            total = exc.total if exc.total is not None else total
            validator = exc.validator or validator
            delay = min(_BACKOFF_BASE * 2 ** (attempt - 1), _BACKOFF_MAX)
            log.warning("%s: %s; retrying in %.1f s", name, exc, delay)
            if delay > 0:
                time.sleep(delay)
            continue
        if outcome.skipped:
            done = _finish_skipped(name, final, part, outcome.total or 0, progress, sha256)
            if done is not None:
                return done
            final_size = None
            continue
        resumed = resumed or outcome.resumed
        total = outcome.total
        break

    size = part.stat().st_size
    digest = _verify(name, part, total=total, sha256=sha256)
    os.replace(part, final)
    log.info("%s: saved %d bytes to %s%s", name, size, final, " (resumed)" if resumed else "")
    if progress is not None:
        progress(name, size, total if total is not None else size)
    return DownloadResult(name, final, size, digest, resumed, False)


def _finish_skipped(
    name: str,
    final: Path,
    part: Path,
    size: int,
    progress: ProgressCallback | None,
    sha256: str | None,
) -> DownloadResult | None:
    """Return a skipped result for a complete ``final``, or None if it must be refetched."""
    digest = _sha256_of(final)
    if sha256 is not None and digest != sha256:
        log.warning(
            "%s: existing file has sha256 %s, expected %s; refetching", name, digest, sha256
        )
        return None
    part.unlink(missing_ok=True)  # a leftover partial of a file we already have
    log.info("%s: already complete (%d bytes), skipped", name, size)
    if progress is not None:
        progress(name, size, size)
    return DownloadResult(name, final, size, digest, False, True)


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


def _verify(name: str, part: Path, *, total: int | None, sha256: str | None) -> str:
    """Check a finished ``part`` file; delete it and raise if anything is wrong."""

    def fail(what: str) -> DownloadError:
        part.unlink(missing_ok=True)
        return DownloadError(
            f"{name}: {what}; the partial file was deleted, run the download again"
        )

    size = part.stat().st_size
    if total is not None and size != total:
        raise fail(f"received {size} bytes but the server announced {total}")
    if name.lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(part) as zf:
                bad = zf.testzip()
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
            raise fail(f"not a valid zip archive ({exc})") from None
        if bad is not None:
            raise fail(f"zip member {bad!r} is corrupt (CRC mismatch)")
    digest = _sha256_of(part)
    if sha256 is not None and digest != sha256:
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"{name}: sha256 {digest} does not match the expected {sha256}; "
            "the download was deleted — check the checksum or rerun the download"
        )
    return digest
