"""The one upload validator of the project: the formats offices exchange, recognised by extension AND by content, a
size limit per use, safe stored and displayed names.

Each use says which formats it takes and how large a file may be (``UploadPolicy``: e.g. 20 MB for a
rectification's evidence, 10 MB for an objection's materials); the messages and the form's hint follow from it.
``upload_problems`` is the pure rule (plain values in, reasons out); ``file_problems`` and ``validate_upload`` read an
uploaded file's first bytes (and a zip's member names) and apply it, before anything is written. A form calls them in
its ``clean_<field>`` (a refused file stores nothing, and what was typed stays); the service calls
``validate_upload`` again before it writes, so a caller without the form is held to the same rule.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MEGABYTE = 1024 * 1024
HEAD_BYTES = 8  # enough for every signature below
DISPLAY_NAME_MAX = 200
STORED_TOKEN_BYTES = 16

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word/Excel compound file
_ZIP = b"PK\x03\x04"  # Office Open XML (docx/xlsx) and OFD are zips


@dataclass(frozen=True)
class FileType:
    magics: tuple[bytes, ...]  # accepted leading bytes
    member: str  # a zip must hold a member starting with this (a docx is a Word package, not any zip renamed)
    stored: str  # the extension the stored file gets
    content_type: str


FILE_TYPES: dict[str, FileType] = {
    "jpg": FileType((b"\xff\xd8\xff",), "", "jpg", "image/jpeg"),
    "jpeg": FileType((b"\xff\xd8\xff",), "", "jpg", "image/jpeg"),
    "png": FileType((b"\x89PNG\r\n\x1a\n",), "", "png", "image/png"),
    "pdf": FileType((b"%PDF-",), "", "pdf", "application/pdf"),
    "doc": FileType((_OLE2,), "", "doc", "application/msword"),
    "docx": FileType(
        (_ZIP,), "word/", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xls": FileType((_OLE2,), "", "xls", "application/vnd.ms-excel"),
    "xlsx": FileType((_ZIP,), "xl/", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ofd": FileType((_ZIP,), "OFD.xml", "ofd", "application/ofd"),  # GB/T 33190: the package's entry file
}

# How the hint names the formats, in this order: (label, its extensions, shown inside brackets as).
_GROUPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("照片", ("jpg", "jpeg", "png"), "upper"),
    ("PDF", ("pdf",), ""),
    ("Word", ("doc", "docx"), "lower"),
    ("Excel", ("xls", "xlsx"), "lower"),
    ("OFD", ("ofd",), ""),
)


@dataclass(frozen=True)
class UploadPolicy:
    """What one use accepts: its formats (keys of ``FILE_TYPES``), its size limit, and how messages name the file."""

    extensions: tuple[str, ...]
    max_bytes: int
    what: str = "文件"

    def __post_init__(self) -> None:
        unknown = set(self.extensions) - set(FILE_TYPES)
        if unknown:
            raise ValueError(f"unknown upload types: {sorted(unknown)}")

    @property
    def limit(self) -> str:
        return f"{self.max_bytes / MEGABYTE:g}MB"

    @property
    def hint(self) -> str:
        """E.g. "支持照片(JPG、PNG)、PDF、Word(doc/docx)、Excel(xls/xlsx),单个文件不超过20MB"."""
        shown = []
        for label, members, case in _GROUPS:
            present = [e for e in members if e in self.extensions and not (e == "jpeg" and "jpg" in self.extensions)]
            if not present:
                continue
            if not case:
                shown.append(label)
            elif case == "upper":
                shown.append(f"{label}({'、'.join(e.upper() for e in present)})")
            else:
                shown.append(f"{label}({'/'.join(present)})")
        return f"支持{'、'.join(shown)},单个文件不超过{self.limit}"


def upload_extension(name: str) -> str:
    # Both separators: a name from Windows may carry "C:\\...\\photo.jpg".
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def needs_members(policy: UploadPolicy, name: str) -> bool:
    """Whether checking ``name`` needs the names of its zip members (an OOXML or OFD file)."""
    ext = upload_extension(name)
    return ext in policy.extensions and bool(FILE_TYPES[ext].member)


def upload_problems(
    policy: UploadPolicy, *, name: str, size: int | None, head: bytes, zip_names: Iterable[str] | None = None
) -> list[str]:
    """Why an upload is refused (empty: accepted). ``head``: the file's first bytes; ``zip_names``: for a zip, the
    names of its members."""
    shown = display_name(name) or "未命名文件"
    what = policy.what
    ext = upload_extension(name)
    if ext not in policy.extensions:
        return [f"{what}“{shown}”的格式不支持:{policy.hint}"]
    if not size:
        return [f"{what}“{shown}”是空文件,请重新选择"]
    if size > policy.max_bytes:
        return [f"{what}“{shown}”大小为{size / MEGABYTE:.1f}MB,超过{policy.limit}上限"]
    kind = FILE_TYPES[ext]
    bad = [f"{what}“{shown}”的内容与扩展名.{ext}不符,请上传原始文件"]
    if not any(head.startswith(m) for m in kind.magics):
        return bad
    if kind.member and not any(n.startswith(kind.member) for n in (zip_names or ())):
        return bad
    return []


def content_type_for(name: str) -> str:
    return FILE_TYPES[upload_extension(name)].content_type


def stored_name(original: str, token: str | None = None) -> str:
    """A name that says nothing about the original: a random token and the normalized extension."""
    token = token or secrets.token_hex(STORED_TOKEN_BYTES)
    if not re.fullmatch(r"[0-9a-f]{8,64}", token):
        raise ValueError("token must be lowercase hex")
    return f"{token}.{FILE_TYPES[upload_extension(original)].stored}"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]")


def display_name(original: str) -> str:
    """The original name, for display only: no directories, no control or reserved characters, bounded length."""
    base = PureWindowsPath(PurePosixPath(original or "").name).name
    base = unicodedata.normalize("NFC", _UNSAFE.sub("_", base)).strip(" .")
    return base[-DISPLAY_NAME_MAX:]


# --- Uploaded files ------------------------------------------------------------------------------------------------


def _zip_names(upload: UploadedFile) -> list[str]:
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return []
    finally:
        upload.seek(0)


def file_problems(upload: UploadedFile, policy: UploadPolicy) -> list[str]:
    """Why ``upload`` is refused for this use (empty: accepted). A file over the limit is not read."""
    name = upload.name or ""
    head = upload.read(HEAD_BYTES) if (upload.size or 0) <= policy.max_bytes else b""
    upload.seek(0)
    zip_names = _zip_names(upload) if head and needs_members(policy, name) else None
    return upload_problems(policy, name=name, size=upload.size, head=head, zip_names=zip_names)


def validate_upload(upload: UploadedFile | None, policy: UploadPolicy) -> None:
    """Raise a ValidationError with the reasons ``upload`` is refused; nothing for no file."""
    if upload is None:
        return
    problems = file_problems(upload, policy)
    if problems:
        raise ValidationError(problems)
