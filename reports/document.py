"""The text of a report document: a Vietnamese Party document in the format of DOMAIN.md §8.

The document is not a page of the portal: whatever language the portal shows, the bloc issues its
reports in Vietnamese. Its header, vocabulary and sentences are therefore written in Vietnamese
here and in ``templates/reports/pdf/`` instead of going through gettext. The sentences follow how
the bloc writes about its own figures (../shared/seeds/): "Đảng bộ Khối hiện có 152 tổ chức cơ sở
đảng trực thuộc, trong đó 61 đảng bộ cơ sở và 91 chi bộ cơ sở; …". Parts that are zero are left out.
"""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone, translation

from blocportal import clock
from blocportal.numbers import share
from blocportal.text import nfc
from members.models import CommitteeSeat
from members.selectors.committees import top_seat
from organizations.documents import COMMITTEE_KINDS, committee_name, date_line, issuing_body, upper_body
from organizations.models import Organization

from . import charts
from .dashboard import attendance_by_month, block_length, levels_by_year, members_by_sector
from .figures import sector_table
from .models import Report
from .sanitize import NARRATIVE_FIELDS, is_blank
from .statistics import CASE_KINDS, CELL_KINDS, GRASSROOTS_KINDS, SECTORS

Kind = Organization.Kind

KIND_NOUNS = {
    Kind.GRASSROOTS_COMMITTEE: "đảng bộ cơ sở",
    Kind.GRASSROOTS_CELL: "chi bộ cơ sở",
    Kind.BRANCH_COMMITTEE: "đảng bộ bộ phận",
    Kind.SUBORDINATE_CELL: "chi bộ trực thuộc",
    Kind.GROUP: "tổ đảng",
}
KIND_COLUMNS = {
    Kind.GRASSROOTS_COMMITTEE: "Đảng bộ cơ sở",
    Kind.GRASSROOTS_CELL: "Chi bộ cơ sở",
    Kind.BRANCH_COMMITTEE: "Đảng bộ bộ phận",
    Kind.SUBORDINATE_CELL: "Chi bộ trực thuộc",
    Kind.GROUP: "Tổ đảng",
}
SECTOR_PHRASES = {
    Organization.Sector.PARTY: "cơ quan Đảng",
    Organization.Sector.STATE: "cơ quan Nhà nước",
    Organization.Sector.FRONT: "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội",
    Organization.Sector.PUBLIC_SERVICE: "đơn vị sự nghiệp",
    Organization.Sector.STATE_ENTERPRISE: "doanh nghiệp nhà nước",
    Organization.Sector.PRIVATE_ENTERPRISE: "doanh nghiệp ngoài nhà nước",
    Organization.Sector.OTHER: "các lĩnh vực khác",
}
Position = CommitteeSeat.Position
SIGNER_TITLES = {
    Position.SECRETARY: "BÍ THƯ",
    Position.DEPUTY_SECRETARY: "PHÓ BÍ THƯ",
    Position.STANDING_MEMBER: "ỦY VIÊN BAN THƯỜNG VỤ",
    Position.COMMITTEE_MEMBER: "CẤP ỦY VIÊN",
}
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}


def number(value: int) -> str:
    """4200 → "4.200" (Vietnamese grouping, whatever language is active)."""
    with translation.override("vi"):
        return formats.number_format(value, force_grouping=True)


def join(parts: list[str]) -> str:
    """["a", "b", "c"] → "a, b và c"."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} và {parts[-1]}"


def counted(count: int, noun: str) -> str:
    return f"{number(count)} {noun}"


def signature(organization: Organization, on: date) -> tuple[str, str, str]:
    """Collective signing on behalf of the standing committee or the chi bộ (DOMAIN.md §8): the
    heading, the signer's title and full name (HD 36: quyền hạn, chức vụ, họ tên). The signer is
    whoever holds the top committee seat on ``on``, the document's date: the bí thư, else a phó bí
    thư, …; the title carries no organization name and the name no academic title. With no seat
    recorded the title is the bí thư's and the name is left for the pen."""
    heading = "T/M BAN THƯỜNG VỤ" if organization.kind in COMMITTEE_KINDS else "T/M CHI BỘ"
    seat = top_seat(organization, on)
    if seat is None:
        return heading, SIGNER_TITLES[Position.SECRETARY], ""
    title = SIGNER_TITLES[seat.position]
    if seat.position == Position.COMMITTEE_MEMBER:
        title = "ĐẢNG ỦY VIÊN" if organization.kind in COMMITTEE_KINDS else "CHI ỦY VIÊN"
    return heading, title, nfc(seat.member.full_name)


def recipients(organization: Organization) -> list[str]:
    """One recipient per line, the file copy last."""
    if organization.parent is None:
        return ["Ban Thường vụ Tỉnh ủy (b/c)", "Ban Tổ chức Tỉnh ủy", "Lưu Văn phòng Đảng ủy Khối"]
    upper = committee_name(organization.parent.short_name or organization.parent.name)
    own = "Lưu Văn phòng Đảng ủy" if organization.kind in COMMITTEE_KINDS else "Lưu Chi bộ"
    return [f"Ban Thường vụ {upper} (b/c)", f"Ban Tổ chức {upper}", own]


def subject_of(organization: Organization) -> str:
    """How the document names its own organization in sentences."""
    if organization.kind == Kind.BLOC:
        return "Đảng bộ Khối"
    return "Đảng bộ" if organization.kind in COMMITTEE_KINDS else "Chi bộ"


