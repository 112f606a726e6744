"""Every write of the meetings module: ``meetings`` (a meeting, its attendance, its correction and
deletion), ``months`` (closing a month to secretaries) and ``study`` (the study of resolutions). The
meeting writes are re-exported here (``services.record_meeting``)."""

from .meetings import correct_meeting, delete_meeting, record_attendance, record_meeting
from .months import close_month, reopen_month
from .study import correct_study, delete_study, record_study

__all__ = [
    "close_month",
    "correct_meeting",
    "correct_study",
    "delete_meeting",
    "delete_study",
    "record_attendance",
    "record_meeting",
    "reopen_month",
    "record_study",
]
