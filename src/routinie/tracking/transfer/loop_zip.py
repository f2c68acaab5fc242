"""Reading the zip of Loop Habit Tracker's "Export as CSV", safely: plain data, no database.

The archive is never extracted to disk; only `Habits.csv` and `Checkmarks.csv` at its top are
read, each bounded in size while it is read (a zip bomb stops at the bound, whatever its header
claims). An archive with an unsafe member name (absolute, `..`, a drive or a backslash) or more
members than an export has is refused as a whole.
"""

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from routinie.tracking.transfer.parsed import reject

HABITS = "Habits.csv"
CHECKMARKS = "Checkmarks.csv"
MAX_MEMBERS = 5_000  # Loop writes two files per habit and three at the top
MAX_MEMBER_BYTES = 20 * 1024 * 1024  # uncompressed, per file read
MAX_RATIO = 200  # uncompressed / compressed of a file read; CSV of digits packs about 10-50x


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    )


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise reject(0, f"{info.filename} is larger than 20 MB unpacked; nothing was imported.")
    with archive.open(info) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES or len(data) > MAX_RATIO * max(info.compress_size, 1024):
        raise reject(
            0, f"{info.filename} unpacks to far more than it holds (a zip bomb?); refused."
        )
    return data


def read_loop_zip(data: bytes) -> tuple[bytes, bytes]:
    """The bytes of (Habits.csv, Checkmarks.csv) of a Loop export; ImportRejected otherwise."""
    if not data.startswith(b"PK\x03\x04"):
        raise reject(
            0,
            "The file is not a zip archive. In Loop Habit Tracker choose Settings → Export as "
            "CSV and upload the zip it makes, as it is.",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise reject(0, "The zip archive is damaged and cannot be read.") from None
    if len(members) > MAX_MEMBERS:
        raise reject(0, f"The archive has more than {MAX_MEMBERS:,} files; it is not an export.")
    unsafe = [info.filename for info in members if _unsafe(info.filename)]
    if unsafe:
        raise reject(
            0, f"The archive holds a file named outside itself ({unsafe[0][:80]!r}); refused."
        )
    top = {info.filename: info for info in members if "/" not in info.filename.rstrip("/")}
    missing = [name for name in (HABITS, CHECKMARKS) if name not in top]
    if missing:
        raise reject(
            0,
            f"The archive lacks {' and '.join(missing)} at its top; expected Loop Habit "
            'Tracker\'s "Export as CSV" zip.',
        )
    try:
        return _read_bounded(archive, top[HABITS]), _read_bounded(archive, top[CHECKMARKS])
    except (
        zipfile.BadZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        zlib.error,
    ):
        raise reject(0, "A file in the zip archive is damaged or encrypted.") from None
