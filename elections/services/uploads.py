"""Checks on an uploaded step document: type by extension AND by content, size; before anything is written."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 20 * 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
# extension → accepted leading bytes
TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "doc": (_OLE,),
    "xls": (_OLE,),
    "ofd": (_ZIP,),
}
HINT = "可上传PDF、图片(JPG、PNG)、Word、Excel或OFD文件,不超过20MB"


def extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")


def upload_problems(upload: UploadedFile) -> list[str]:
    name = upload.name or ""
    ext = extension(name)
    size = upload.size or 0
    if ext not in TYPES:
        return [f"不支持的文件类型“{ext or '无扩展名'}”:{HINT}"]
    if size == 0:
        return ["文件是空的"]
    if size > MAX_BYTES:
        return [f"文件大小{size // 1024 // 1024}MB,超过20MB"]
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in TYPES[ext]):
        return [f"文件内容与扩展名“.{ext}”不符"]
    return []


def stored_name(name: str) -> str:
    """A random name with the original extension: the user's file name never becomes a path."""
    return f"{secrets.token_hex(12)}.{extension(name)}"
