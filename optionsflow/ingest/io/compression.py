r"""Compressed inputs: recognised by magic bytes, decompressed without losing a byte.

gzip and zstd are read natively by Polars on the fast path; this module is the
slow, careful path: sniffing a file's head, extracting a ``.zip`` archive's first
file, and recovering the complete rows of a truncated or corrupt stream into a
temporary file (removed when the process exits).

Examples
--------
>>> import tempfile, pathlib, gzip
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.csv.gz"
>>> _ = path.write_bytes(gzip.compress(b"a,b\n1,2\n"))
>>> compression_of(path), read_head(path)
('gzip', b'a,b\n1,2\n')
>>> _ = path.write_bytes(gzip.compress(b"a,b\n1,2\n3,4\n")[:-12])
>>> plain, partial, failure = decompress(path, "gzip")
>>> plain.read_bytes(), partial
(b'a,b\n1,2\n', b'3')
>>> failure.reason
'gzip data is truncated or corrupt (gzip stream ends before its end marker)'
"""

from __future__ import annotations

import atexit
import importlib
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

from optionsflow.errors import OptionsFlowError, ParseError, SourceError

__all__ = [
    "Compression",
    "compression_of",
    "decompress",
    "read_head",
    "read_lines",
    "temp_file",
    "text_path",
    "zip_member",
]

Compression = Literal["none", "gzip", "zstd", "zip"]
_MAGIC: tuple[tuple[bytes, Compression], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive: its end record only
)
_CHUNK = 1 << 22
_tmp: list[Path] = []


def _temp_dir() -> Path:
    if not _tmp:
        _tmp.append(Path(tempfile.mkdtemp(prefix="optionsflow-")))
        atexit.register(shutil.rmtree, _tmp[0], ignore_errors=True)
    return _tmp[0]


def temp_file(name: str) -> Path:
    """Create a fresh file in this process's temporary directory."""
    return Path(tempfile.mkstemp(prefix=f"{name}-", dir=_temp_dir())[1])


def compression_of(path: Path) -> Compression:
    """Compression of ``path`` by its magic bytes."""
    with path.open("rb") as fh:
        magic = fh.read(4)
    return next((kind for prefix, kind in _MAGIC if magic.startswith(prefix)), "none")


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Closable(Protocol):
    def close(self) -> None: ...


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes, /) -> bytes: ...


class _Stream:
    """Incremental gzip / zstd decompression that keeps every byte before a break.

    ``gzip.GzipFile`` drops what it decompressed in a call that hits a truncated
    stream; feeding a decompression object by hand keeps it, and its ``eof`` tells
    a complete member / frame from one cut short.
    """

    def __init__(self, raw: _Readable, compression: Compression) -> None:
        if compression == "gzip":
            self._new: Callable[[], _Decompressor] = lambda: zlib.decompressobj(wbits=31)
        else:
            try:
                zstandard = importlib.import_module("zstandard")
            except ImportError as exc:  # pragma: no cover - depends on the environment
                raise SourceError(
                    "reading zstd input needs the 'zstandard' package "
                    "(pip install 'optionsflow[databento]')"
                ) from exc
            self._new = zstandard.ZstdDecompressor().decompressobj
        self._kind = compression
        self._raw = raw
        self._obj = self._new()
        self._buffer = b""
        self._mid_frame = False

    def read(self, size: int = -1, /) -> bytes:
        """Return up to ``size`` decompressed bytes (all that is left when negative)."""
        while size < 0 or len(self._buffer) < size:
            chunk = self._raw.read(_CHUNK)
            if not chunk:
                if self._mid_frame and not self._buffer:
                    raise EOFError(f"{self._kind} stream ends before its end marker")
                break
            self._feed(chunk)
        size = len(self._buffer) if size < 0 else size
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def _feed(self, chunk: bytes) -> None:
        while chunk:
            self._buffer += self._obj.decompress(chunk)
            self._mid_frame = not self._obj.eof
            chunk = b""
            if self._obj.eof:
                chunk = self._obj.unused_data
                self._obj = self._new()


def _open_stream(path: Path, compression: Compression) -> tuple[_Readable, list[_Closable]]:
    """Open the decompressed content as a binary file object; also return what to close."""
    raw = path.open("rb")
    try:
        if compression in ("gzip", "zstd"):
            return _Stream(raw, compression), [raw]
        if compression == "zip":
            archive = zipfile.ZipFile(raw)
            members = _zip_files(archive)
            if not members:
                archive.close()
                raise ParseError("zip archive is empty (it holds no file)", source=str(path), row=0)
            return archive.open(members[0]), [archive, raw]
    except BaseException:
        raw.close()
        raise
    return raw, [raw]