def organization_sentences(
    organization: Organization, section: dict, members: dict | None = None
) -> list[str]:
    """The organization section in the bloc's words, zero parts left out. With the members section,
    each sector says how many members its organizations have ("31 tổ chức cơ sở đảng thuộc cơ quan
    Nhà nước với 2.020 đảng viên", seed 000)."""
    members_by_sector = (members or {}).get("by_sector", {})
    subject = subject_of(organization)
    grassroots = section["grassroots"]
    sentences = []
    if grassroots["total"]:
        sentence = f"{subject} hiện có {counted(grassroots['total'], 'tổ chức cơ sở đảng')} trực thuộc"
        kinds = [kind for kind in GRASSROOTS_KINDS if grassroots["by_kind"].get(kind)]
        if len(kinds) > 1:
            sentence += (
                f", trong đó {join([counted(grassroots['by_kind'][k], KIND_NOUNS[k]) for k in kinds])}"
            )
        else:
            sentence += f", đều là {KIND_NOUNS[kinds[0]]}"
        sectors = [
            f"{counted(grassroots['by_sector'][sector], 'tổ chức cơ sở đảng')} thuộc {SECTOR_PHRASES[sector]}"
            + (
                f" với {counted(members_by_sector[sector], 'đảng viên')}"
                if members_by_sector.get(sector)
                else ""
            )
            for sector in SECTORS
            if grassroots["by_sector"].get(sector)
        ]
        sentences.append(f"{sentence}; {join(sectors)}.")
    elif organization.kind == Kind.BLOC:
        sentences.append(f"{subject} chưa có tổ chức cơ sở đảng trực thuộc.")

    below = [
        counted(section[key], KIND_NOUNS[kind])
        for key, kind in (("branch_committees", Kind.BRANCH_COMMITTEE), ("cells", Kind.SUBORDINATE_CELL))
        if section[key]
    ]
    if below:
        owner = "Các đảng bộ cơ sở" if organization.kind == Kind.BLOC else f"{subject} hiện"
        sentences.append(f"{owner} có {join(below)}.")
    elif organization.kind == Kind.GRASSROOTS_COMMITTEE:
        sentences.append(f"{subject} chưa có chi bộ trực thuộc.")

    if section["groups"]:
        owner = "Chi bộ" if organization.kind in Organization.CELL_KINDS else "Các chi bộ"
        sentences.append(f"{owner} có {counted(section['groups'], 'tổ đảng')}.")
    elif organization.kind in Organization.CELL_KINDS:
        sentences.append("Chi bộ sinh hoạt chung, không chia tổ đảng.")
    return sentences


def percent(value: float) -> str:
    """32.4 → "32,4%" (one decimal, a decimal comma; 100.0 → "100%")."""
    text = f"{value:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')}%"


def whole_subject(organization: Organization) -> str:
    """How the document names all its members: "Toàn Đảng bộ Khối", "Toàn Đảng bộ", "Chi bộ"."""
    if organization.kind in Organization.CELL_KINDS:
        return "Chi bộ"
    return f"Toàn {subject_of(organization)}"


def member_sentences(organization: Organization, members: dict) -> list[str]:
    """The members on the register, by status, then the women, ethnic minorities and believers."""
    total = members["total"]
    if not total:
        return [f"{whole_subject(organization)} chưa có đảng viên."]
    statuses = [
        counted(members[key], noun)
        for key, noun in (("official", "đảng viên chính thức"), ("probationary", "đảng viên dự bị"))
        if members[key]
    ]
    sentence = f"{whole_subject(organization)} có {counted(total, 'đảng viên')} ({join(statuses)})"
    parts = [
        f"{noun} {number(members[key])} đồng chí (chiếm {percent(members[f'{key}_percent'])})"
        for key, noun in (
            ("women", "đảng viên nữ"),
            ("ethnic_minority", "đảng viên là người dân tộc thiểu số"),
        )
        if members.get(key)
    ]
    if members.get("religious"):
        parts.append(f"đảng viên có đạo {number(members['religious'])} đồng chí")
    if parts:
        sentence += f"; trong đó {join(parts)}"
    return [f"{sentence}."]


def movement_sentences(organization: Organization, movements: dict, period_text: str) -> list[str]:
    """The movements of the period in the bloc's words ("kết nạp 120 quần chúng ưu tú vào Đảng;
    chuyển đảng chính thức cho 180 đảng viên dự bị"), zero parts left out."""
    parts = []
    if movements["admitted"]:
        parts.append(f"kết nạp {counted(movements['admitted'], 'quần chúng ưu tú')} vào Đảng")
    if movements["made_official"]:
        parts.append(f"chuyển đảng chính thức cho {counted(movements['made_official'], 'đảng viên dự bị')}")
    if movements["transferred_in"]:
        parts.append(f"tiếp nhận {counted(movements['transferred_in'], 'đảng viên')} chuyển đến")
    if movements["transferred_out"]:
        parts.append(
            f"chuyển sinh hoạt đảng chính thức đi cho {counted(movements['transferred_out'], 'đảng viên')}"
        )
    for key, verb in (
        ("removed", "xóa tên"),
        ("removed_probationary", "xóa tên trong danh sách đảng viên dự bị"),
        ("expelled", "khai trừ"),
    ):
        if movements[key]:
            parts.append(f"{verb} {counted(movements[key], 'đảng viên')}")
    if movements["left"]:
        parts.append(f"giải quyết cho {counted(movements['left'], 'đảng viên')} ra khỏi Đảng")
    if movements["exempted"]:
        parts.append(f"miễn sinh hoạt đảng cho {counted(movements['exempted'], 'đảng viên')}")
    sentences = []
    if parts:
        sentences.append(f"Trong {period_text}, {subject_of(organization)} đã {'; '.join(parts)}.")
    else:
        sentences.append(f"Trong {period_text}, không có biến động về đảng viên.")
    if movements["died"]:
        sentences.append(f"Có {counted(movements['died'], 'đảng viên')} từ trần.")
    return [sentence[0].upper() + sentence[1:] for sentence in sentences]


def admission_sentence(admissions: dict, period_kind: str) -> str | None:
    """Admissions against the target: "vượt 32,4% chỉ tiêu đề ra" over a year or a span, "đạt 40%
    chỉ tiêu năm" within a year; nothing when no target was set."""
    target = admissions.get("target")
    if not target:
        return None
    admitted = admissions["admitted"]
    share = f"({number(admitted)}/{number(target)})"
    if period_kind not in ("annual", "years"):
        return (
            f"Số đảng viên mới kết nạp đạt {percent(admissions['percent_of_target'])} chỉ tiêu năm {share}."
        )
    over = admissions["over_target_percent"]
    if over > 0:
        return f"Số đảng viên mới kết nạp vượt {percent(over)} chỉ tiêu đề ra {share}."
    if over == 0:
        return f"Số đảng viên mới kết nạp đạt 100% chỉ tiêu đề ra {share}."
    return f"Số đảng viên mới kết nạp đạt {percent(admissions['percent_of_target'])} chỉ tiêu đề ra {share}."


