"""Clause alignment and requirement-level differences between a plan and the plan above it."""

from plancheck.align.alignment import AlignConfig
from plancheck.align.engine import PreparedPlan, diff_plans, prepare_plan
from plancheck.align.lexicon import Lexicon, load_lexicon
from plancheck.align.model import (
    ChangedRequirement,
    ClauseDiff,
    ClauseRef,
    DiffSummary,
    PlanDiff,
    PlanInfo,
    UnitChanges,
)
from plancheck.align.requirements import RequirementConfig

__all__ = [
    "AlignConfig",
    "ChangedRequirement",
    "ClauseDiff",
    "ClauseRef",
    "DiffSummary",
    "Lexicon",
    "PlanDiff",
    "PlanInfo",
    "PreparedPlan",
    "RequirementConfig",
    "UnitChanges",
    "diff_plans",
    "load_lexicon",
    "prepare_plan",
]
