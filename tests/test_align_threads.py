"""The diff keeps no process-wide state: two threads get what one after the other gets."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from plancheck.align import DiffState, diff_plans, prepare_plan


def test_two_threads_diffing_different_pairs_match_sequential_results(seed_tables) -> None:
    pairs = [("liaoning-2019", "lingyuan-2021"), ("guangyuan", "leshan")] * 3
    state = DiffState()  # shared on purpose: it must be safe to read from two threads

    def run(pair: tuple[str, str]) -> dict:
        reference, target = (prepare_plan(seed_tables[p], state=state) for p in pair)
        return diff_plans(reference, target, state=state).to_dict()

    sequential = [run(pair) for pair in pairs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = list(pool.map(run, pairs))
    assert threaded == sequential
    assert sequential[0] != sequential[1]  # two different pairs, so a mix-up would show


def test_a_diff_does_not_depend_on_what_was_diffed_before(seed_tables) -> None:
    first = diff_plans(seed_tables["guangyuan"], seed_tables["leshan"]).to_dict()
    diff_plans(seed_tables["liaoning-2019"], seed_tables["lingyuan-2021"])
    assert diff_plans(seed_tables["guangyuan"], seed_tables["leshan"]).to_dict() == first


def test_no_private_scipy_module_is_used() -> None:
    from pathlib import Path

    import plancheck.align

    folder = Path(plancheck.align.__file__).parent
    sources = "".join(path.read_text(encoding="utf-8") for path in folder.glob("*.py"))
    assert "_sparsetools" not in sources and "scipy.sparse._" not in sources


def test_a_prepared_parent_reused_for_many_pairs_gives_fresh_results(seed_tables) -> None:
    # the parent keeps its masked texts per set of place names found in it: reusing it
    # against local plans of other places must give what a freshly prepared parent gives
    state = DiffState()
    parent = prepare_plan(seed_tables["liaoning-2019"], state=state)
    locals_ = ["lingyuan-2021", "leshan", "lingyuan-2021", "guangyuan"]
    reused = [diff_plans(parent, seed_tables[name], state=state).to_dict() for name in locals_]
    fresh = [
        diff_plans(seed_tables["liaoning-2019"], seed_tables[name], state=state).to_dict()
        for name in locals_
    ]
    assert reused == fresh
    assert reused[0] != reused[1]


def test_masking_a_prepared_plan_drops_only_names_it_does_not_contain(seed_tables) -> None:
    from plancheck.align.text import mask_all

    plan = prepare_plan(seed_tables["liaoning-2019"])
    names = ["不存在的地名市", "辽宁省", "辽宁"]
    masked = plan.masked(names)
    assert list(masked.scored) == mask_all(plan.scored, names)
    assert [m for m in masked.phrases] == [c.masked(names) for c in plan.phrases]
    assert any("◇" in text for text in masked.scored)
