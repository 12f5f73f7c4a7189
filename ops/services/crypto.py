"""Backups encrypted at rest with Fernet (the ``cryptography`` package), in chunks so that a backup of any size is
written and read as a stream. Pure: no Django.

Why Fernet: it is a Python wheel (nothing to install in the image or on the server: no gpg keyring, no age binary),
the key is one string in the environment (``BACKUP_ENCRYPTION_KEY``), and it is authenticated (AES-128-CBC with an
HMAC-SHA256): a wrong key or a changed byte is refused, never restored as garbage. Several keys separated by commas
rotate: the first encrypts, any of them decrypts (``MultiFernet``). Its limit: the key is symmetric, so the server
that writes backups can also read them; keep the key outside the backup folder and its copies (docs/operations.md).

File format: the line ``PARTYBUILD-BACKUP-1\\n``, then frames of a 4-byte big-endian length and a Fernet token. Each
token's plaintext is an 8-byte chunk number, a 1-byte "last" flag and up to 1 MiB of data, so frames that are
dropped, reordered or cut off at the end are refused as well as changed ones.
"""

from __future__ import annotations

import io
import struct
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

MAGIC = b"PARTYBUILD-BACKUP-1\n"
CHUNK = 1 << 20
_HEAD = struct.Struct(">QB")
_LEN = struct.Struct(">I")


class BackupKeyError(ValueError):
    """The key is missing or malformed, or does not open this file."""


class BackupDamaged(ValueError):
    """The file is not a backup of ours, or was cut off or changed."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def parse_keys(value: str) -> MultiFernet:
    keys = [k.strip() for k in value.split(",") if k.strip()]
    if not keys:
        raise BackupKeyError("未设置备份密钥 BACKUP_ENCRYPTION_KEY")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise BackupKeyError("备份密钥格式不对:应是 manage.py backup --new-key 生成的 44 个字符") from exc


class EncryptingWriter(io.RawIOBase):
    """A write-only stream: what is written comes out encrypted into ``target``; ``close()`` writes the last frame."""

    def __init__(self, target: BinaryIO, keys: MultiFernet) -> None:
        self.target, self.keys = target, keys
        self.buffer, self.index = bytearray(), 0
        target.write(MAGIC)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._frame(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _frame(self, data: bytes, *, last: bool) -> None:
        token = self.keys.encrypt(_HEAD.pack(self.index, int(last)) + data)
        self.target.write(_LEN.pack(len(token)) + token)
        self.index += 1

    def close(self) -> None:
        if not self.closed:
            self._frame(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only stream of the plaintext of ``source``; refuses a wrong key, a changed or a truncated file."""

    def __init__(self, source: BinaryIO, keys: MultiFernet) -> None:
        self.source, self.keys = source, keys
        self.pending, self.pos, self.index, self.done = b"", 0, 0, False
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupDamaged("不是本系统的加密备份文件")

    def readable(self) -> bool:
        return True

    def _next(self) -> None:
        size = self.source.read(_LEN.size)
        if len(size) < _LEN.size:
            raise BackupDamaged("备份文件不完整(被截断)")
        token = self.source.read(_LEN.unpack(size)[0])
        try:
            plain = self.keys.decrypt(token)
        except InvalidToken as exc:
            if self.index == 0:
                raise BackupKeyError("备份密钥不对:用这个密钥解不开这份备份") from exc
            raise BackupDamaged("备份文件已损坏或被改动") from exc
        index, last = _HEAD.unpack(plain[: _HEAD.size])
        if index != self.index:
            raise BackupDamaged("备份文件已损坏或被改动(分块顺序不对)")
        self.index += 1
        self.pending, self.pos, self.done = plain, _HEAD.size, bool(last)
        if self.done and self.source.read(1):
            raise BackupDamaged("备份文件已损坏或被改动(结尾之后还有数据)")

    def readinto(self, out: bytearray) -> int:  # type: ignore[override]
        while self.pos >= len(self.pending) and not self.done:
            self._next()
        n = min(len(out), len(self.pending) - self.pos)
        out[:n] = self.pending[self.pos : self.pos + n]
        self.pos += n
        return n
