"""docs/performance.md keeps the load test's block as it is, whatever else changes."""

from bench.perfdoc import LOAD_END, LOAD_START, _load_block


def test_a_new_file_gets_the_markers_with_nothing_between(tmp_path):
    assert _load_block(tmp_path / "performance.md") == f"{LOAD_START}\n{LOAD_END}"


def test_an_existing_block_is_kept_verbatim(tmp_path):
    path = tmp_path / "performance.md"
    block = f"{LOAD_START}\n| load | 1 |\n\nSome *notes*  \n{LOAD_END}"
    path.write_text(f"# Performance\n\nold figures\n\n{block}\n\ntrailing\n")
    assert _load_block(path) == block
