"""Fetch the official GeoNames dump files — the only network code of the project.

Files are written to ``dest/NAME.part`` and renamed to ``dest/NAME`` only once they
are complete and verified, so an interrupted run never leaves a file that looks
finished. Partial files are resumed with HTTP ``Range`` requests, complete files are
skipped, and every file is checked (length, zip CRCs, optional sha256) before it is
moved into place.
"""

from __future__ import annotations

import logging
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gazetteer.errors import DownloadError
from gazetteer.http_fetch import (
    _ALLOWED_SCHEMES,
    ProgressCallback,
    _fetch_into,
    _opener,
    _remote_size,
    _Restart,
    _Retryable,
)
from gazetteer.integrity import _normalise_checksums, _sha256_of, _verify

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

_BACKOFF_BASE = 1.0  # seconds; doubled on every consecutive failed attempt
_BACKOFF_MAX = 30.0


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
