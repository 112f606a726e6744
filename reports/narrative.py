"""The draft of section VI written from the figures: strengths (ưu điểm), shortcomings and their
causes (hạn chế, khuyết điểm và nguyên nhân), and the tasks of the next period (phương hướng, nhiệm
vụ), pre-filled when a draft is made (``services.create_draft``) for staff to edit.

Written like the bloc's press articles (../shared/seeds/): "tỷ lệ đảng viên dự sinh hoạt đạt trên
80%", "việc duy trì chế độ sinh hoạt định kỳ ở một số chi bộ chưa đảm bảo", "tỷ lệ xếp loại … đạt mức
hoàn thành xuất sắc nhiệm vụ còn cao hơn quy định", counts under ten padded as the press pads them
("02 chi bộ", "07 đồng chí Bí thư"). Every sentence comes from a figure: a section the figures lack
(a report frozen before its module, a module with no figures for the period) says nothing, a cause is
given only where the figures show one, and every shortcoming gets its task. No figures, no text: the
parts are then empty, never a placeholder.

A module speaks only where the document shows its section (``document.has_meetings`` …): a module
with no figures for the period is silent here too. A pure function of the frozen figures and those of
the same period a year before (cùng kỳ): no query.
"""

from django.utils import translation
from django.utils.html import escape

from blocportal.periods import Period
from organizations.models import Organization

from .document import (
    BEHIND_NAMED,
    FORM_NOUNS,
    LEVEL_NOUNS,
    behind_name,
    has_case_work,
    has_meetings,
    has_ratings,
    has_study,
    join,
    number,
    percent,
    subject_of,
)
from .statistics import CELL_KINDS

Kind = Organization.Kind


def draft_narrative(organization: Organization, period: Period, figures: dict, previous: dict) -> dict:
    """{"strengths": html, "shortcomings": html, "tasks": html}: ``<p>`` and ``<ul><li>`` only."""
    draft = _Draft(organization, period, figures or {}, previous or {})
    draft.write()
    return {
        "strengths": _items(draft.strengths),
        "shortcomings": _items(draft.shortcomings),
        "tasks": _items(draft.tasks),
    }


def padded(count: int) -> str:
    """3 → "03", 12 → "12", 2020 → "2.020": counts under ten as the press writes them."""
    return f"{count:02d}" if 0 <= count < 10 else number(count)


def points(delta: float) -> str:
    """3.1 → "3,1", 2.0 → "2": a difference of rates, in percentage points."""
    return f"{abs(delta):.1f}".replace(".", ",").removesuffix(",0")


def _items(sentences: list[str]) -> str:
    if not sentences:
        return ""
    return "<ul>" + "".join(f"<li>{sentence}</li>" for sentence in sentences) + "</ul>"


def _sentence(text: str) -> str:
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith(".") else ".")


def _named(rows: list[dict], count: int) -> str:
    """The first ``BEHIND_NAMED`` organizations by name, the others counted: "A, B và 03 tổ chức khác"."""
    names = [escape(behind_name(row)) for row in rows[:BEHIND_NAMED]]
    if count > len(names) and names:
        names.append(f"{padded(count - len(names))} tổ chức khác")
    return join(names) if names else ""


def _counted_behind(cells: int, committees: int) -> str:
    """ "02 chi bộ và 01 đảng ủy cơ sở" (a đảng bộ cơ sở meets as its committee)."""
    parts = [f"{padded(cells)} chi bộ"] if cells else []
    if committees:
        parts.append(f"{padded(committees)} đảng ủy cơ sở")
    return join(parts)


