"""``manage.py seed_demo``: a demo bloc shaped like a real Đảng bộ Khối, and one demo user per role.

The bloc follows the figures the bloc itself publishes (152 tổ chức cơ sở đảng: 31 in State agencies,
13 in Party agencies and mass organizations, the rest in public service units and enterprises). Every
organization is created through ``organizations.services`` so it has its path, its establishment
event and its history, exactly as if staff had typed it in.

The command is idempotent: organizations are matched by code and users by username, a second run
changes nothing. Random choices come from a seeded ``random.Random``, so every run plans the same
bloc. Each section is one function; later issues add members, meetings, cases and ratings as further
sections after ``seed_organizations``.
"""

import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from blocportal import clock, planner
from blocportal.dates import format_day
from blocportal.models import Assignment, Role
from blocportal.services import assign_role
from blocportal.text import nfc
from demo.candidates import seed_candidates
from demo.committees import seed_committees
from demo.emulation import COUNTED as COUNTED_EMULATION
from demo.emulation import seed_emulation
from demo.inspections import COUNTED as COUNTED_INSPECTIONS
from demo.inspections import seed_inspections
from demo.meetings import MONTHS, close_months, seed_meetings, seed_study
from demo.members import SeedError, seed_members
from demo.reports import COUNTED as COUNTED_REPORTS
from demo.reports import seed_reports
from organizations import services as org_services
from organizations.models import Organization

DEMO_PASSWORD = "demo12345"
DEMO_MEMBERS = 4200
SEED = 20260205

Kind = Organization.Kind
Sector = Organization.Sector

ROOT_CODE = "DUK"
ROOT = {
    "code": ROOT_CODE,
    "name": "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh",
    "short_name": "Đảng bộ Khối",
    "kind": Kind.BLOC,
    "established_on": date(1992, 9, 15),
}

# Sub-units a grassroots đảng bộ cơ sở is made of, by the kind of agency or enterprise hosting it.
UNITS: dict[str, list[str]] = {
    "agency": [
        "Văn phòng",
        "Phòng Tổ chức cán bộ",
        "Phòng Kế hoạch - Tài chính",
        "Phòng Pháp chế",
        "Phòng Quản lý chuyên ngành",
        "Phòng Tổng hợp",
        "Phòng Thanh tra - Kiểm tra",
        "Trung tâm trực thuộc",
    ],
    "party": [
        "Phòng Tổng hợp",
        "Phòng Hành chính - Quản trị",
        "Phòng Tài chính - Kế toán",
        "Phòng Lưu trữ",
        "Phòng Công nghệ thông tin",
        "Nhà khách",
    ],
    "finance": [
        "Phòng Ngân sách",
        "Phòng Quản lý giá và công sản",
        "Phòng Tài chính đầu tư",
        "Phòng Tài chính doanh nghiệp",
        "Phòng Kế hoạch tổng hợp",
        "Văn phòng Sở",
    ],
    "justice": [
        "Văn phòng",
        "Phòng Nghiệp vụ 1",
        "Phòng Nghiệp vụ 2",
        "Phòng Kiểm tra",
        "Khu vực 1",
        "Khu vực 2",
        "Khu vực 3",
    ],
    "tax": [
        "Văn phòng",
        "Phòng Nghiệp vụ - Dự toán",
        "Phòng Kiểm tra",
        "Phòng Quản lý khu vực 1",
        "Phòng Quản lý khu vực 2",
        "Phòng Quản lý khu vực 3",
        "Phòng Quản lý khu vực 4",
    ],
    "health": [
        "Khoa Nội tổng hợp",
        "Khoa Ngoại tổng hợp",
        "Khoa Sản",
        "Khoa Nhi",
        "Khoa Hồi sức tích cực - Chống độc",
        "Khoa Cấp cứu",
        "Phòng Kế hoạch tổng hợp",
        "Phòng Điều dưỡng",
        "Khối Cận lâm sàng",
        "Khối Hành chính",
    ],
    "school": [
        "Khoa Kinh tế",
        "Khoa Sư phạm",
        "Khoa Kỹ thuật - Công nghệ",
        "Khoa Khoa học cơ bản",
        "Phòng Đào tạo",
        "Phòng Tổ chức - Hành chính",
    ],
    "press": [
        "Ban Thời sự",
        "Ban Kinh tế",
        "Ban Văn hóa - Xã hội",
        "Ban Điện tử",
        "Ban Thư ký tòa soạn",
        "Phòng Hành chính - Trị sự",
        "Phòng Kỹ thuật",
    ],
    "plantation": [
        "Văn phòng Công ty",
        "Xí nghiệp Chế biến",
        "Phòng Kỹ thuật",
        "Đội Bảo vệ",
        "Nông trường Ia Nhin",
        "Nông trường Ia Ly",
        "Nông trường Hòa Phú",
    ],
    "bank": [
        "Phòng Khách hàng doanh nghiệp",
        "Phòng Khách hàng cá nhân",
        "Phòng Kế toán - Ngân quỹ",
        "Phòng Tổng hợp",
        "Phòng Giao dịch Hội Thương",
        "Phòng Giao dịch Hoa Lư",
        "Phòng Giao dịch Thống Nhất",
    ],
    "utility": [
        "Văn phòng",
        "Phòng Kỹ thuật",
        "Phòng Kinh doanh",
        "Trung tâm Điều hành",
        "Chi nhánh Pleiku",
        "Chi nhánh An Khê",
        "Chi nhánh Chư Sê",
        "Chi nhánh Ayun Pa",
    ],
    "company": [
        "Văn phòng Công ty",
        "Phòng Kế toán",
        "Phòng Kinh doanh",
        "Xí nghiệp số 1",
        "Xí nghiệp số 2",
        "Đội thi công số 1",
    ],
}

