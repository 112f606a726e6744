"""The log of reads: every opening of a case, a letter, a decision or an appeal, or of a document of a
case file, by whom and when (the views call ``log_read`` once the user may see the record)."""

from django.contrib.auth.models import AbstractBaseUser

from ..models import ReadLog


def log_read(*, user: AbstractBaseUser, what: str, record, path: str) -> ReadLog:
    label = str(record)[: ReadLog._meta.get_field("label").max_length]
    return ReadLog.objects.create(
        user=user,
        what=what,
        object_id=record.pk,
        label=label,
        path=path[: ReadLog._meta.get_field("path").max_length],
    )