def committee_sentences(organization: Organization, committees: dict, badges: dict) -> list[str]:
    sentences = []
    if committees["members"]:
        body = "Ban Chấp hành Đảng bộ" if organization.kind in COMMITTEE_KINDS else "Chi ủy"
        sentence = f"{body} có {counted(committees['members'], 'đồng chí')}"
        parts = [
            f"{number(committees[key])} đồng chí {noun} ({percent(committees[f'{key}_percent'])})"
            for key, noun in (("women", "nữ"), ("under_40", "dưới 40 tuổi"))
            if committees[key]
        ]
        sentences.append(f"{sentence}{', trong đó ' + join(parts) if parts else ''}.")
    if committees["secretaries_heading_unit"] and organization.kind not in Organization.CELL_KINDS:
        heading = committees["secretaries_heading_unit"]
        share = percent(committees["secretaries_heading_unit_percent"])
        sentences.append(
            f"Có {number(heading)}/{number(committees['secretaries'])} đồng chí bí thư cấp ủy cơ sở "
            f"đồng thời là thủ trưởng cơ quan, đơn vị ({share})."
        )
    if badges["awarded"]:
        sentences.append(f"Trao tặng Huy hiệu Đảng cho {counted(badges['awarded'], 'đảng viên')}.")
    return sentences


# Organizations behind named in section II; the others are counted.
BEHIND_NAMED = 10


def _due_noun(by_kind: dict) -> str:
    """The organizations due a monthly meeting, as the bloc names them: the chi bộ meet as
    members, the đảng bộ cơ sở as their committee (đảng ủy)."""
    cells = sum(by_kind.get(kind, {}).get("total", 0) for kind in CELL_KINDS)
    committees = by_kind.get(Kind.GRASSROOTS_COMMITTEE, {}).get("total", 0)
    if cells and committees:
        return "chi bộ, đảng ủy cơ sở"
    return "đảng ủy cơ sở" if committees else "chi bộ"


def _months_text(months: list[str]) -> str:
    """["2025-01", "2025-02", "2024-12"] → "tháng 12/2024, tháng 01, 02/2025": by year, in order."""
    by_year: dict[str, list[str]] = {}
    for month in sorted(months):
        year, number = month.split("-")
        by_year.setdefault(year, []).append(number)
    return ", ".join(f"tháng {', '.join(numbers)}/{year}" for year, numbers in by_year.items())


def _blocks_text(months: list[str]) -> str:
    """The thematic blocks missed, by the first month of each: "quý I/2025" for a quarter of the
    calendar, "tháng 01/2025" for a month, "tháng 01–06/2025" for a longer block."""
    parts = []
    for month in sorted(months):
        year, first = (int(part) for part in month.split("-"))
        length = block_length(month)
        if length == 3 and first % 3 == 1:
            parts.append(f"quý {('I', 'II', 'III', 'IV')[first // 3]}/{year}")
        elif length == 1:
            parts.append(f"tháng {first:02d}/{year}")
        else:
            parts.append(f"tháng {first:02d}–{min(first + length - 1, 12):02d}/{year}")
    return ", ".join(parts)


def behind_name(row: dict) -> str:
    """An organization behind with its meetings: a đảng bộ cơ sở meets as its committee."""
    name = nfc(row["name"])
    return committee_name(name) if row["kind"] == Kind.GRASSROOTS_COMMITTEE else name


def _of_due(held: int, due: int, share_percent: float | None) -> str:
    """ "2/9 kỳ theo quy định (22,2%)"."""
    return f"{number(held)}/{number(due)} kỳ theo quy định ({percent(share_percent)})"


def _regularity(organization: Organization, meetings: dict) -> list[str]:
    """Who kept the monthly meeting: "100% chi bộ duy trì sinh hoạt định kỳ hằng tháng", or how many
    did and how many of the months due were held."""
    total, every = meetings["cells_total"], meetings["cells_meeting_every_month"]
    if not total:
        return []
    held, due = meetings["regular_held"], meetings["regular_due"]
    if organization.kind in Organization.CELL_KINDS:
        if every:
            return ["Chi bộ duy trì sinh hoạt định kỳ hằng tháng"]
        return [f"Chi bộ sinh hoạt thường kỳ {number(held)}/{number(due)} tháng theo quy định"]
    noun = _due_noun(meetings["by_kind"])
    if every == total:
        return [f"100% {noun} duy trì sinh hoạt định kỳ hằng tháng"]
    if every:
        share_text = percent(meetings["cells_meeting_every_month_percent"])
        lead = f"{number(every)}/{number(total)} {noun} ({share_text}) duy trì sinh hoạt định kỳ hằng tháng"
    else:
        lead = f"chưa có {noun} nào duy trì sinh hoạt định kỳ đủ các tháng"
    return [lead, f"sinh hoạt thường kỳ đạt {_of_due(held, due, meetings['regular_held_percent'])}"]


def meeting_sentences(organization: Organization, meetings: dict, period_text: str) -> list[str]:
    """Section II, "Sinh hoạt chi bộ", as seed 002 writes it: "100% chi bộ duy trì sinh hoạt định kỳ
    hằng tháng; tỷ lệ đảng viên dự sinh hoạt đạt 84,6%, tỷ lệ cấp ủy viên dự sinh hoạt đạt 93,1%",
    then the thematic meetings and the organizations that fell behind, by name."""
    parts = _regularity(organization, meetings)
    rates = [
        f"tỷ lệ {noun} dự sinh hoạt đạt {percent(meetings[key])}"
        for key, noun in (
            ("attendance_percent", "đảng viên"),
            ("committee_attendance_percent", "cấp ủy viên"),
        )
        if meetings[key] is not None
    ]
    if rates:
        parts.append(", ".join(rates))
    if parts:
        sentences = [f"Trong {period_text}, {'; '.join(parts)}."]
    else:
        sentences = [f"Trong {period_text}, chưa có số liệu sinh hoạt chi bộ."]

    single = organization.kind in Organization.CELL_KINDS
    owner = "Chi bộ" if single else "Các chi bộ"
    thematic = counted(meetings["thematic_meetings"], "lượt sinh hoạt chuyên đề")
    if meetings["thematic_due"]:
        of_due = _of_due(
            meetings["thematic_held"], meetings["thematic_due"], meetings["thematic_held_percent"]
        )
        sentence = f"{owner} đã sinh hoạt chuyên đề {of_due}"
        if meetings["thematic_meetings"] > meetings["thematic_held"] and not single:
            sentence += f", với {thematic}"
        sentences.append(f"{sentence}.")
    elif meetings["thematic_meetings"]:
        sentences.append(f"{owner} đã tổ chức {thematic}.")

    behind = meetings["behind"]
    if behind:
        named = []
        for row in behind[:BEHIND_NAMED]:
            missing = []
            if row["regular_missing"]:
                missing.append(f"chưa sinh hoạt thường kỳ {_months_text(row['regular_missing'])}")
            if row["thematic_missing"]:
                missing.append(f"chưa sinh hoạt chuyên đề {_blocks_text(row['thematic_missing'])}")
            named.append(f"{behind_name(row)} ({' và '.join(missing)})")
        rest = len(behind) - len(named)
        listed = "; ".join(named) + (f" và {counted(rest, 'tổ chức khác')}" if rest else "")
        if len(behind) == 1:
            heading = "Tổ chức chưa sinh hoạt đủ theo quy định"
        else:
            heading = f"Còn {counted(len(behind), 'tổ chức')} chưa sinh hoạt đủ theo quy định"
        sentences.append(f"{heading}: {listed}.")
    return sentences