# Đảng bộ bộ phận under the largest enterprises: name and its chi bộ.
BRANCHES: dict[str, list[tuple[str, list[str]]]] = {
    "plantation": [
        (
            "Nông trường Ia Kha",
            ["Đội sản xuất 1", "Đội sản xuất 2", "Đội sản xuất 3", "Văn phòng Nông trường"],
        ),
        ("Nông trường Ia Sao", ["Đội sản xuất 4", "Đội sản xuất 5", "Văn phòng Nông trường"]),
    ],
    "utility": [
        ("Khối Kỹ thuật", ["Đội Quản lý vận hành lưới điện", "Đội Sửa chữa", "Trung tâm Điều độ"]),
    ],
    "health": [
        ("Khối Nội", ["Khoa Tim mạch", "Khoa Thần kinh", "Khoa Nội tiết"]),
    ],
}


@dataclass(frozen=True)
class Host:
    """A grassroots organization to plan: the unit hosting it, its kind and the shape of its units."""

    unit: str
    kind: str
    profile: str = "agency"
    short_name: str = ""


_C, _CC = Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL

# Sector -> (code prefix, hosts). Lists are append-only: codes are positions, and must stay stable.
GRASSROOTS: dict[str, tuple[str, list[Host]]] = {
    Sector.PARTY: (
        "DG",
        [
            Host("Văn phòng Tỉnh ủy", _C, "party"),
            Host("Ban Tổ chức Tỉnh ủy", _CC),
            Host("Ban Tuyên giáo và Dân vận Tỉnh ủy", _CC),
            Host("Ủy ban Kiểm tra Tỉnh ủy", _CC),
            Host("Ban Nội chính Tỉnh ủy", _CC),
            Host("Trường Chính trị tỉnh", _C, "school"),
            Host("Cơ quan Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh", _CC, short_name="Cơ quan ĐUK"),
        ],
    ),
    Sector.FRONT: (
        "MT",
        [
            Host("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", _C),
            Host("Tỉnh Đoàn", _CC),
            Host("Hội Liên hiệp Phụ nữ tỉnh", _CC),
            Host("Hội Nông dân tỉnh", _CC),
            Host("Hội Cựu chiến binh tỉnh", _CC),
            Host("Liên đoàn Lao động tỉnh", _CC),
        ],
    ),
    Sector.STATE: (
        "NN",
        [
            Host("Văn phòng Ủy ban nhân dân tỉnh", _C, short_name="VP UBND tỉnh"),
            Host("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", _CC),
            Host("Sở Tài chính", _C, "finance"),
            Host("Sở Nội vụ", _C),
            Host("Sở Tư pháp", _CC),
            Host("Sở Công Thương", _C),
            Host("Sở Nông nghiệp và Môi trường", _C),
            Host("Sở Xây dựng", _C),
            Host("Sở Giáo dục và Đào tạo", _C),
            Host("Sở Y tế", _C),
            Host("Sở Văn hóa, Thể thao và Du lịch", _C),
            Host("Sở Khoa học và Công nghệ", _CC),
            Host("Sở Dân tộc và Tôn giáo", _CC),
            Host("Sở Ngoại vụ", _CC),
            Host("Thanh tra tỉnh", _CC),
            Host("Ban Quản lý Khu kinh tế tỉnh", _CC),
            Host("Ngân hàng Nhà nước Chi nhánh tỉnh", _CC),
            Host("Kho bạc Nhà nước tỉnh", _C, "tax"),
            Host("Thuế tỉnh", _C, "tax"),
            Host("Hải quan tỉnh", _CC),
            Host("Thống kê tỉnh", _CC),
            Host("Bảo hiểm xã hội tỉnh", _C, "tax"),
            Host("Tòa án nhân dân tỉnh", _C, "justice"),
            Host("Viện Kiểm sát nhân dân tỉnh", _C, "justice"),
            Host("Thi hành án dân sự tỉnh", _C, "justice"),
            Host("Chi cục Quản lý thị trường tỉnh", _CC),
            Host("Chi cục Kiểm lâm", _C),
            Host("Chi cục Thủy lợi", _CC),
            Host("Chi cục Chăn nuôi và Thú y", _CC),
            Host("Chi cục Tiêu chuẩn Đo lường Chất lượng", _CC),
            Host("Văn phòng Điều phối nông thôn mới tỉnh", _CC),
        ],
    ),
    Sector.PUBLIC_SERVICE: (
        "SN",
        [
            Host("Báo Gia Lai", _C, "press"),
            Host("Đài Phát thanh - Truyền hình Gia Lai", _C, "press"),
            Host("Bệnh viện Đa khoa tỉnh", _C, "health"),
            Host("Bệnh viện Nhi tỉnh", _C, "health"),
            Host("Bệnh viện Y dược cổ truyền và Phục hồi chức năng", _CC),
            Host("Bệnh viện Lao và Bệnh phổi", _CC),
            Host("Bệnh viện Mắt", _CC),
            Host("Bệnh viện Tâm thần kinh", _CC),
            Host("Trung tâm Kiểm soát bệnh tật tỉnh", _C, "health"),
            Host("Trung tâm Pháp y", _CC),
            Host("Trung tâm Giám định y khoa", _CC),
            Host("Trường Cao đẳng Gia Lai", _C, "school"),
            Host("Trường THPT Chuyên Hùng Vương", _CC),
            Host("Trường Phổ thông Dân tộc nội trú tỉnh", _CC),
            Host("Trường THPT Pleiku", _CC),
            Host("Trường THPT Phan Bội Châu", _CC),
            Host("Trường THPT Hoàng Hoa Thám", _CC),
            Host("Trường THPT Lê Lợi", _CC),
            Host("Trường THPT Nguyễn Chí Thanh", _CC),
            Host("Trường THPT Trần Hưng Đạo", _CC),
            Host("Trung tâm Giáo dục thường xuyên tỉnh", _CC),
            Host("Phân hiệu Trường Đại học Nông Lâm tại Gia Lai", _C, "school"),
            Host("Bảo tàng tỉnh", _CC),
            Host("Thư viện tỉnh", _CC),
            Host("Nhà hát Ca múa nhạc truyền thống Đam San", _CC),
            Host("Trung tâm Văn hóa, Điện ảnh và Du lịch", _CC),
            Host("Trung tâm Huấn luyện và Thi đấu thể thao", _CC),
            Host("Trung tâm Phục vụ hành chính công", _CC),
            Host("Trung tâm Công nghệ thông tin và Truyền thông", _CC),
            Host("Trung tâm Dịch vụ việc làm", _CC),
            Host("Trung tâm Bảo trợ xã hội tổng hợp", _CC),
            Host("Trung tâm Trợ giúp pháp lý nhà nước", _CC),
            Host("Trung tâm Dịch vụ đấu giá tài sản", _CC),
            Host("Quỹ Đầu tư phát triển", _CC),
            Host("Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp", _CC),
            Host("Ban Quản lý dự án đầu tư xây dựng các công trình giao thông", _CC),
            Host("Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp", _CC),
            Host("Trung tâm Khuyến nông", _CC),
            Host("Trung tâm Quan trắc tài nguyên và môi trường", _CC),
            Host("Văn phòng Đăng ký đất đai", _C),
            Host("Trung tâm Phát triển quỹ đất", _CC),
            Host("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", _CC),
            Host("Trung tâm Đăng kiểm xe cơ giới", _CC),
            Host("Ban Quản lý Vườn quốc gia Kon Ka Kinh", _CC),
            Host("Trung tâm Nước sinh hoạt và Vệ sinh môi trường nông thôn", _CC),
        ],
    ),
    Sector.STATE_ENTERPRISE: (
        "DN",
        [
            Host("Công ty TNHH MTV Cao su Chư Păh", _C, "plantation"),
            Host("Công ty TNHH MTV Cao su Chư Sê", _C, "plantation"),
            Host("Công ty TNHH MTV Cao su Mang Yang", _C, "plantation"),
            Host("Công ty TNHH MTV Cao su Chư Prông", _C, "plantation"),
            Host("Công ty TNHH MTV Lâm nghiệp Kông Chro", _CC),
            Host("Công ty TNHH MTV Lâm nghiệp Ka Nak", _CC),
            Host("Công ty TNHH MTV Lâm nghiệp Sơ Pai", _CC),
            Host("Công ty TNHH MTV Lâm nghiệp Trạm Lập", _CC),
            Host("Công ty TNHH MTV Lâm nghiệp Kông H'De", _CC),
            Host("Công ty TNHH MTV Lâm nghiệp Ia Pa", _CC),
            Host("Công ty TNHH MTV Khai thác công trình thủy lợi Gia Lai", _C, "utility"),
            Host("Công ty TNHH MTV Xổ số kiến thiết Gia Lai", _CC),
            Host("Công ty Điện lực Gia Lai", _C, "utility"),
            Host("Công ty Thủy điện Ialy", _C, "utility"),
            Host("Truyền tải điện Gia Lai", _CC),
            Host("Ngân hàng Nông nghiệp và Phát triển nông thôn Chi nhánh tỉnh Gia Lai", _C, "bank"),
            Host("Ngân hàng TMCP Ngoại thương Việt Nam Chi nhánh Gia Lai", _C, "bank"),
            Host("Ngân hàng TMCP Đầu tư và Phát triển Việt Nam Chi nhánh Gia Lai", _CC),
            Host("Ngân hàng TMCP Công Thương Việt Nam Chi nhánh Gia Lai", _CC),
            Host("Ngân hàng Chính sách xã hội Chi nhánh tỉnh Gia Lai", _C, "bank"),
            Host("Viễn thông Gia Lai", _C, "utility"),
            Host("Viettel Gia Lai", _C, "utility"),
            Host("Bưu điện tỉnh Gia Lai", _C, "utility"),
            Host("Công ty Xăng dầu Bắc Tây Nguyên", _CC),
            Host("Công ty Bảo Việt Gia Lai", _CC),
        ],
    ),
    Sector.PRIVATE_ENTERPRISE: (
        "TN",
        [
            Host("Công ty Cổ phần Cà phê Gia Lai", _CC),
            Host("Công ty Cổ phần Cấp nước Gia Lai", _C, "company"),
            Host("Công ty Cổ phần Môi trường đô thị Gia Lai", _C, "company"),
            Host("Công ty Cổ phần Bến xe khách Gia Lai", _CC),
            Host("Công ty Cổ phần Dược - Vật tư y tế Gia Lai", _CC),
            Host("Công ty Cổ phần Sách và Thiết bị trường học Gia Lai", _CC),
            Host("Công ty Cổ phần Tập đoàn Đức Long Gia Lai", _C, "company"),
            Host("Công ty Cổ phần Hoàng Anh Gia Lai", _C, "plantation"),
            Host("Công ty Cổ phần Nông nghiệp Quốc tế Hoàng Anh Gia Lai", _CC),
            Host("Công ty Cổ phần Mía đường An Khê", _CC),
            Host("Công ty Cổ phần Xây dựng giao thông Gia Lai", _CC),
            Host("Công ty Cổ phần Tư vấn xây dựng Gia Lai", _CC),
            Host("Công ty Cổ phần Khoáng sản và Xây dựng Gia Lai", _CC),
            Host("Công ty Cổ phần Thủy điện Gia Lai", _CC),
            Host("Công ty Cổ phần Chè Bàu Cạn", _CC),
            Host("Công ty Cổ phần Chè Biển Hồ", _CC),
            Host("Công ty Cổ phần Du lịch Gia Lai", _CC),
            Host("Công ty Cổ phần Xuất nhập khẩu tổng hợp Gia Lai", _CC),
            Host("Công ty Cổ phần Vật tư nông nghiệp Gia Lai", _CC),
            Host("Công ty Cổ phần Giống cây trồng Gia Lai", _CC),
            Host("Công ty Cổ phần In và Bao bì Gia Lai", _CC),
            Host("Công ty Cổ phần Quản lý và Xây dựng đường bộ Gia Lai", _CC),
            Host("Công ty Cổ phần Thương mại Gia Lai", _CC),
            Host("Công ty Cổ phần Cơ khí và Xây lắp Gia Lai", _CC),
            Host("Công ty Cổ phần Cà phê Ia Grai", _CC),
            Host("Công ty Cổ phần Chế biến nông sản Tây Nguyên", _CC),
            Host("Công ty Cổ phần Gỗ Pleiku", _CC),
            Host("Công ty Cổ phần Đầu tư và Phát triển nhà Gia Lai", _CC),
            Host("Công ty Cổ phần Dịch vụ công ích Pleiku", _CC),
            Host("Công ty Cổ phần Vận tải Gia Lai", _CC),
            Host("Ngân hàng TMCP Sài Gòn Thương Tín Chi nhánh Gia Lai", _CC),
        ],
    ),
    Sector.OTHER: (
        "KH",
        [
            Host("Hội Chữ thập đỏ tỉnh", _CC),
            Host("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", _CC),
            Host("Hội Văn học Nghệ thuật tỉnh", _CC),
            Host("Liên minh Hợp tác xã tỉnh", _CC),
            Host("Hội Nhà báo tỉnh", _CC),
            Host("Hội Luật gia tỉnh", _CC),
            Host("Hội Người cao tuổi tỉnh", _CC),
        ],
    ),
}


