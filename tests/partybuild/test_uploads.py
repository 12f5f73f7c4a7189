"""The one upload validator (``core.uploads``): each use gives its formats and its
size limit; the type is read from the content as well as the name, and every refusal is Chinese."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import MEGABYTE, UploadPolicy, file_problems, upload_problems, validate_upload

PDF = b"%PDF-1.7\n"
TEN_MB = UploadPolicy(("pdf", "jpg", "jpeg", "png", "doc", "docx"), max_bytes=10 * MEGABYTE, what="有关材料")
STEPS = UploadPolicy(("pdf", "jpg", "png", "docx", "xlsx", "ofd"), max_bytes=20 * MEGABYTE)


def _zip(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, "x")
    return buffer.getvalue()


def test_each_use_has_its_own_limit_and_says_it():
    size = 15 * MEGABYTE
    assert upload_problems(STEPS, name="a.pdf", size=size, head=PDF) == []
    (problem,) = upload_problems(TEN_MB, name="a.pdf", size=size, head=PDF)
    assert problem == "有关材料“a.pdf”大小为15.0MB,超过10MB上限"


def test_each_use_has_its_own_formats_and_its_hint_names_them():
    assert TEN_MB.hint == "支持照片(JPG、PNG)、PDF、Word(doc/docx),单个文件不超过10MB"
    assert STEPS.hint == "支持照片(JPG、PNG)、PDF、Word(docx)、Excel(xlsx)、OFD,单个文件不超过20MB"
    (problem,) = upload_problems(TEN_MB, name="表.xlsx", size=100, head=b"PK\x03\x04", zip_names=["xl/a.xml"])
    assert problem.startswith("有关材料“表.xlsx”的格式不支持:支持")


def test_an_unknown_format_in_a_policy_is_a_programming_error():
    with pytest.raises(ValueError):
        UploadPolicy(("exe",), max_bytes=MEGABYTE)


def test_a_zip_package_must_be_the_kind_its_extension_says():
    word = SimpleUploadedFile("方案.docx", _zip("[Content_Types].xml", "word/document.xml"))
    renamed = SimpleUploadedFile("方案.docx", _zip("evil.exe"))
    ofd = SimpleUploadedFile("公告.ofd", _zip("OFD.xml", "Doc_0/Document.xml"))
    assert file_problems(word, STEPS) == [] and file_problems(ofd, STEPS) == []
    assert "内容与扩展名.docx不符" in file_problems(renamed, STEPS)[0]
    assert word.read(4) == b"PK\x03\x04"  # the check leaves the file at its start, ready to be stored


def test_validate_upload_raises_the_reasons_and_takes_no_file():
    validate_upload(None, TEN_MB)
    validate_upload(SimpleUploadedFile("a.pdf", PDF + b"0" * 100), TEN_MB)
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("假.jpg", b"MZ\x90\x00" * 10), TEN_MB)
    assert exc.value.messages == ["有关材料“假.jpg”的内容与扩展名.jpg不符,请上传原始文件"]
