"""Study sessions (học tập, quán triệt nghị quyết) for the reports' tests, recorded through the
service, and the two counted by hand: 57-NQ/TW at đảng bộ A with 12 of 12 members and 18 of 20
non-members invited, 66-NQ/TW at chi bộ A1 with 7 of 7 and 13 of 14, in the first quarter of 2025.
Together: 19 of 19 members (100%) and 31 of 34 non-members (91,2%), not the average of 90% and 92,9%."""

import datetime

from meetings import services

D = datetime.date


def hand_counted(org_a, cell_a1) -> list[tuple]:
    return [
        (org_a, D(2025, 2, 15), "57-NQ/TW", (12, 12), (20, 18)),
        (cell_a1, D(2025, 3, 5), "66-NQ/TW", (7, 7), (14, 13)),
    ]


def record_studies(sessions, by) -> None:
    """``sessions``: (organization, day, document number, (members expected, present), (non-members
    invited, present))."""
    for organization, day, number, members, non_members in sessions:
        services.record_study(
            organization=organization,
            held_on=day,
            document_number=number,
            document_title="Nghị quyết của Bộ Chính trị",
            members_expected=members[0],
            members_present=members[1],
            non_members_invited=non_members[0],
            non_members_present=non_members[1],
            by=by,
        )