@dataclass(frozen=True)
class OrgSpec:
    """One organization of the plan; ``parent_code`` is None only for the root."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    sector: str = ""
    short_name: str = ""
    host_unit: str = ""
    established_on: date | None = None
    decision_no: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str  # family and middle names: get_full_name() then reads "Nguyễn Văn An"
    last_name: str  # the given name, which Vietnamese lists sort by
    role: str | None  # None: superuser
    organization_code: str | None


# secretary1 leads a đảng bộ cơ sở with chi bộ trực thuộc, secretary2 a chi bộ cơ sở.
DEMO_USERS = [
    DemoUser("admin", "Phạm Minh", "Tuấn", None, None),
    DemoUser("staff", "Lê Thị Hồng", "Nhung", Role.STAFF, ROOT_CODE),
    DemoUser("leader", "Trần Văn", "Hùng", Role.LEADER, ROOT_CODE),
    DemoUser("inspector", "Nguyễn Thị Kim", "Oanh", Role.INSPECTOR, ROOT_CODE),
    DemoUser("secretary1", "Phan Đình", "Khoa", Role.SECRETARY, "NN03"),
    DemoUser("secretary2", "Ksor", "H'Nhung", Role.SECRETARY, "NN05"),
]


COUNTED = ("organizations", "users", "assignments", "corrected", "members", "terms", "seats", "candidates")
COUNTED_MEETINGS = ("meetings", "sheets", "attendance", "study", "closed")


@dataclass
class Demo:
    """What the sections share: the random source, the acting user and what has been seeded."""

    rng: random.Random
    by: object = None
    organizations: dict[str, Organization] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    # The subtrees whose chi bộ always get members, however small the demo: the demo users'.
    keep_populated: list[str] = field(default_factory=list)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _grassroots_name(host: Host) -> str:
    return f"{'Đảng bộ' if host.kind == Kind.GRASSROOTS_COMMITTEE else 'Chi bộ'} {host.unit}"


def plan_organizations(rng: random.Random) -> list[OrgSpec]:
    """The whole tree, parents before children, from the seeded random source alone (never from the
    database), so every run plans exactly the same organizations."""
    plan = [OrgSpec(parent_code=None, **ROOT)]
    for sector, (prefix, hosts) in GRASSROOTS.items():
        for number, host in enumerate(hosts, start=1):
            code = f"{prefix}{number:02d}"
            established = _random_date(rng, date(1976, 1, 1), date(2020, 12, 31))
            plan.append(
                OrgSpec(
                    code=code,
                    name=_grassroots_name(host),
                    kind=host.kind,
                    parent_code=ROOT_CODE,
                    sector=sector,
                    short_name=host.short_name,
                    host_unit=host.unit,
                    established_on=established,
                    decision_no=f"{rng.randint(1, 999)}-QĐ/ĐUK",
                )
            )
            if host.kind == Kind.GRASSROOTS_COMMITTEE:
                plan.extend(_plan_subunits(rng, code, host, established))
    return plan


def _plan_subunits(rng: random.Random, code: str, host: Host, established: date) -> list[OrgSpec]:
    """3–8 chi bộ trực thuộc; the largest hosts also get a đảng bộ bộ phận with its own chi bộ."""
    pool = UNITS[host.profile]
    units = rng.sample(pool, rng.randint(3, min(8, len(pool))))
    specs = []

    def child(child_code: str, name: str, kind: str, parent_code: str) -> OrgSpec:
        return OrgSpec(
            code=child_code,
            name=name,
            kind=kind,
            parent_code=parent_code,
            established_on=_random_date(rng, established, max(established, date(2024, 12, 31))),
            decision_no=f"{rng.randint(1, 199)}-QĐ/ĐU",
        )

    for number, unit in enumerate(units, start=1):
        specs.append(child(f"{code}.{number:02d}", f"Chi bộ {unit}", Kind.SUBORDINATE_CELL, code))
    if host.profile in BRANCHES and rng.random() < 0.6:
        for b_number, (branch, cells) in enumerate(BRANCHES[host.profile], start=1):
            branch_code = f"{code}.BP{b_number}"
            specs.append(child(branch_code, f"Đảng bộ bộ phận {branch}", Kind.BRANCH_COMMITTEE, code))
            for c_number, cell in enumerate(cells, start=1):
                specs.append(
                    child(
                        f"{branch_code}.{c_number:02d}", f"Chi bộ {cell}", Kind.SUBORDINATE_CELL, branch_code
                    )
                )
    return specs


# --- Sections -------------------------------------------------------------------------------


def seed_admin(demo: Demo) -> None:
    """The superuser first: every organization's establishment event is recorded by someone."""
    spec = DEMO_USERS[0]
    demo.by = _upsert_user(demo, spec, is_superuser=True)


