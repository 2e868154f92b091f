"""Contact details out of a diff before any renderer sees it.

Redacting the model (not the rendered text) means the Markdown, HTML, JSON and xlsx outputs
of one diff carry the same redacted text. Walks every string field of the align model's
dataclasses, so fields the model grows are covered without a change here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from plancheck.normalise.contacts import redact


def redact_value(value: Any) -> Any:
    """``value`` with every string inside it redacted (dataclasses, tuples, lists, dicts)."""
    if isinstance(value, str):
        return redact(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: redact_value(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple | list):
        return type(value)(redact_value(item) for item in value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    return value