def study_sentences(organization: Organization, study: dict, period_text: str) -> list[str]:
    """Section III, "Học tập, quán triệt nghị quyết", as seed 002 writes it: "100% đảng viên và
    91,2% quần chúng được nghiên cứu, học tập"."""
    if not study["sessions"]:
        return [f"Trong {period_text}, chưa ghi nhận hội nghị học tập, quán triệt nghị quyết, chỉ thị nào."]
    subject = "Chi bộ" if organization.kind in Organization.CELL_KINDS else "các cấp ủy, tổ chức đảng"
    sentence = (
        f"Trong {period_text}, {subject} đã tổ chức "
        f"{counted(study['sessions'], 'hội nghị')} học tập, quán triệt nghị quyết, chỉ thị của Đảng"
    )
    reached = []
    if study["member_percent"] is not None:
        reached.append(f"{percent(study['member_percent'])} đảng viên")
    if study["non_member_percent"] is not None:
        reached.append(f"{percent(study['non_member_percent'])} quần chúng")
    if reached:
        sentence += f"; {' và '.join(reached)} được nghiên cứu, học tập"
    return [f"{sentence}."]


# Section IV: the case work (DOMAIN.md §5), as seed 001 writes it.
CASE_KIND_NOUNS = {
    "dau_hieu_vi_pham": "kiểm tra khi có dấu hiệu vi phạm",
    "thuc_hien_nhiem_vu_ktgs": "kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật đảng",
    "tai_chinh_dang": "kiểm tra tài chính đảng",
    "giam_sat_thuong_xuyen": "giám sát thường xuyên",
    "giam_sat_chuyen_de": "giám sát chuyên đề",
    "giai_quyet_to_cao": "giải quyết tố cáo",
    "giai_quyet_khieu_nai": "giải quyết khiếu nại kỷ luật đảng",
}
FORM_NOUNS = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "cach_chuc": "cách chức",
    "khai_tru": "khai trừ",
    "giai_tan": "giải tán",
}


def _case_workers(organization: Organization) -> str:
    """Who conducts the cases counted at the node: the bodies of the whole subtree."""
    if organization.kind in Organization.CELL_KINDS:
        return "Chi bộ"
    if organization.kind == Kind.BLOC:
        return "cấp ủy, ủy ban kiểm tra các cấp"
    if organization.kind == Kind.GRASSROOTS_COMMITTEE:
        return "Đảng ủy, Ủy ban Kiểm tra Đảng ủy và các chi bộ trực thuộc"
    return "cấp ủy và các chi bộ trực thuộc"


def _disciplined(count: int, noun: str, by_form: dict) -> str:
    """ "1 tổ chức đảng bằng hình thức khiển trách", "3 đảng viên (khiển trách 2, khai trừ 1)"."""
    forms = [(name, by_form[form]) for form, name in FORM_NOUNS.items() if by_form.get(form)]
    if len(forms) == 1:
        return f"{counted(count, noun)} bằng hình thức {forms[0][0]}"
    return f"{counted(count, noun)} ({', '.join(f'{name} {number(n)}' for name, n in forms)})"