def seed_organizations(demo: Demo) -> None:
    existing = {org.code: org for org in Organization.objects.all()}
    for spec in plan_organizations(demo.rng):
        organization = existing.get(spec.code)
        if organization is None:
            organization = org_services.create_organization(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent=demo.organizations[spec.parent_code] if spec.parent_code else None,
                sector=spec.sector,
                short_name=spec.short_name,
                host_unit=spec.host_unit,
                established_on=spec.established_on,
                decision_no=spec.decision_no,
                by=demo.by,
            )
            demo.count("organizations")
        elif organization.is_active:
            organization = _correct(demo, organization, spec)
        demo.organizations[spec.code] = organization


def _correct(demo: Demo, organization: Organization, spec: OrgSpec) -> Organization:
    """Put the descriptive fields back to the plan (a no-op when nothing differs). Structure —
    parent, kind, renames — is left as the users made it."""
    wanted = {
        "short_name": nfc(spec.short_name),
        "host_unit": nfc(spec.host_unit),
        "established_on": spec.established_on,
    }
    if spec.sector:
        wanted["sector"] = spec.sector
    changes = {name: value for name, value in wanted.items() if getattr(organization, name) != value}
    if not changes:
        return organization
    demo.count("corrected")
    return org_services.update_organization(organization=organization, by=demo.by, **changes)


