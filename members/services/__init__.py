"""Writes of the member register, one module per feature:

- ``register``: admission, probation to official, a record from a file, profile and date corrections;
- ``movements``: transfers, temporary activity elsewhere, exemption;
- ``exits``: removal, expulsion, leaving the Party, death;
- ``candidates``: the party-development pipeline and the admission targets;
- ``badges``: the award of the Huy hiệu Đảng;
- ``committees``: terms (nhiệm kỳ) and committee seats (cấp ủy), which members leave with their organization;
- ``common``: the checks and writes those modules share.

The member writes of the first three are re-exported here (``services.admit``, ``services.transfer``);
candidates, badges and committees are imported as modules (``from members.services import candidates``).
"""

from .exits import (
    expel,
    leave_party,
    record_death,
    reinstate,
    remove,
    remove_probationary,
)
from .movements import (
    confirm_transfer_received,
    end_exemption,
    end_temporary,
    exempt,
    receive_temporary,
    send_temporary,
    transfer,
    transfer_in,
    transfer_members,
    transfer_out,
)
from .register import (
    CORRECTION_REASON_MAX,
    PROFILE_FIELDS,
    admit,
    correct_admission_dates,
    make_official,
    register,
    update_profile,
)

__all__ = [
    "CORRECTION_REASON_MAX",
    "PROFILE_FIELDS",
    "admit",
    "confirm_transfer_received",
    "correct_admission_dates",
    "end_exemption",
    "end_temporary",
    "exempt",
    "expel",
    "leave_party",
    "make_official",
    "receive_temporary",
    "record_death",
    "reinstate",
    "register",
    "remove",
    "remove_probationary",
    "send_temporary",
    "transfer",
    "transfer_in",
    "transfer_members",
    "transfer_out",
    "update_profile",
]
