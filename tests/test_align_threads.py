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
