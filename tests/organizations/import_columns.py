"""The columns of the organization spreadsheet, written out as docs/import-formats.md fixes them.

Shared by the import and export tests. They are spelled out here, not taken from
``OrganizationResource.columns()``, so a changed header fails the tests instead of following along.
"""

HEADER = [
    "Mã tổ chức",
    "Tên tổ chức",
    "Loại tổ chức",
    "Lĩnh vực",
    "Mã tổ chức cấp trên",
    "Cơ quan, đơn vị",
    "Ngày thành lập",
]