def seed_users(demo: Demo) -> None:
    """One demo user per role, each with the assignment that gives them their scope."""
    for spec in DEMO_USERS[1:]:
        user = _upsert_user(demo, spec)
        organization = demo.organizations[spec.organization_code]
        if not Assignment.objects.filter(user=user, role=spec.role, organization=organization).exists():
            assign_role(user=user, role=spec.role, organization=organization, by=demo.by)
            demo.count("assignments")


def _upsert_user(demo: Demo, spec: DemoUser, *, is_superuser: bool = False):
    User = get_user_model()
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = User(username=spec.username)
        user.set_password(DEMO_PASSWORD)
        demo.count("users")
    wanted = {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "is_active": True,
        "is_superuser": is_superuser,
        "is_staff": is_superuser,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if user.pk is None or changed:
        user.save()
    return user


# --- Command ---------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Create the demo bloc (about 150 grassroots organizations) and one demo user per role, "
        f"password {DEMO_PASSWORD}. Idempotent. Refuses when DEBUG is off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (the demo users have a published password).",
        )
        parser.add_argument(
            "--members",
            type=int,
            default=DEMO_MEMBERS,
            help="About how many members the demo register has today (default %(default)s).",
        )
        parser.add_argument(
            "--months",
            type=int,
            default=MONTHS,
            help="How many months of meetings, up to this one (default %(default)s: two years).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has an organization (used by `make run`).",
        )

    def handle(self, *args, force: bool, if_empty: bool, members: int, months: int, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write(_("The database already has organizations: no demo data added."))
            return
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG is off, so this looks like a production database: the demo users have a "
                    "published password. Use --force to seed anyway."
                )
            )
        if months < 1:
            raise CommandError(_("Give a positive number of months."))
        demo = Demo(rng=random.Random(SEED))
        started = time.monotonic()
        self.stdout.write(
            _(
                "Seeding the demo bloc as of %(today)s; about %(members)d members take about "
                "%(minutes)d minutes."
            )
            % {
                "today": format_day(clock.today()),
                "members": members,
                "minutes": max(1, round(members * (1 + months / MONTHS) / 2000)),
            }
        )
        try:
            with self._step(1, _("organizations and users")):
                with transaction.atomic():
                    seed_admin(demo)
                    seed_organizations(demo)
                    seed_users(demo)
            demo.keep_populated = [
                demo.organizations[spec.organization_code].path
                for spec in DEMO_USERS
                if spec.organization_code and spec.organization_code != ROOT_CODE
            ]
            with self._step(2, _("members and two years of movements")):
                demo.count("members", seed_members(demo, members))
            with self._step(3, _("terms and committee seats")):
                committees = seed_committees(demo.rng, demo.by)
                demo.count("terms", committees["terms"])
                demo.count("seats", committees["seats"])
            with self._step(4, _("candidates and admission targets")):
                demo.count("candidates", seed_candidates(demo))
            # Before the meetings: a khai trừ or a cách chức changes who is on the lists after it.
            with self._step(5, _("inspections, supervisions, letters and discipline")):
                for name, count in seed_inspections(demo, self._progress).items():
                    demo.count(name, count)
            with self._step(6, _("meetings and their attendance")):
                for name, count in seed_meetings(demo, months, self._progress).items():
                    demo.count(name, count)
            with self._step(7, _("study of resolutions and closed months")):
                demo.count("study", seed_study(demo, months))
                demo.count("closed", close_months(demo, months))
            # After the case work: a member disciplined in the year is rated "không hoàn thành".
            with self._step(8, _("quality ratings, emulation clusters, scores and awards")):
                for name, count in seed_emulation(demo, self._progress).items():
                    demo.count(name, count)
            # Last: a report freezes the figures of everything above.
            with self._step(9, _("periodic reports of the last quarter")):
                for name, count in seed_reports(demo).items():
                    demo.count(name, count)
        except SeedError as error:
            raise CommandError(_("The demo could not be seeded: %(error)s") % {"error": error}) from error
        planner.refresh_statistics()  # the lists are planned for thousands of rows, not for none
        self._report(demo)
        self.stdout.write(_("Done in %(seconds)s s.") % {"seconds": f"{time.monotonic() - started:.0f}"})

    STEPS = 9

    @contextmanager
    def _step(self, number: int, what: str):
        """One line when a step starts and one when it ends, with its time: nothing runs silently."""
        self.stdout.write(f"[{number}/{self.STEPS}] {capfirst(what)} …")
        self.stdout.flush()
        began = time.monotonic()
        yield
        self.stdout.write(
            "      " + _("done in %(seconds)s s") % {"seconds": f"{time.monotonic() - began:.1f}"}
        )

    def _progress(self, line: str) -> None:
        self.stdout.write(f"      {line}")
        self.stdout.flush()

    def _report(self, demo: Demo) -> None:
        organizations = Organization.objects.subtree(demo.organizations[ROOT_CODE]).active()
        self.stdout.write(
            _("Demo bloc: %(total)d organizations, %(grassroots)d grassroots organizations.")
            % {"total": organizations.count(), "grassroots": organizations.grassroots().count()}
        )
        self.stdout.write(
            _(
                "Created in this run: %(organizations)d organizations, %(users)d users, "
                "%(assignments)d assignments, %(members)d members, %(terms)d terms, %(seats)d committee "
                "seats, %(candidates)d candidates; %(corrected)d organizations corrected."
            )
            % {name: demo.created.get(name, 0) for name in COUNTED}
        )
        self.stdout.write(
            _(
                "Meetings created in this run: %(meetings)d meetings with %(sheets)d attendance sheets and "
                "%(attendance)d attendance rows, %(study)d study sessions, %(closed)d months closed."
            )
            % {name: demo.created.get(name, 0) for name in COUNTED_MEETINGS}
        )
        self.stdout.write(
            _(
                "Case work created in this run: %(cases)d inspection and supervision cases, %(letters)d "
                "letters, %(decisions)d discipline decisions, %(appeals)d appeals."
            )
            % {name: demo.created.get(name, 0) for name in COUNTED_INSPECTIONS}
        )
        self.stdout.write(
            _(
                "Ratings and emulation created in this run: %(member_ratings)d member ratings, "
                "%(organization_ratings)d organization ratings, %(clusters)d emulation clusters, "
                "%(score_sheets)d score sheets with %(scored_organizations)d organizations scored, "
                "%(awards)d awards."
            )
            % {name: demo.created.get(name, 0) for name in COUNTED_EMULATION}
        )
        self.stdout.write(
            _("Reports created in this run: %(reports)d reports, %(rendered)d PDFs rendered.")
            % {name: demo.created.get(name, 0) for name in COUNTED_REPORTS}
        )
        rows = [(capfirst(_("username")), capfirst(_("role")), capfirst(_("organization")))]
        labels = dict(Role.choices)
        for spec in DEMO_USERS:
            role = labels[spec.role] if spec.role else _("Superuser")
            where = demo.organizations[spec.organization_code].name if spec.organization_code else "—"
            rows.append((spec.username, str(role), where))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for username, role, where in rows:
            self.stdout.write(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {where}")
        self.stdout.write(_("Password of every demo user: %(password)s") % {"password": DEMO_PASSWORD})
