"""Reads for the batch pages and the ``report_batch`` command: the progress of a batch, the list of
batches. Every count comes from the reports themselves (their state and PDF status), so it is
right whoever rendered them: the batch task, a retry, a resend."""

from django.db.models import Count, Q, QuerySet

from organizations.models import Organization

from .models import Report, ReportBatch

_DONE = Q(reports__status=Report.Status.READY) & ~Q(reports__state=Report.State.DRAFT)
_FAILED = Q(reports__status=Report.Status.FAILED) & ~Q(reports__state=Report.State.DRAFT)


def batch_progress(batch: ReportBatch) -> dict:
    """N of M: ``planned`` organizations, ``done`` (a ready PDF), ``failed`` (a failed render or a
    draft that could not be made; ``failures`` lists them with their organization and error),
    ``pending`` and ``finished``. Two queries, whatever the size of the batch.

    The report counted for an organization is its latest version attached to the batch (a reissue
    finalized by hand later does not belong to the batch)."""
    latest: dict[int, dict] = {}
    rows = (
        Report.objects.filter(batch=batch)
        .exclude(state=Report.State.DRAFT)
        .order_by("organization_id", "version")
        .values(
            "pk",
            "version",
            "status",
            "error",
            "organization_id",
            "organization__code",
            "organization__name",
            "organization__path",
        )
    )
    for row in rows:
        latest[row["organization_id"]] = row
    failures = [
        {
            "organization": row["organization__name"],
            "code": row["organization__code"],
            "path": row["organization__path"],
            "organization_id": row["organization_id"],
            "report_id": row["pk"],
            "error": row["error"],
        }
        for row in latest.values()
        if row["status"] == Report.Status.FAILED
    ]
    done = sum(row["status"] == Report.Status.READY for row in latest.values())
    reported = {row["organization__code"] for row in latest.values()}
    unreported = {code: error for code, error in (batch.failures or {}).items() if code not in reported}
    if unreported:
        organizations = {
            organization.code: organization
            for organization in Organization.objects.filter(code__in=unreported).only(
                "pk", "code", "name", "path"
            )
        }
        for code, error in unreported.items():
            organization = organizations.get(code)
            failures.append(
                {
                    "organization": organization.name if organization else code,
                    "code": code,
                    "path": organization.path if organization else "",
                    "organization_id": organization.pk if organization else None,
                    "report_id": None,
                    "error": error,
                }
            )
    failures.sort(key=lambda failure: (failure["path"], failure["code"]))
    planned = batch.planned
    failed = len(failures)
    pending = max(planned - done - failed, 0)
    return {
        "planned": planned,
        "done": done,
        "failed": failed,
        "pending": pending,
        "settled": done + failed,
        "finished": batch.finished_at is not None,
        "percent": round(100 * (done + failed) / planned) if planned else 0,
        "failures": failures,
    }


def batches_with_counts() -> QuerySet[ReportBatch]:
    """The batches, newest first, each with ``done`` and ``failed_renders`` (organizations with a
    ready or a failed PDF): one query for the list."""
    return (
        ReportBatch.objects.select_related("started_by")
        .annotate(
            done=Count("reports__organization", filter=_DONE, distinct=True),
            failed_renders=Count("reports__organization", filter=_FAILED, distinct=True),
        )
        .order_by("-started_at", "-pk")
    )
