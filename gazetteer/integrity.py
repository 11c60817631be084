"""The checks a fetched file passes before it is moved into place: length, zip CRCs, sha256.

A file named ``dest/NAME`` is then always complete; a failed check deletes the partial.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from gazetteer.errors import DownloadError

__all__: list[str] = []

_SHA256_RE = re.compile(r"[0-9a-fA-F]{64}")


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