def case_work_sentences(
    organization: Organization, figures: dict, period_text: str, as_of: date
) -> list[str]:
    """Section IV, "Công tác kiểm tra, giám sát và thi hành kỷ luật đảng", as seed 001 writes it ("đã
    ban hành quyết định và kế hoạch kiểm tra, giám sát đối với 14 chi, đảng bộ cơ sở và 07 đồng chí Bí
    thư Đảng ủy cơ sở; thi hành kỷ luật 02 tổ chức đảng", "thi hành kỷ luật 01 đảng viên bằng hình thức
    khai trừ"): counts and forms from the frozen figures, never a name, a finding or a sender."""
    inspections, discipline, complaints = figures["inspections"], figures["discipline"], figures["complaints"]
    workers = _case_workers(organization)
    sentences = []
    if inspections["cases"]:
        targets = []
        if inspections["organizations_covered"]:
            part = counted(inspections["organizations_covered"], "tổ chức đảng")
            if inspections["grassroots_covered"]:
                part += f" (trong đó {counted(inspections['grassroots_covered'], 'chi, đảng bộ cơ sở')})"
            targets.append(part)
        if inspections["members_covered"]:
            part = counted(inspections["members_covered"], "đồng chí đảng viên")
            if inspections["secretaries_covered"]:
                part += f" (trong đó {counted(inspections['secretaries_covered'], 'đồng chí bí thư cấp ủy')})"
            targets.append(part)
        by_kind = inspections["by_kind"]
        kinds = [kind for kind in CASE_KINDS if by_kind.get(kind)]
        total = counted(inspections["cases"], "cuộc")
        if len(kinds) == 1:
            sentences.append(
                f"Trong {period_text}, {workers} đã tiến hành {total} {CASE_KIND_NOUNS[kinds[0]]} "
                f"đối với {join(targets)}."
            )
        else:
            parts = ", ".join(f"{CASE_KIND_NOUNS[kind]} {counted(by_kind[kind], 'cuộc')}" for kind in kinds)
            sentences.append(
                f"Trong {period_text}, {workers} đã ban hành quyết định kiểm tra, giám sát đối với "
                f"{join(targets)}; tổng số {total}, gồm: {parts}."
            )
    else:
        sentences.append(f"Trong {period_text}, chưa ghi nhận cuộc kiểm tra, giám sát nào.")
    if inspections["violations_found"]:
        sentences.append(
            f"Qua kiểm tra, giám sát, đã kết luận {counted(inspections['violations_found'], 'trường hợp')} "
            "có vi phạm."
        )

    disciplined = []
    if discipline["organizations"]:
        disciplined.append(
            _disciplined(discipline["organizations"], "tổ chức đảng", discipline["organizations_by_form"])
        )
    if discipline["members"]:
        disciplined.append(_disciplined(discipline["members"], "đảng viên", discipline["members_by_form"]))
    if disciplined:
        sentences.append(f"Thi hành kỷ luật {join(disciplined)}.")
    else:
        nobody = "đảng viên" if organization.kind in Organization.CELL_KINDS else "tổ chức đảng, đảng viên"
        sentences.append(f"Không có {nobody} nào bị thi hành kỷ luật.")

    day = f"{as_of:%d/%m/%Y}"
    if not complaints["received"] and not complaints["resolved"] and not complaints["pending"]:
        sentences.append(
            "Không tiếp nhận đơn thư tố cáo, khiếu nại, phản ánh nào và không có đơn thư tồn đọng."
        )
        return _capitalized_sentences(sentences)
    if complaints["received"] or complaints["resolved"]:
        parts = []
        if complaints["received"]:
            parts.append(
                f"tiếp nhận {counted(complaints['received'], 'đơn thư')} tố cáo, khiếu nại, phản ánh"
            )
        if complaints["resolved"]:
            parts.append(f"giải quyết xong {counted(complaints['resolved'], 'đơn')}")
        sentences.append(f"Về đơn thư, đã {'; '.join(parts)}.")
    else:
        sentences.append("Không tiếp nhận đơn thư tố cáo, khiếu nại, phản ánh nào.")
    if complaints["pending"]:
        sentence = f"Đến ngày {day}, còn {counted(complaints['pending'], 'đơn')} đang giải quyết"
        if complaints["overdue"]:
            sentence += f", trong đó {counted(complaints['overdue'], 'đơn')} quá hạn"
        sentences.append(f"{sentence}.")
    else:
        sentences.append(f"Đến ngày {day}, không còn đơn thư tồn đọng.")
    return _capitalized_sentences(sentences)


def _capitalized_sentences(sentences: list[str]) -> list[str]:
    return [sentence[0].upper() + sentence[1:] for sentence in sentences]


# Section V: the quality ratings and the emulation (DOMAIN.md §6–7), as seed 002 writes them ("tỷ lệ cơ sở
# đạt trong sạch, vững mạnh là trên 66,67%, không có cơ sở đảng yếu kém; số đảng viên hoàn thành tốt, hoàn
# thành xuất sắc nhiệm vụ đạt trên 92,65%").
LEVEL_NOUNS = {
    "htxs": "hoàn thành xuất sắc nhiệm vụ",
    "htt": "hoàn thành tốt nhiệm vụ",
    "ht": "hoàn thành nhiệm vụ",
    "kht": "không hoàn thành nhiệm vụ",
    "tsvm": "trong sạch, vững mạnh",
    "yeu_kem": "yếu kém",
}
LEVEL_COLUMNS = {
    "htxs": "Hoàn thành xuất sắc nhiệm vụ",
    "htt": "Hoàn thành tốt nhiệm vụ",
    "ht": "Hoàn thành nhiệm vụ",
    "kht": "Không hoàn thành nhiệm vụ",
    "tsvm": "Trong sạch, vững mạnh",
    "yeu_kem": "Yếu kém",
}
# Ranking rows named in the sentence below the bloc; the bloc names its leaders only.
RANKED_NAMED = 5


def has_ratings(figures: dict) -> bool:
    """Whether the period has a rating or a ranking to report (section V shows only then)."""
    ratings, emulation = figures.get("ratings"), figures.get("emulation")
    if ratings is None:  # a report frozen before the ratings
        return False
    return bool(
        ratings["members"]["rated"] or ratings["organizations"]["rated"] or (emulation or {}).get("ranking")
    )


def _years_text(years: list[int]) -> str:
    """The years the ratings are of: "năm 2025", "các năm 2016–2025"."""
    if len(years) == 1:
        return f"năm {years[0]}"
    return f"các năm {years[0]}–{years[-1]}"


def _levels_text(by_level: dict, levels: tuple[str, ...]) -> str:
    """ "1 hoàn thành xuất sắc nhiệm vụ, 2 hoàn thành tốt nhiệm vụ và 1 không hoàn thành nhiệm vụ"."""
    return join(
        [f"{number(by_level[level])} {LEVEL_NOUNS[level]}" for level in levels if by_level.get(level)]
    )


def _rated_years(ratings: dict, whom: str) -> list[int]:
    return [year for year in ratings["years"] if ratings["by_year"][str(year)][whom]["rated"]]


def _organization_rating_sentence(organization: Organization, ratings: dict, lead: str) -> str | None:
    organizations = ratings["organizations"]
    if not organizations["rated"]:
        return None
    years = _rated_years(ratings, "organizations")
    legacy = set(ratings["legacy_years"])
    by_level = organizations["by_level"]
    if organization.kind in Organization.GRASSROOTS_KINDS and organizations["rated"] == 1:
        # The node's own rating: "Đảng bộ được xếp loại hoàn thành tốt nhiệm vụ".
        (level,) = [level for level, count in by_level.items() if count]
        return f"{lead}, {subject_of(organization)} được xếp loại {LEVEL_NOUNS[level]}."
    if all(year in legacy for year in years):
        # The legacy classification, as the bloc's reports still quote it.
        sentence = (
            f"{lead}, tỷ lệ cơ sở đạt trong sạch, vững mạnh là {percent(organizations['tsvm_percent'])} "
            f"({number(by_level['tsvm'])}/{number(organizations['rated'])} tổ chức cơ sở đảng)"
        )
        weak = by_level["yeu_kem"]
        sentence += f", có {counted(weak, 'cơ sở đảng')} yếu kém" if weak else ", không có cơ sở đảng yếu kém"
        return f"{sentence}."
    current = ("htxs", "htt", "ht", "kht", "tsvm", "yeu_kem")
    sentence = (
        f"{lead}, có {counted(organizations['rated'], 'tổ chức cơ sở đảng')} được đánh giá, xếp loại chất "
        f"lượng, trong đó {_levels_text(by_level, current)}; tỷ lệ tổ chức cơ sở đảng hoàn thành tốt "
        f"nhiệm vụ trở lên đạt {percent(organizations['good_or_excellent_percent'])}"
    )
    if organizations["tsvm_percent"] is not None and any(year in legacy for year in years):
        sentence += (
            f"; tỷ lệ cơ sở đạt trong sạch, vững mạnh (các năm đến {max(legacy)}) là "
            f"{percent(organizations['tsvm_percent'])}"
        )
    return f"{sentence}."


