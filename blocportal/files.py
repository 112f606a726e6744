"""Uploaded documents told by their content, not their name: meeting minutes and case files are a PDF, a
Word document (DOCX) or a photo (JPEG, PNG)."""

import zipfile

from django.core.files.uploadedfile import UploadedFile

SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "docx"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


def document_kind(upload: UploadedFile) -> str | None:
    """ "pdf", "docx", "jpg" or "png" by the file's first bytes (a DOCX is a ZIP holding
    word/document.xml), None for anything else. Leaves the file at its start."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    found = next((kind for signature, kind in SIGNATURES if head.startswith(signature)), None)
    if found == "docx":
        try:
            with zipfile.ZipFile(upload) as archive:
                found = "docx" if "word/document.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            found = None
        upload.seek(0)
    return found
