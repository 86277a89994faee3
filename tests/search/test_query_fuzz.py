"""Fuzzing the query language: whatever an analyst types, a search gives hits or one
InvalidQueryError, never a traceback from the parser."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader._search import WhooshIndex
from reader.errors import InvalidQueryError
from tests.search.search_fakes import FakeQueue, make_doc

PIECES = [
    "harbor", "port", "NOT", "AND", "OR", "(", ")", '"', "[", "]", "{", "}", "*", "?", "~",
    "^2", ":", "title:", "date:", "tag:", "color:", "kind:", "to", ">", "<", "=", "-", "+",
    "2025", "2025-03", "yellow", "highlight", "\\", "'", "“", "”", ".", "/", " ",
]  # fmt: skip

queries = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.text(max_size=40),
)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> WhooshIndex:
    from reader._search import open_index

    index = open_index(tmp_path_factory.mktemp("fuzz") / "index")
    queue = FakeQueue()
    queue.put(
        make_doc(1, "Harbor dredging", "The port will dredge the harbor.", tags=["ports"]),
        make_doc(2, "Tariffs", "A tariff on steel.", kind="highlight", color="yellow"),
    )
    index.drain(queue)
    return index


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(queries)
def test_any_query_gives_hits_or_one_invalid_query_error(
    small_index: WhooshIndex, text: str
) -> None:
    try:
        hits = small_index.search(text)
    except InvalidQueryError as err:
        message = str(err)
        assert message and "\n" not in message and len(message) < 300
    else:
        assert all(hit.kind in {"story", "highlight", "note"} for hit in hits)
