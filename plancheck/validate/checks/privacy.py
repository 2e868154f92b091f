"""Personal contact details in a plan: phone numbers, e-mail addresses, named contacts.

These read the cleaned source lines (or, for a CSV without its source, the task texts).
A hit records only the line and a count: the matched value never leaves this module, so
no report can copy a phone number, an e-mail address or a person's name.
"""

from __future__ import annotations

import pandas as pd

from plancheck.validate.checks import Param, register_check
from plancheck.validate.checks.context import CheckContext, check_regex, line_hits
from plancheck.validate.checks.patterns import RulePattern

# Mobile numbers, landlines with an area code, or 7-8 digit numbers right after 电话/传真/Tel.
# Public hotlines (12320, 12345, 8890) are short and are not matched.
PHONE_RE = (
    r"(?<!\d)1[3-9]\d{9}(?!\d)"
    r"|(?<![\d-])0\d{2,3}-\d{7,8}(?!\d)"
    r"|(?:电话|手机|传真|座机|[Tt]el|TEL)[^\d\n]{0,6}\d{7,8}(?:[，,、/\s]*\d{7,8})*(?!\d)"
)
EMAIL_RE = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
PERSON_RE = r"联\s*系\s*人\s*[：:]\s*\S"


def _param(default: str) -> dict[str, Param]:
    return {"pattern": Param(str, default, "regular expression", check_regex)}


@register_check("contact_phone", scope="document", params=_param(PHONE_RE), fields=("count",))
def contact_phone(ctx: CheckContext, pattern: str) -> pd.DataFrame:
    return line_hits(ctx, RulePattern(pattern))


@register_check("contact_email", scope="document", params=_param(EMAIL_RE), fields=("count",))
def contact_email(ctx: CheckContext, pattern: str) -> pd.DataFrame:
    return line_hits(ctx, RulePattern(pattern))


@register_check("contact_person", scope="document", params=_param(PERSON_RE), fields=("count",))
def contact_person(ctx: CheckContext, pattern: str) -> pd.DataFrame:
    return line_hits(ctx, RulePattern(pattern))
