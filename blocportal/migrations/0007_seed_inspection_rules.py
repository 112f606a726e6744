"""The inspection and discipline rules (blocportal/rules.py DEFAULTS, DOMAIN.md §5) as rows of the rule
table, in force since the Party's founding. The values are copied here, so later edits of DEFAULTS do not
change this migration."""

from datetime import date

from django.db import migrations

SINCE = date(1930, 2, 3)

ALL_BODIES = ["ban_chap_hanh", "ban_thuong_vu", "uy_ban_kiem_tra"]

RULES = [
    (
        "inspection.bodies_by_kind",
        {
            "dau_hieu_vi_pham": [*ALL_BODIES, "chi_bo"],
            "thuc_hien_nhiem_vu_ktgs": ALL_BODIES,
            "tai_chinh_dang": ALL_BODIES,
            "giam_sat_thuong_xuyen": [*ALL_BODIES, "chi_bo", "co_quan_tham_muu"],
            "giam_sat_chuyen_de": [*ALL_BODIES, "chi_bo", "co_quan_tham_muu"],
            "giai_quyet_to_cao": [*ALL_BODIES, "chi_bo"],
            "giai_quyet_khieu_nai": ALL_BODIES,
        },
        "Điều lệ Đảng Điều 30–32; 296-QĐ/TW Điều 3, 5, 6",
        False,
    ),
    (
        "complaint.handling_days",
        {"chi_bo": 30, "co_so": 60, "cap_tren": 90},
        "22-QĐ/TW (recalled; 296-QĐ/TW unconfirmed)",
        False,
    ),
    ("alert.complaint_due_days", 10, "BlocPortal (DOMAIN.md validation rule 12)", True),
    (
        "discipline.limitation_years",
        {"khien_trach": 5, "canh_cao": 10, "cach_chuc": 10},
        "69-QĐ/TW Điều 4; HD 08 I.7",
        False,
    ),
    ("discipline.appeal_days", 30, "296-QĐ/TW Điều 25.1; QB Q31", True),
]


def seed(apps, schema_editor):
    RuleValue = apps.get_model("blocportal", "RuleValue")
    for name, value, regulation, confirmed in RULES:
        RuleValue.objects.get_or_create(
            name=name,
            effective_on=SINCE,
            defaults={"value": value, "regulation": regulation, "confirmed": confirmed},
        )


def unseed(apps, schema_editor):
    apps.get_model("blocportal", "RuleValue").objects.filter(
        name__in=[row[0] for row in RULES], effective_on=SINCE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("blocportal", "0006_seed_meeting_rules")]

    operations = [migrations.RunPython(seed, unseed)]