def _member_rating_sentence(ratings: dict, lead: str) -> str | None:
    members = ratings["members"]
    if not members["rated"]:
        return None
    return (
        f"{lead}, có {counted(members['rated'], 'đảng viên')} được đánh giá, xếp loại chất lượng, trong đó "
        f"{_levels_text(members['by_level'], ('htxs', 'htt', 'ht', 'kht'))}; số đảng viên hoàn thành tốt, "
        f"hoàn thành xuất sắc nhiệm vụ đạt {percent(members['good_or_excellent_percent'])}."
    )


def _quota_group(row: dict, several_years: bool) -> str:
    """A group over the quota: "đảng viên Chi bộ Báo Gia Lai", "các tổ chức đảng do Ban Thường vụ Đảng ủy
    Khối … đánh giá"."""
    name = nfc(row["name"])
    if row["group"] == "members":
        text = f"đảng viên {name}"
    else:
        text = f"các tổ chức đảng do {committee_name(name)} đánh giá"
    return f"{text} (năm {row['year']})" if several_years else text


def _ranking_sentences(organization: Organization, emulation: dict) -> list[str]:
    ranking = emulation.get("ranking") or []
    if not ranking:
        return []
    lead = f"Kết quả chấm điểm thi đua năm {emulation['year']} theo {nfc(emulation['sheet'])}"
    if organization.kind == Kind.BLOC:
        bands = {}
        for row in ranking:
            if row["band"]:
                bands[row["band"]] = bands.get(row["band"], 0) + 1
        sentence = f"{lead}: {counted(len(ranking), 'tổ chức cơ sở đảng')} được chấm điểm"
        if bands:
            sentence += f", trong đó {join([f'{number(n)} đạt loại {band}' for band, n in bands.items()])}"
        first = [row for row in ranking if row["rank"] == 1]
        names = join([f"{nfc(row['name'])} ({_points(row['total'])} điểm)" for row in first])
        return [f"{sentence}; dẫn đầu là {names}."]
    named = [
        f"{nfc(row['name'])} đạt {_points(row['total'])} điểm, xếp thứ {number(row['rank'])}"
        + (f", loại {row['band']}" if row["band"] else "")
        for row in ranking[:RANKED_NAMED]
    ]
    rest = len(ranking) - len(named)
    listed = "; ".join(named) + (f" và {counted(rest, 'tổ chức khác')}" if rest else "")
    return [f"{lead}: {listed}."]


def _points(total: float) -> str:
    """95.0 → "95", 87.5 → "87,5"."""
    text = f"{total:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def rating_sentences(organization: Organization, figures: dict, *, annual: bool) -> list[str]:
    """Section V, "Đánh giá, xếp loại chất lượng và thi đua", as seed 002 writes it: the grassroots
    organizations' and the members' ratings of the years the period touches, the groups over the excellence
    quota (named in an annual report, as seed 003 complains: "tỷ lệ … đạt mức hoàn thành xuất sắc nhiệm vụ
    còn cao hơn quy định"), and the emulation ranking."""
    ratings = figures["ratings"]
    lead = f"Kết quả đánh giá, xếp loại chất lượng {_years_text(ratings['years'])}"
    sentences = []
    organization_sentence = _organization_rating_sentence(organization, ratings, lead)
    if organization_sentence:
        sentences.append(organization_sentence)
    member_sentence = _member_rating_sentence(ratings, "Về đảng viên" if organization_sentence else lead)
    if member_sentence:
        sentences.append(member_sentence)
    groups = ratings["over_quota_groups"]
    if groups:
        if annual:
            several = len({row["year"] for row in groups}) > 1
            named = "; ".join(_quota_group(row, several) for row in groups)
            sentences.append(
                "Tỷ lệ xếp loại hoàn thành xuất sắc nhiệm vụ còn cao hơn quy định (vượt tỷ lệ so với số được "
                f"xếp loại hoàn thành tốt nhiệm vụ) ở: {named}."
            )
        else:
            sentences.append(
                f"Có {counted(len(groups), 'nhóm')} có tỷ lệ xếp loại hoàn thành xuất sắc nhiệm vụ còn cao "
                "hơn quy định."
            )
    sentences += _ranking_sentences(organization, figures.get("emulation") or {})
    return _capitalized_sentences(sentences)


def rating_table(figures: dict) -> dict | None:
    """The levels year by year, for the members and the grassroots organizations: one row per year and
    subject that has ratings, one column per level (tsvm and yếu kém too when a legacy year is shown)."""
    ratings = figures["ratings"]
    rows = []
    for whom, noun in (("organizations", "Tổ chức cơ sở đảng"), ("members", "Đảng viên")):
        for year in ratings["years"]:
            row = ratings["by_year"][str(year)][whom]
            if row["rated"]:
                legacy = whom == "organizations" and ratings["by_year"][str(year)]["legacy"]
                rows.append({"label": f"{noun} năm {year}", "legacy": legacy, **row})
    if not rows:
        return None
    # The four levels, and the legacy ones when a legacy year of the organizations is shown.
    legacy = any(row["legacy"] for row in rows)
    levels = [level for level in LEVEL_COLUMNS if level in ("htxs", "htt", "ht", "kht") or legacy]
    return {
        "columns": [LEVEL_COLUMNS[level] for level in levels],
        "rows": [
            {
                "label": row["label"],
                "rated": row["rated"],
                "counts": [row["by_level"].get(level, 0) for level in levels],
                "share": row["good_or_excellent_percent"],
            }
            for row in rows
        ],
    }


# Whether a module has figures for the period: its section shows only then (issue 13), the sections that
# show numbered I, II, III … in order and the narrative last. Figures frozen before a module have none.


