"""Evidence uploads, as pure functions: allowed types by extension and by content, size, safe stored names."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath, PureWindowsPath

# --- Evidence uploads -----------------------------------------------------------------------------------------

# Photos, minutes and files of the ledger (issue 4 §4): the formats offices exchange, 20 MB at most each.
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word/Excel compound file
_ZIP = b"PK\x03\x04"  # Office Open XML (docx/xlsx) is a zip
# extension → (accepted leading bytes, the member an OOXML zip must contain, stored extension, content type)
UPLOAD_TYPES: dict[str, tuple[tuple[bytes, ...], str, str, str]] = {
    "jpg": ((b"\xff\xd8\xff",), "", "jpg", "image/jpeg"),
    "jpeg": ((b"\xff\xd8\xff",), "", "jpg", "image/jpeg"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "", "png", "image/png"),
    "pdf": ((b"%PDF-",), "", "pdf", "application/pdf"),
    "doc": ((_OLE2,), "", "doc", "application/msword"),
    "docx": (
        (_ZIP,),
        "word/",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xls": ((_OLE2,), "", "xls", "application/vnd.ms-excel"),
    "xlsx": ((_ZIP,), "xl/", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
UPLOAD_HEAD_BYTES = 8
UPLOAD_HINT = "支持照片(JPG、PNG)、PDF、Word(doc/docx)、Excel(xls/xlsx),单个文件不超过20MB"
DISPLAY_NAME_MAX = 200
STORED_TOKEN_BYTES = 16


def upload_extension(name: str) -> str:
    # Both separators: a name from Windows may carry "C:\\...\\photo.jpg".
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def upload_problems(*, name: str, size: int | None, head: bytes, zip_names: Iterable[str] | None = None) -> list[str]:
    """Why an upload is refused (empty: accepted). ``head``: the file's first bytes; ``zip_names``: for a zip, the
    names of its members (a docx must be a Word package, not any zip renamed)."""
    shown = display_name(name) or "未命名文件"
    ext = upload_extension(name)
    if ext not in UPLOAD_TYPES:
        return [f"文件“{shown}”的格式不支持:{UPLOAD_HINT}"]
    if not size:
        return [f"文件“{shown}”是空文件,请重新选择"]
    if size > UPLOAD_MAX_BYTES:
        return [f"文件“{shown}”大小为{size / 1024 / 1024:.1f}MB,超过20MB上限"]
    magics, member, _stored, _ctype = UPLOAD_TYPES[ext]
    bad = [f"文件“{shown}”的内容与扩展名.{ext}不符,请上传原始文件"]
    if not any(head.startswith(m) for m in magics):
        return bad
    if member and not any(n.startswith(member) for n in (zip_names or ())):
        return bad
    return []


def content_type_for(name: str) -> str:
    return UPLOAD_TYPES[upload_extension(name)][3]


def stored_name(original: str, token: str | None = None) -> str:
    """A name that says nothing about the original: a random token and the normalized extension."""
    token = token or secrets.token_hex(STORED_TOKEN_BYTES)
    if not re.fullmatch(r"[0-9a-f]{8,64}", token):
        raise ValueError("token must be lowercase hex")
    return f"{token}.{UPLOAD_TYPES[upload_extension(original)][2]}"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]")


def display_name(original: str) -> str:
    """The original name, for display only: no directories, no control or reserved characters, bounded length."""
    base = PureWindowsPath(PurePosixPath(original or "").name).name
    base = unicodedata.normalize("NFC", _UNSAFE.sub("_", base)).strip(" .")
    return base[-DISPLAY_NAME_MAX:]
