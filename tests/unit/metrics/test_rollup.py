import pytest

from metrics.enums import Rag
from metrics.rollup import cell_text, rag_counts, share_on_track, worst_rag


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["green", "green"], Rag.GREEN),
        (["green", "amber"], Rag.AMBER),
        (["amber", "red", "green"], Rag.RED),
        (["not_assessed", "green"], Rag.GREEN),
        (["not_assessed"], Rag.NOT_ASSESSED),
        ([], Rag.NOT_ASSESSED),
        (["cannot_tell", "green"], Rag.CANNOT_TELL),
    ],
)
def test_worst_rag(statuses, expected):
    assert worst_rag(statuses) is expected


def test_counts_and_share():
    assert rag_counts(["red", "red", "green"]) == {
        Rag.RED: 2, Rag.AMBER: 0, Rag.CANNOT_TELL: 0, Rag.GREEN: 1, Rag.NOT_ASSESSED: 0}
    assert share_on_track(["green", "red", "not_assessed", "green"]) == pytest.approx(2 / 3)
    assert share_on_track(["not_assessed"]) is None


def test_cell_text_carries_word_and_counts():
    assert cell_text(["amber", "green"]) == "! Amber (1 amber, 1 green)"
    assert cell_text([]) == "–"


def test_unknown_status_is_rejected():
    with pytest.raises(ValueError, match="rag"):
        worst_rag(["purple"])
