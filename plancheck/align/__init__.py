"""Clause alignment and requirement-level differences between a plan and the plan above it."""

from plancheck.align.alignment import AlignConfig
from plancheck.align.engine import PreparedPlan, diff_plans, prepare_plan
from plancheck.align.model import (
    ChangedRequirement,
    ClauseDiff,
    ClauseRef,
    DiffSummary,
    OmittedRequirement,
    PlanDiff,
    PlanInfo,
    UnitChanges,
)
from plancheck.align.requirements import RequirementConfig
from plancheck.align.state import DiffState
from plancheck.align.wording import WordingModel, load_wording

__all__ = [
    "AlignConfig",
    "ChangedRequirement",
    "ClauseDiff",
    "ClauseRef",
    "DiffState",
    "DiffSummary",
    "OmittedRequirement",
    "PlanDiff",
    "PlanInfo",
    "PreparedPlan",
    "RequirementConfig",
    "UnitChanges",
    "WordingModel",
    "diff_plans",
    "load_wording",
    "prepare_plan",
]