def _zip_files(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """List the files of an archive, without directories and macOS resource forks."""
    return [
        m for m in archive.infolist()
        if not m.is_dir() and not m.filename.startswith("__MACOSX/")
        and not Path(m.filename).name.startswith("._")
    ]  # fmt: skip


def zip_member(path: Path) -> str | None:
    """Name of the file a zip archive is read from (its first), None for other files."""
    if compression_of(path) != "zip":
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            members = _zip_files(archive)
    except (OSError, zipfile.BadZipFile):
        return None
    return members[0].filename if members else None


def _stream_error(path: Path, compression: Compression, exc: BaseException) -> ParseError:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "zstd" in type(exc).__module__:
        detail = f"zstd: {detail}"
    return ParseError(f"{compression} data is truncated or corrupt ({detail})", source=str(path))


def read_head(path: Path, size: int = 1 << 16) -> bytes:
    """Read the first ``size`` bytes of the decompressed content (fewer when it breaks).

    Raises
    ------
    ParseError
        When not a single byte can be decompressed from a non-empty file.
    """
    compression = compression_of(path)
    closers: list[_Closable] = []
    head = b""
    try:
        stream, closers = _open_stream(path, compression)
        while len(head) < size:
            chunk = stream.read(size - len(head))
            if not chunk:
                break
            head += chunk
    except OptionsFlowError:
        raise
    except Exception as exc:  # zstandard.ZstdError derives from Exception only
        if not head:
            raise _stream_error(path, compression, exc) from exc
    finally:
        for obj in reversed(closers):
            obj.close()
    return head


def read_lines(path: Path, wanted: set[int], skip_rows: int = 0) -> dict[int, bytes]:
    r"""Read the raw bytes of some 0-based physical lines after ``skip_rows`` (error path).

    The content is streamed (decompressed when need be) and stops after the last
    line wanted; line ends (``\\n``, ``\\r\\n``) are dropped.
    """
    found: dict[int, bytes] = {}
    if not wanted:
        return found
    last = max(wanted) + skip_rows
    closers: list[_Closable] = []
    try:
        stream, closers = _open_stream(path, compression_of(path))
        line, rest = 0, b""
        while line <= last and (chunk := stream.read(_CHUNK)):
            parts = (rest + chunk).split(b"\n")
            rest = parts.pop()
            for part in parts:
                if line - skip_rows in wanted:
                    found[line - skip_rows] = part.rstrip(b"\r")
                line += 1
        if rest and line - skip_rows in wanted:
            found[line - skip_rows] = rest.rstrip(b"\r")
    except (OSError, EOFError, zlib.error):
        pass  # a broken stream: the lines before the break are found
    finally:
        for obj in reversed(closers):
            obj.close()
    return found


def decompress(
    path: Path, compression: Compression, *, lines: bool = True
) -> tuple[Path, bytes, ParseError | None]:
    """Decompress ``path`` into a temporary file, keeping what precedes any corruption.

    Parameters
    ----------
    path, compression
        The file and its compression.
    lines
        Text: when the stream broke, cut the file after its last complete line.
        False for binary content (DBN), which keeps every byte decompressed.

    Returns
    -------
    tuple
        The plain file (cut after its last complete line when the stream broke),
        the cut-off partial line, and the stream error (None when intact).
    """
    target = temp_file(path.name)
    failure: ParseError | None = None
    tail = b""
    closers: list[_Closable] = []
    with target.open("wb") as out:
        try:
            stream, closers = _open_stream(path, compression)
            while chunk := stream.read(_CHUNK):
                out.write(chunk)
                tail = chunk
        except OptionsFlowError as exc:
            failure = ParseError(exc.reason, source=str(path))
        except Exception as exc:  # zstandard.ZstdError derives from Exception only
            failure = _stream_error(path, compression, exc)
        finally:
            for obj in reversed(closers):
                obj.close()
    partial = b""
    if lines and failure is not None and tail and not tail.endswith(b"\n"):
        size = target.stat().st_size
        cut = tail.rfind(b"\n")
        keep = size - len(tail) + cut + 1 if cut >= 0 else _last_newline(target) + 1
        with target.open("rb") as fh:
            fh.seek(keep)
            partial = fh.read()
        with target.open("r+b") as fh:
            fh.truncate(keep)
    return target, partial, failure


def _last_newline(path: Path) -> int:
    data = path.read_bytes()
    return data.rfind(b"\n")


def text_path(path: Path) -> Path:
    """Give a path Polars can scan as CSV: ``path``, or a zip archive's extracted file."""
    if compression_of(path) != "zip":
        return path
    plain, _, failure = decompress(path, "zip")
    if failure is not None:
        raise failure
    return plain