def has_meetings(figures: dict) -> bool:
    """Section II: a meeting was recorded in the period (a chi bộ's, or a đảng bộ cơ sở's committee's)."""
    meetings = figures.get("meetings")
    if meetings is None:
        return False
    return bool(
        meetings["regular_held"]
        or meetings["thematic_held"]
        or meetings["regular_meetings"]
        or meetings["thematic_meetings"]
    )


def has_study(figures: dict) -> bool:
    """Section III: a study session (học tập, quán triệt) was held in the period."""
    study = figures.get("study")
    return bool(study and study["sessions"])


def has_case_work(figures: dict) -> bool:
    """Section IV: a case opened or concluded with a violation, a discipline decision, or a letter received,
    settled or still waiting at the period's end."""
    inspections = figures.get("inspections")
    if inspections is None:
        return False
    discipline, complaints = figures["discipline"], figures["complaints"]
    return bool(
        inspections["cases"]
        or inspections["violations_found"]
        or discipline["organizations"]
        or discipline["members"]
        or any(complaints[key] for key in ("received", "resolved", "pending"))
    )


def decimal(value: float | None) -> str:
    """A share in a table's cell: 41.7 → "41,7", 100.0 → "100", none → "–"."""
    return "–" if value is None else percent(value).removesuffix("%")


# The organizations due a regular meeting, by kind, as section II's table names them: a đảng bộ cơ sở
# meets as its committee.
MEETING_KIND_ROWS = {
    Kind.GRASSROOTS_CELL: "Chi bộ cơ sở",
    Kind.SUBORDINATE_CELL: "Chi bộ trực thuộc",
    Kind.GRASSROOTS_COMMITTEE: "Đảng ủy cơ sở",
}


def meeting_table(meetings: dict) -> dict | None:
    """Section II's table: per kind of organization due a monthly meeting, how many, how many met every
    month, the regular and the thematic meetings held of those due with their share; then the total. None
    for figures frozen before the counts by kind."""
    by_kind = meetings["by_kind"]
    kinds = [kind for kind in MEETING_KIND_ROWS if by_kind.get(kind, {}).get("total")]
    if not kinds or any("regular_due" not in by_kind[kind] for kind in kinds):
        return None

    def cells(label: str, row: dict) -> list:
        return [
            label,
            row["total"],
            row["every_month"],
            f"{number(row['regular_held'])}/{number(row['regular_due'])}",
            decimal(share(row["regular_held"], row["regular_due"])),
            f"{number(row['thematic_held'])}/{number(row['thematic_due'])}" if row["thematic_due"] else "–",
            decimal(share(row["thematic_held"], row["thematic_due"])),
        ]

    totals = {
        key: sum(by_kind[kind][key] for kind in kinds)
        for key in ("total", "every_month", "regular_held", "regular_due", "thematic_held", "thematic_due")
    }
    return {
        "headers": [
            "Loại tổ chức",
            "Số tổ chức",
            "Duy trì sinh hoạt đủ các tháng",
            "Sinh hoạt thường kỳ (kỳ đã tổ chức/theo quy định)",
            "Tỷ lệ (%)",
            "Sinh hoạt chuyên đề (kỳ đã tổ chức/theo quy định)",
            "Tỷ lệ (%)",
        ],
        "rows": [cells(MEETING_KIND_ROWS[kind], by_kind[kind]) for kind in kinds],
        "total": cells("Tổng cộng", totals) if len(kinds) > 1 else None,
    }


def study_table(study: dict) -> dict:
    """Section III's table: the members and the non-members expected (invited) at the study sessions of the
    period, those present and the share, summed over the sessions."""
    return {
        "headers": ["Đối tượng", "Số phải dự (được mời)", "Số dự", "Tỷ lệ (%)"],
        "rows": [
            [
                "Đảng viên",
                study["members_expected"],
                study["members_present"],
                decimal(study["member_percent"]),
            ],
            [
                "Quần chúng",
                study["non_members_invited"],
                study["non_members_present"],
                decimal(study["non_member_percent"]),
            ],
        ],
        "total": None,
    }


CASE_KIND_ROWS = {
    "dau_hieu_vi_pham": "Kiểm tra khi có dấu hiệu vi phạm",
    "thuc_hien_nhiem_vu_ktgs": "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật đảng",
    "tai_chinh_dang": "Kiểm tra tài chính đảng",
    "giam_sat_thuong_xuyen": "Giám sát thường xuyên",
    "giam_sat_chuyen_de": "Giám sát chuyên đề",
    "giai_quyet_to_cao": "Giải quyết tố cáo",
    "giai_quyet_khieu_nai": "Giải quyết khiếu nại kỷ luật đảng",
}
FORM_ROWS = {form: noun[:1].upper() + noun[1:] for form, noun in FORM_NOUNS.items()}


def case_work_table(figures: dict) -> dict | None:
    """Section IV's table: the cases of the period by kind (the kinds with a case), then the total."""
    by_kind = figures["inspections"]["by_kind"]
    kinds = [kind for kind in CASE_KINDS if by_kind.get(kind)]
    if not kinds:
        return None
    return {
        "headers": ["Loại việc", "Số cuộc"],
        "rows": [[CASE_KIND_ROWS[kind], by_kind[kind]] for kind in kinds],
        "total": ["Tổng cộng", figures["inspections"]["cases"]],
    }


def discipline_table(figures: dict) -> dict | None:
    """Section IV's second table: the discipline of the period by form, for organizations and members."""
    discipline = figures["discipline"]
    if not discipline["organizations"] and not discipline["members"]:
        return None
    organizations, members = discipline["organizations_by_form"], discipline["members_by_form"]
    forms = [form for form in FORM_NOUNS if organizations.get(form) or members.get(form)]
    return {
        "headers": ["Hình thức kỷ luật", "Tổ chức đảng", "Đảng viên"],
        "rows": [[FORM_ROWS[form], organizations.get(form, 0), members.get(form, 0)] for form in forms],
        "total": ["Tổng cộng", discipline["organizations"], discipline["members"]],
    }


def meeting_chart(figures: dict) -> str | None:
    """Section II's chart, the dashboard's attendance by month, when two months or more have one: a
    single point draws no trend."""
    by_month = figures["meetings"]["by_month"]
    if sum(row["attendance_percent"] is not None for row in by_month.values()) < 2:
        return None
    with translation.override("vi"):  # the document is Vietnamese whatever the portal shows
        spec = attendance_by_month(figures)
    return None if spec is None else charts.svg(spec)


