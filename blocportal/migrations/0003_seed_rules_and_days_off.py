"""Today's rule defaults (blocportal/rules.py DEFAULTS, DOMAIN.md) as the first rows of the rule
table, in force since the Party's founding, and the days off of 2024 to 2027 announced (or, for the
days marked unconfirmed, expected under Bộ luật Lao động 2019 Điều 112) for the working-day
deadlines. The values are copied here, so later edits of DEFAULTS do not change this migration."""

from datetime import date

from django.db import migrations

SINCE = date(1930, 2, 3)

RULES = [
    (
        "organization.allowed_parents",
        {
            "dang_bo_khoi": [],
            "dang_bo_co_so": ["dang_bo_khoi"],
            "chi_bo_co_so": ["dang_bo_khoi"],
            "dang_bo_bo_phan": ["dang_bo_co_so"],
            "chi_bo_truc_thuoc": ["dang_bo_co_so", "dang_bo_bo_phan"],
            "to_dang": ["chi_bo_co_so", "chi_bo_truc_thuoc"],
        },
        "Điều lệ Đảng Điều 21; 294-QĐ/TW",
        False,
    ),
    ("document.number_width", 2, "HD 36-HD/VPTW §1.3", True),
    ("member.min_age_months", 216, "24-QĐ/TW §1.1, kept in 294-QĐ/TW §1.1.1", True),
    ("member.max_age_months", 720, "24-QĐ/TW §1.1, kept in 294-QĐ/TW §1.1.1", True),
    ("member.ceremony_due_working_days", 30, "294-QĐ/TW; QB Q13", True),
    ("member.probation_months", 12, "Điều lệ Đảng Điều 5", True),
    ("member.conversion_due_working_days", 30, "294-QĐ/TW §4.2", True),
    ("member.official_transfer_due_working_days", 60, "294-QĐ/TW §6.3.1a", True),
    ("candidate.certificate_valid_months", 60, "HD 06-HD/TW (2025)", True),
    ("candidate.sponsor_months_together", 12, "294-QĐ/TW §3.2.1; Điều lệ Đảng Điều 4", True),
    ("alert.probation_ending_days", 30, "DOMAIN.md validation rule 6", True),
    ("alert.certificate_expiring_days", 90, "DOMAIN.md validation rule 2", True),
    ("cell.min_official_members", 3, "Điều lệ Đảng Điều 24.1", True),
    ("cell.chi_uy_from_official_members", 9, "Điều lệ Đảng Điều 24.3", False),
    (
        "badge.milestone_years",
        [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
        "Quy định về Huy hiệu Đảng",
        False,
    ),
    ("badge.award_days", [[2, 3], [5, 19], [9, 2], [11, 7]], "HD 01-HD/TW 2021 mục 18", True),
    ("calendar.fixed_holidays", [[1, 1], [4, 30], [5, 1], [9, 2]], "Bộ luật Lao động 2019 Điều 112", True),
    ("member.personal_history_due_working_days", 30, "HD 12-HD/BTCTW 2022; QB Q74", True),
    ("resolution.vote_share", [2, 3], "HD 06-HD/TW §3.6b, §3.7a; 294-QĐ/TW §4.2", True),
    ("grassroots.committee_min_members", 30, "Điều lệ Đảng Điều 21", False),
    (
        "document.symbols",
        {
            "dang_bo_khoi": "ĐUK",
            "dang_bo_co_so": "ĐU",
            "dang_bo_bo_phan": "ĐU",
            "chi_bo_co_so": "CB",
            "chi_bo_truc_thuoc": "CB",
        },
        "HD 36-HD/VPTW §1.3; QB Q34, Q38",
        True,
    ),
    ("document.report_type", "BC", "66-QĐ/TW; 399-QĐ/TW (thể loại văn bản)", True),
]

TET = "Tết Nguyên đán"
GIO_TO = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
QUOC_KHANH = "Quốc khánh (ngày liền kề 2/9)"
BRIDGE = "Nghỉ hoán đổi dịp 30/4 - 1/5"
SUBSTITUTE = "Nghỉ bù ngày lễ trùng ngày nghỉ hằng tuần"
NOTICE = "Thông báo nghỉ lễ, Tết của Bộ Lao động - Thương binh và Xã hội / Bộ Nội vụ"
EXPECTED = "Dự kiến theo Bộ luật Lao động 2019 Điều 112; chờ thông báo chính thức"

# (day, kind, name, source, confirmed)
DAYS = [
    *[(date(2024, 2, d), "nghi", TET, NOTICE, True) for d in (8, 9, 12, 13, 14)],
    (date(2024, 4, 18), "nghi", GIO_TO, NOTICE, True),
    (date(2024, 4, 29), "nghi", BRIDGE, NOTICE, True),
    (date(2024, 5, 4), "lam_bu", "Làm bù cho ngày 29/4/2024", NOTICE, True),
    (date(2024, 9, 3), "nghi", QUOC_KHANH, NOTICE, True),
    *[(date(2025, 1, d), "nghi", TET, NOTICE, True) for d in (27, 28, 29, 30, 31)],
    (date(2025, 4, 7), "nghi", GIO_TO, NOTICE, True),
    (date(2025, 5, 2), "nghi", BRIDGE, NOTICE, True),
    (date(2025, 4, 26), "lam_bu", "Làm bù cho ngày 02/5/2025", NOTICE, True),
    (date(2025, 9, 1), "nghi", QUOC_KHANH, NOTICE, True),
    *[(date(2026, 2, d), "nghi", TET, NOTICE, True) for d in (16, 17, 18, 19, 20)],
    (date(2026, 4, 27), "nghi", GIO_TO + " - nghỉ bù", EXPECTED, False),
    (date(2026, 9, 1), "nghi", QUOC_KHANH, EXPECTED, False),
    *[(date(2027, 2, d), "nghi", TET, EXPECTED, False) for d in (5, 8, 9, 10, 11)],
    (date(2027, 4, 16), "nghi", GIO_TO, EXPECTED, False),
    (date(2027, 5, 3), "nghi", SUBSTITUTE + " (01/5/2027)", EXPECTED, False),
    (date(2027, 9, 3), "nghi", QUOC_KHANH, EXPECTED, False),
]


def seed(apps, schema_editor):
    RuleValue = apps.get_model("blocportal", "RuleValue")
    DayOff = apps.get_model("blocportal", "DayOff")
    for name, value, regulation, confirmed in RULES:
        RuleValue.objects.get_or_create(
            name=name,
            effective_on=SINCE,
            defaults={"value": value, "regulation": regulation, "confirmed": confirmed},
        )
    for day, kind, name, source, confirmed in DAYS:
        DayOff.objects.get_or_create(
            day=day, defaults={"kind": kind, "name": name, "source": source, "confirmed": confirmed}
        )


def unseed(apps, schema_editor):
    apps.get_model("blocportal", "RuleValue").objects.filter(effective_on=SINCE).delete()
    apps.get_model("blocportal", "DayOff").objects.filter(day__in=[row[0] for row in DAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("blocportal", "0002_rules_and_days_off")]

    operations = [migrations.RunPython(seed, unseed)]