class _Draft:
    """The three lists of sentences, filled section by section from the figures."""

    def __init__(self, organization: Organization, period: Period, figures: dict, previous: dict):
        self.organization, self.period = organization, period
        self.figures, self.previous = figures, previous
        self.single = organization.kind in Organization.CELL_KINDS
        self.subject = subject_of(organization)
        self.strengths: list[str] = []
        self.shortcomings: list[str] = []
        self.tasks: list[str] = []
        with translation.override("vi"):
            self.period_text = period.label_in_sentence
        if period.last_year:
            self.against = f"so với giai đoạn {period.previous.year}–{period.previous.last_year}"
        elif period.kind == "annual":
            self.against = f"so với năm {period.year - 1}"
        else:
            self.against = "so với cùng kỳ"

    def write(self) -> None:
        self.members()
        self.meetings()
        self.study()
        self.case_work()
        self.ratings()

    def strength(self, text: str) -> None:
        self.strengths.append(_sentence(text))

    def shortcoming(self, text: str, cause: str = "") -> None:
        self.shortcomings.append(_sentence(text) + (f" Nguyên nhân: {_sentence(cause)}" if cause else ""))

    def task(self, text: str) -> None:
        self.tasks.append(_sentence(text))

    def change(self, section: str, key: str) -> float | None:
        """The change of a rate against the comparable period, in points; None without both."""
        now = (self.figures.get(section) or {}).get(key)
        before = (self.previous.get(section) or {}).get(key)
        if now is None or before is None:
            return None
        return round(now - before, 1)

    # I. Members: admissions against the target, conversions, badges, exits.
    def members(self) -> None:
        movements, admissions = self.figures.get("movements"), self.figures.get("admissions") or {}
        if movements is None:
            return
        members, candidates = self.figures.get("members") or {}, self.figures.get("candidates") or {}
        admitted, target = movements.get("admitted", 0), admissions.get("target")
        before = (self.previous.get("movements") or {}).get("admitted")
        whole_year = self.period.kind in ("annual", "years")
        # Within one year from January, the admissions so far are the year's: what remains is known.
        year_to_date = not self.period.last_year and self.period.months[0] == 1
        if admitted:
            text = (
                "Công tác phát triển đảng viên được quan tâm: "
                f"kết nạp {padded(admitted)} quần chúng ưu tú vào Đảng"
            )
            if target and whole_year and admitted >= target:
                over = admissions.get("over_target_percent") or 0
                text += f", vượt {percent(over)} chỉ tiêu đề ra" if over > 0 else ", đạt 100% chỉ tiêu đề ra"
            elif target and not whole_year:
                text += f", đạt {percent(admissions['percent_of_target'])} chỉ tiêu năm"
            if before is not None and admitted != before:
                trend = "tăng" if admitted > before else "giảm"
                text += f" ({trend} {padded(abs(admitted - before))} {self.against})"
            self.strength(text)
        if target and admitted < target and (whole_year or year_to_date):
            share = percent(admissions.get("percent_of_target") or 0)
            lacking = target - admitted
            text = (
                "Công tác phát triển đảng viên chưa đạt chỉ tiêu: "
                f"kết nạp {padded(admitted)}/{padded(target)} quần chúng ưu tú "
                f"({share} chỉ tiêu{'' if whole_year else ' năm'})"
            )
            waiting = candidates.get("waiting")
            cause = ""
            if waiting is not None and waiting < lacking:
                source = (
                    f"chỉ có {padded(waiting)} quần chúng ưu tú"
                    if waiting
                    else "chưa có quần chúng ưu tú nào"
                )
                cause = (
                    f"nguồn phát triển đảng viên còn ít, {source} đã qua lớp bồi dưỡng nhận thức về Đảng "
                    "đang chờ xem xét kết nạp"
                )
            self.shortcoming(text, cause)
            if whole_year:
                self.task(
                    "Chú trọng tạo nguồn, bồi dưỡng quần chúng ưu tú, khắc phục việc chưa đạt chỉ tiêu "
                    f"kết nạp đảng viên {self.period_text}"
                )
            else:
                self.task(
                    f"Tập trung bồi dưỡng, tạo nguồn để kết nạp thêm {padded(lacking)} quần chúng ưu tú, "
                    f"hoàn thành chỉ tiêu kết nạp đảng viên năm {self.period.year}"
                )
        if candidates.get("trained"):
            self.strength(
                f"Có {padded(candidates['trained'])} quần chúng ưu tú hoàn thành lớp bồi dưỡng nhận thức "
                "về Đảng"
            )
        if movements.get("made_official"):
            self.strength(
                f"Xét chuyển đảng chính thức cho {padded(movements['made_official'])} đảng viên dự bị"
            )
        if (self.figures.get("badges") or {}).get("awarded"):
            self.strength(
                f"Trao tặng Huy hiệu Đảng cho {padded(self.figures['badges']['awarded'])} đảng viên"
            )
        exits = [
            f"{padded(movements[key])} đảng viên {noun}"
            for key, noun in (
                ("removed", "bị xóa tên"),
                ("removed_probationary", "dự bị bị xóa tên"),
                ("expelled", "bị khai trừ"),
                ("left", "xin ra khỏi Đảng"),
            )
            if movements.get(key)
        ]
        if exits:
            self.shortcoming(f"Trong {self.period_text}, có {join(exits)}")
            self.task(
                "Tăng cường quản lý, giáo dục, rèn luyện đảng viên, hạn chế các trường hợp phải xóa tên, "
                "khai trừ khỏi Đảng"
            )
        if candidates.get("waiting"):
            self.task(
                f"Xem xét, đề nghị kết nạp {padded(candidates['waiting'])} quần chúng ưu tú đã qua lớp "
                "bồi dưỡng nhận thức về Đảng khi đủ điều kiện"
            )
        if members.get("probationary"):
            self.task(
                f"Theo dõi, giúp đỡ {padded(members['probationary'])} đảng viên dự bị; xét chuyển đảng chính "
                "thức đúng thời hạn khi hết thời gian dự bị"
            )

    # II. Chi bộ meetings: regularity, the organizations behind by name, attendance against cùng kỳ.
    def meetings(self) -> None:
        if not has_meetings(self.figures) or not self.figures["meetings"].get("cells_total"):
            return
        meetings = self.figures["meetings"]
        total, every = meetings["cells_total"], meetings.get("cells_meeting_every_month", 0)
        behind = [row for row in meetings.get("behind", []) if row.get("regular_missing")]
        if every == total:
            if self.single:
                self.strength("Chi bộ duy trì nghiêm chế độ sinh hoạt định kỳ hằng tháng")
            else:
                self.strength(f"100% {_due_noun(meetings)} duy trì sinh hoạt định kỳ hằng tháng")
        elif self.single:
            held, due = meetings.get("regular_held", 0), meetings.get("regular_due", 0)
            self.shortcoming(
                "Chi bộ chưa duy trì sinh hoạt định kỳ hằng tháng "
                f"(sinh hoạt thường kỳ {padded(held)}/{padded(due)} tháng theo quy định)"
            )
            self.task("Duy trì nghiêm chế độ sinh hoạt chi bộ định kỳ hằng tháng theo quy định")
        else:
            self.meetings_behind(meetings, total - every, behind)
        self.attendance(meetings)
        due, held = meetings.get("thematic_due", 0), meetings.get("thematic_held", 0)
        owner = "Chi bộ" if self.single else "Các chi bộ"
        if due and held >= due:
            self.strength(f"{owner} sinh hoạt chuyên đề đủ {padded(due)}/{padded(due)} kỳ theo quy định")
        elif due:
            self.shortcoming(
                "Việc sinh hoạt chuyên đề chưa thường xuyên: "
                f"mới đạt {padded(held)}/{padded(due)} kỳ theo quy định "
                f"({percent(meetings['thematic_held_percent'])})"
            )
            self.task(f"{owner} tổ chức sinh hoạt chuyên đề đủ số kỳ theo quy định, nội dung sát với thực tế")

    def meetings_behind(self, meetings: dict, count: int, behind: list[dict]) -> None:
        """ "Còn 02 chi bộ chưa duy trì sinh hoạt định kỳ hằng tháng (…)", and the task that names them:
        the organizations under the node are to be directed, the node's own committee is to meet."""
        code = (self.figures.get("organization") or {}).get("code")
        own = [row for row in behind if row.get("code") == code]
        others = [row for row in behind if row.get("code") != code]
        by_kind = meetings.get("by_kind", {})
        cells = sum(
            by_kind.get(kind, {}).get("total", 0) - by_kind.get(kind, {}).get("every_month", 0)
            for kind in CELL_KINDS
        )
        text = f"Còn {_counted_behind(cells, count - cells)} chưa duy trì sinh hoạt định kỳ hằng tháng"
        named = _named(own + others, count)
        self.shortcoming(f"{text} ({named})" if named else text)
        if others:
            cells = sum(1 for row in others if row.get("kind") in CELL_KINDS)
            counted = _counted_behind(cells, len(others) - cells)
            self.task(
                f"Chỉ đạo {counted} ({_named(others, len(others))}) duy trì sinh hoạt định kỳ hằng tháng "
                "theo quy định"
            )
        if own:
            self.task(
                f"{escape(behind_name(own[0]))} duy trì nghiêm chế độ sinh hoạt thường kỳ theo quy định"
            )

    def attendance(self, meetings: dict) -> None:
        for key, noun in (
            ("attendance_percent", "đảng viên"),
            ("committee_attendance_percent", "cấp ủy viên"),
        ):
            rate, delta = meetings.get(key), self.change("meetings", key)
            if rate is None or not delta:
                continue
            trend = "tăng" if delta > 0 else "giảm"
            text = (
                f"tỷ lệ {noun} dự sinh hoạt đạt {percent(rate)}, {trend} {points(delta)} điểm {self.against}"
            )
            if delta > 0:
                self.strength(text)
                continue
            lowest = self.lowest_attendance(meetings, key) if key == "attendance_percent" else ""
            self.shortcoming(text, f"tỷ lệ dự sinh hoạt còn thấp ở {lowest}" if lowest else "")
            self.task(
                "Nâng cao chất lượng sinh hoạt chi bộ, "
                f"khắc phục tình trạng {noun} vắng sinh hoạt, nâng tỷ lệ {noun} dự sinh hoạt"
            )

    def lowest_attendance(self, meetings: dict, key: str) -> str:
        """Where attendance is lowest, below the node's own rate: the grassroots organizations (at most 3)."""
        rate = meetings.get(key)
        rows = [
            row
            for code, row in (meetings.get("by_grassroots") or {}).items()
            if code != self.figures.get("organization", {}).get("code") and row.get(key) is not None
        ]
        if len(rows) < 2:
            return ""
        low = sorted((row for row in rows if row[key] < rate), key=lambda row: row[key])[:3]
        return ", ".join(f"{escape(row['name'])} ({percent(row[key])})" for row in low)

    # III. Study of resolutions.
    def study(self) -> None:
        if not has_study(self.figures):
            return
        study = self.figures["study"]
        subject = "Chi bộ" if self.single else "Các cấp ủy, tổ chức đảng"
        text = (
            f"{subject} tổ chức {padded(study['sessions'])} hội nghị học tập, quán triệt nghị quyết, "
            "chỉ thị của Đảng"
        )
        share = study.get("member_percent")
        if share is not None and share >= 100:
            text += "; 100% đảng viên được nghiên cứu, học tập"
        self.strength(text)
        if share is not None and share < 100:
            self.shortcoming(
                "Một số đảng viên chưa tham gia đầy đủ các hội nghị học tập, quán triệt nghị quyết "
                f"(tỷ lệ đảng viên dự học tập đạt {percent(share)})"
            )
            self.task(
                "Tổ chức học tập bổ sung cho đảng viên vắng; bảo đảm 100% đảng viên được học tập, "
                "quán triệt nghị quyết"
            )

    # IV. Inspection, supervision, discipline and letters: counts and forms, never a name.
    def case_work(self) -> None:
        if not has_case_work(self.figures):
            return
        inspections = self.figures["inspections"]
        discipline, complaints = self.figures.get("discipline") or {}, self.figures.get("complaints") or {}
        if inspections.get("cases"):
            text = (
                "Công tác kiểm tra, giám sát được quan tâm thực hiện: "
                f"tiến hành {padded(inspections['cases'])} cuộc kiểm tra, giám sát"
            )
            if inspections.get("violations_found"):
                text += f"; qua đó kết luận {padded(inspections['violations_found'])} trường hợp có vi phạm"
            self.strength(text)
        if complaints.get("resolved"):
            self.strength(
                f"Giải quyết xong {padded(complaints['resolved'])} đơn thư tố cáo, khiếu nại, phản ánh"
            )
        if discipline.get("members"):
            forms = [
                f"{FORM_NOUNS[form]} {padded(n)}"
                for form, n in (discipline.get("members_by_form") or {}).items()
                if n and form in FORM_NOUNS
            ]
            self.shortcoming(
                f"Còn {padded(discipline['members'])} đảng viên vi phạm phải thi hành kỷ luật"
                + (f" ({', '.join(forms)})" if forms else "")
            )
            self.task(
                "Tăng cường giáo dục, quản lý đảng viên; chủ động phát hiện, ngăn ngừa vi phạm từ sớm, từ xa"
            )
        overdue, pending = complaints.get("overdue", 0), complaints.get("pending", 0)
        if overdue:
            self.shortcoming(f"Còn {padded(overdue)} đơn thư quá hạn giải quyết")
            self.task(f"Tập trung giải quyết dứt điểm {padded(overdue)} đơn thư quá hạn")
        if pending > overdue:
            self.task(
                f"Tiếp tục giải quyết {padded(pending - overdue)} đơn thư đang trong thời hạn giải quyết"
            )

    # V. Ratings: the shares rated good or better, those not fulfilling their duties, the quota.
    def ratings(self) -> None:
        if not has_ratings(self.figures):
            return
        ratings = self.figures["ratings"]
        members, organizations = ratings.get("members") or {}, ratings.get("organizations") or {}
        if organizations.get("rated") and organizations.get("good_or_excellent"):
            if self.organization.kind in Organization.GRASSROOTS_KINDS and organizations["rated"] == 1:
                levels = [level for level, n in organizations.get("by_level", {}).items() if n]
                if levels and levels[0] in ("htxs", "htt", "tsvm"):
                    self.strength(f"{self.subject} được xếp loại {LEVEL_NOUNS[levels[0]]}")
            else:
                self.strength(
                    f"Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt "
                    f"{percent(organizations['good_or_excellent_percent'])}"
                )
        if members.get("rated") and members.get("good_or_excellent"):
            text = (
                "Số đảng viên hoàn thành tốt, hoàn thành xuất sắc nhiệm vụ đạt "
                f"{percent(members['good_or_excellent_percent'])}"
            )
            delta = self.change_nested("ratings", "members", "good_or_excellent_percent")
            if delta:
                text += f", {'tăng' if delta > 0 else 'giảm'} {points(delta)} điểm {self.against}"
            self.strength(text)
        weak = (members.get("by_level") or {}).get("kht", 0)
        if weak:
            self.shortcoming(f"Còn {padded(weak)} đảng viên không hoàn thành nhiệm vụ")
            self.task(
                f"Giúp đỡ {padded(weak)} đảng viên không hoàn thành nhiệm vụ khắc phục hạn chế, khuyết điểm"
            )
        by_level = organizations.get("by_level") or {}
        weak_organizations = by_level.get("kht", 0) + by_level.get("yeu_kem", 0)
        if weak_organizations and not self.single:
            self.shortcoming(
                f"Còn {padded(weak_organizations)} tổ chức cơ sở đảng không hoàn thành nhiệm vụ, yếu kém"
            )
            self.task(
                f"Củng cố, kiện toàn {padded(weak_organizations)} tổ chức cơ sở đảng "
                "không hoàn thành nhiệm vụ, yếu kém"
            )
        groups = ratings.get("over_quota_groups") or []
        if groups:
            self.shortcoming(
                f"Tỷ lệ xếp loại hoàn thành xuất sắc nhiệm vụ ở {padded(len(groups))} nhóm "
                "còn cao hơn quy định"
            )
            self.task(
                "Đánh giá, xếp loại chất lượng đúng thực chất, "
                "bảo đảm tỷ lệ hoàn thành xuất sắc nhiệm vụ theo quy định"
            )

    def change_nested(self, section: str, part: str, key: str) -> float | None:
        now = ((self.figures.get(section) or {}).get(part) or {}).get(key)
        before = ((self.previous.get(section) or {}).get(part) or {}).get(key)
        if now is None or before is None:
            return None
        return round(now - before, 1)


def _due_noun(meetings: dict) -> str:
    by_kind = meetings.get("by_kind", {})
    cells = sum(by_kind.get(kind, {}).get("total", 0) for kind in CELL_KINDS)
    committees = by_kind.get(Kind.GRASSROOTS_COMMITTEE, {}).get("total", 0)
    if cells and committees:
        return "chi bộ, đảng ủy cơ sở"
    return "đảng ủy cơ sở" if committees else "chi bộ"