def rating_charts(figures: dict) -> list[str]:
    """Section V's charts, the dashboard's rating levels of the members and of the grassroots
    organizations: the organizations only when more than one was rated (one says it in a sentence)."""
    found = []
    with translation.override("vi"):
        found.append(levels_by_year(figures, "members"))
        if figures["ratings"]["organizations"]["rated"] > 1:
            found.append(levels_by_year(figures, "organizations"))
    return [charts.svg(spec) for spec in found if spec is not None]


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


def font_faces() -> list[dict]:
    """@font-face sources: Liberation Serif 2.x (metric-compatible with Times New Roman, with the
    Vietnamese glyphs that the 1.x files lack), by file URL so fontconfig cannot pick the 1.x."""
    directory = Path(settings.REPORT_FONT_DIR)
    return [
        {"weight": weight, "style": style, "url": (directory / filename).as_uri()}
        for (weight, style), filename in FONT_FILES.items()
        if (directory / filename).exists()
    ]


def reporter(organization: Organization) -> str:
    """Who reports, in the opening sentence: the standing committee, or the chi bộ itself."""
    if organization.kind == Kind.BLOC:
        return "Ban Thường vụ Đảng ủy Khối"
    return "Ban Thường vụ Đảng ủy" if organization.kind in COMMITTEE_KINDS else "Chi bộ"


def document_context(report: Report) -> dict:
    """Everything ``templates/reports/pdf/report.html`` prints."""
    organization = report.organization
    section = report.figures["organizations"]
    with translation.override("vi"):
        period_text = report.period_obj.label_in_sentence
    # The document's date is its finalization's; a draft's preview shows today's.
    issued_on = timezone.localdate(report.finalized_at) if report.finalized_at else clock.today()
    heading, title, signer = signature(organization, issued_on)
    figures = report.figures
    members = figures.get("members")  # reports frozen before the members section have none
    table = None
    if section["grassroots"]["total"]:
        table = sector_table(
            section,
            kind_labels=KIND_COLUMNS,
            sector_labels=_capitalized(SECTOR_PHRASES),
            members_by_sector=members["by_sector"] if members else None,
        )
    member_part, chart = [], None
    if members is not None:
        member_part += member_sentences(organization, members)
        member_part += movement_sentences(organization, figures["movements"], period_text)
        admission = admission_sentence(figures["admissions"], report.period_obj.kind)
        if admission:
            member_part.append(admission)
        member_part += committee_sentences(organization, figures["committees"], figures["badges"])
        with translation.override("vi"):  # the document is Vietnamese whatever the portal shows
            spec = members_by_sector(figures)
        if spec is not None:
            chart = charts.svg(spec)
    # Sections II–V show only when their module has figures for the period; those that show are numbered
    # in order, the narrative last.
    sections = ["I"]

    def number_next() -> str:
        sections.append(ROMAN[len(sections)])
        return sections[-1]

    meeting_part = meeting_number = meeting_figures_table = meeting_svg = None
    if has_meetings(figures):
        meeting_number = number_next()
        meeting_part = meeting_sentences(organization, figures["meetings"], period_text)
        meeting_figures_table = meeting_table(figures["meetings"])
        meeting_svg = meeting_chart(figures)
    study_part = study_number = study_figures_table = None
    if has_study(figures):
        study_number = number_next()
        study_part = study_sentences(organization, figures["study"], period_text)
        study_figures_table = study_table(figures["study"])
    case_work_part, case_work_number, case_work_tables = None, "", []
    if has_case_work(figures):
        case_work_number = number_next()
        as_of = date.fromisoformat(figures["period"]["as_of"])
        case_work_part = case_work_sentences(organization, figures, period_text, as_of)
        case_work_tables = [t for t in (case_work_table(figures), discipline_table(figures)) if t]
    ratings_part, ratings_number, ratings_table, ratings_svgs = None, "", None, []
    if has_ratings(figures):
        ratings_number = number_next()
        ratings_part = rating_sentences(
            organization, figures, annual=report.period_obj.kind in ("annual", "years")
        )
        ratings_table = rating_table(figures)
        ratings_svgs = rating_charts(figures)
    return {
        "report": report,
        "font_faces": font_faces(),
        "meeting_sentences": meeting_part,
        "meeting_number": meeting_number,
        "meeting_table": meeting_figures_table,
        "meeting_chart": meeting_svg,
        "study_sentences": study_part,
        "study_number": study_number,
        "study_table": study_figures_table,
        "case_work_sentences": case_work_part,
        "case_work_number": case_work_number,
        "case_work_tables": case_work_tables,
        "rating_sentences": ratings_part,
        "rating_number": ratings_number,
        "rating_table": ratings_table,
        "rating_charts": ratings_svgs,
        "narrative_number": ROMAN[len(sections)],
        "upper_body": upper_body(organization),
        "issuing_body": issuing_body(organization),
        "number_line": f"Số {report.document_number}",
        "date_line": date_line(issued_on),
        "abstract": f"Kết quả công tác xây dựng Đảng {period_text}",
        "intro": f"{reporter(organization)} báo cáo kết quả công tác xây dựng Đảng {period_text} như sau:",
        "organization_sentences": organization_sentences(organization, section, members),
        "member_sentences": member_part,
        "chart": chart,
        "as_of": date.fromisoformat(section["as_of"]),
        "table": table,
        "narrative_parts": narrative_parts(report),
        "signature_heading": heading,
        "signature_title": title,
        "signer": signer,
        "recipients": recipients(organization),
    }


NARRATIVE_HEADINGS = {
    "strengths": "Ưu điểm",
    "shortcomings": "Hạn chế, khuyết điểm và nguyên nhân",
    "tasks": "Phương hướng, nhiệm vụ thời gian tới",
}


def narrative_parts(report: Report) -> list[tuple[str, str]]:
    """Section VI's parts that have text, numbered in print: (heading, sanitized HTML)."""
    parts = [(NARRATIVE_HEADINGS[field], getattr(report, field)) for field in NARRATIVE_FIELDS]
    parts = [(heading, html) for heading, html in parts if not is_blank(html)]
    return [(f"{index}. {heading}", html) for index, (heading, html) in enumerate(parts, start=1)]


def _capitalized(labels: dict) -> dict:
    return {key: value[:1].upper() + value[1:] for key, value in labels.items()}
