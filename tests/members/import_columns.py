"""The columns of the member spreadsheet, written out as docs/import-formats.md fixes them, and a
row builder. Spelled out here, not taken from ``MemberResource.columns()``, so a changed header
fails the tests instead of following along."""

import csv
import io

import openpyxl

HEADER = [
    "Số thẻ đảng viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Tôn giáo",
    "Số CCCD",
    "Mã tổ chức",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Chức vụ",
]
KEYS = ["card", "name", "gender", "born", "ethnicity", "religion", "cccd", "org", "admitted", "official"]
KEYS += ["profession", "theory", "job"]
# An official member of chi bộ A1 (Chi bộ Phòng Ngân sách): admitted 03/02/2012, official a year later.
DEFAULTS = {
    "card": "79000001",
    "name": "Nguyễn Văn An",
    "gender": "Nam",
    "born": "15/04/1985",
    "ethnicity": "Kinh",
    "religion": "Không",
    "cccd": "064085000001",
    "org": "A1",
    "admitted": "03/02/2012",
    "official": "03/02/2013",
    "profession": "Cử nhân Kinh tế",
    "theory": "Trung cấp",
    "job": "Chuyên viên",
}


def member_row(**values) -> list[object]:
    unknown = set(values) - set(KEYS)
    assert not unknown, unknown
    merged = {**DEFAULTS, **values}
    return [merged[key] for key in KEYS]


def xlsx(*rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(*rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
