import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from blocportal.periods import Period
from blocportal.text import name_sort_key, nfc, search_key


def test_search_key_drops_tone_marks_and_d_stroke():
    assert search_key("Chi bộ Văn phòng") == "chi bo van phong"
    assert search_key("ĐẢNG ỦY KHỐI") == "dang uy khoi"


def test_decomposed_input_is_normalized():
    decomposed = "Nguye\u0302\u0303n"  # NFD as some keyboards send it
    assert nfc(decomposed) == "Nguyễn"
    assert search_key(decomposed) == "nguyen"


def test_names_sort_by_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An"]
    assert sorted(names, key=name_sort_key) == ["Lê Văn An", "Nguyễn Thị An", "Trần Văn Bình"]


def test_names_follow_the_vietnamese_alphabet_then_the_tones():
    # a < ă < â, d < đ, o < ô < ơ, u < ư; An before Anh (a word ends first); tones only break ties.
    names = ["Nguyễn Văn Đức", "Trần Văn Dũng", "Lê Thị Ân", "Võ Thị Anh", "Phạm Thị Hạ", "Phạm Thị Ha"]
    names += ["Hồ Văn Ưng", "Hồ Văn Uy", "Đỗ Ơn", "Đỗ Ôn", "Lê Văn An"]
    assert sorted(names, key=name_sort_key) == [
        "Lê Văn An",
        "Võ Thị Anh",
        "Lê Thị Ân",
        "Trần Văn Dũng",
        "Nguyễn Văn Đức",
        "Phạm Thị Ha",
        "Phạm Thị Hạ",
        "Đỗ Ôn",
        "Đỗ Ơn",
        "Hồ Văn Uy",
        "Hồ Văn Ưng",
    ]
    # Digits only: every database collation orders the stored key the same way.
    assert name_sort_key("Ksor H'Mai").isdigit()


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-Q2", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), "quý II năm 2026"),
        ("2026-h1", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("2026-9M", datetime.date(2026, 1, 1), datetime.date(2026, 9, 30), "9 tháng đầu năm 2026"),
        ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "năm 2024"),
    ],
)
def test_periods_parse_with_dates_and_labels(text, start, end, label):
    period = Period.parse(text)
    with translation.override("vi"):
        assert (period.start, period.end, period.label) == (start, end, label)


def test_period_kinds():
    assert [Period.parse(p).kind for p in ("2026-Q1", "2026-H2", "2026-9M", "2026")] == [
        "quarterly",
        "half_year",
        "nine_months",
        "annual",
    ]


@pytest.mark.parametrize("text", ["2026-Q5", "Q2-2026", "", "26-Q1"])
def test_bad_periods_are_refused_in_vietnamese(text):
    with translation.override("vi"), pytest.raises(ValidationError) as excinfo:
        Period.parse(text)
    assert "không phải là kỳ báo cáo" in str(excinfo.value.messages[0])


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "previous", "label"),
    [
        ("2026-05", "monthly", "2026-05-01", "2026-05-31", "2025-05", "tháng 5 năm 2026"),
        ("2026-02", "monthly", "2026-02-01", "2026-02-28", "2025-02", "tháng 2 năm 2026"),
        ("2026-Q2", "quarterly", "2026-04-01", "2026-06-30", "2025-Q2", "quý II năm 2026"),
        ("2011-2015", "years", "2011-01-01", "2015-12-31", "2006-2010", "5 năm (2011–2015)"),
        ("2021-2025", "years", "2021-01-01", "2025-12-31", "2016-2020", "5 năm (2021–2025)"),
    ],
)
def test_months_and_spans_of_years_with_the_period_before(text, kind, start, end, previous, label):
    period = Period.parse(text)

    with translation.override("vi"):
        assert (period.kind, str(period.label)) == (kind, label)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert str(period) == text and str(period.previous) == previous


def test_a_span_counts_its_months_and_years():
    period = Period.parse("2024-2025")

    assert list(period.years) == [2024, 2025]
    assert len(period.month_starts()) == 24
    assert period.month_starts()[-1] == datetime.date(2025, 12, 1)


@pytest.mark.parametrize("text", ["2015-2011", "2000-2030", "2015-2015"])
def test_a_span_runs_forward_and_at_most_twenty_years(text):
    with translation.override("vi"), pytest.raises(ValidationError) as excinfo:
        Period.parse(text)
    assert "Một giai đoạn phải đi từ năm trước đến năm sau" in excinfo.value.messages[0]
