"""What a word matches: stems, accents and case fold together, and Chinese and Japanese words
are found inside sentences without spaces, at query time as well as at index time."""

from __future__ import annotations

import pytest
from search_fakes import FakeQueue, make_doc

from reader.search import WhooshIndex
from reader.search.analysis import text_analyzer


@pytest.fixture
def filled(index: WhooshIndex, queue: FakeQueue) -> WhooshIndex:
    queue.put(
        make_doc(1, "Port closes", "The port closed after the storm."),
        make_doc(2, "Dockers strike", "Workers strike over pay."),
        make_doc(3, "Café culture", "A new café opened; the Café du Nord is older."),
        make_doc(4, "Hiring", "Send your résumé by Friday."),
        make_doc(5, "上海", "上海港口工人今天罢工，码头停止运作。"),
        make_doc(6, "東京", "昨日、東京の会社が新しい計画を発表した。"),
        make_doc(7, "上海新闻", "上海的天气很好，港口附近下雨。"),
        make_doc(8, "서울", "서울에서 항구 노동자들이 파업했다."),
    )
    index.drain(queue)
    return index


def ids(index: WhooshIndex, query: str) -> set[int]:
    return {hit.item_id for hit in index.search(query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ports", {1}),
        ("closing", {1}),
        ("striking", {2}),
        ("strikes", {2}),
        ("worker", {2}),
    ],
)
def test_english_stemming(filled: WhooshIndex, query: str, expected: set[int]) -> None:
    assert ids(filled, query) == expected


@pytest.mark.parametrize("query", ["cafe", "CAFE", "café", "Café", "cafe\u0301"])
def test_accents_and_case_fold(filled: WhooshIndex, query: str) -> None:
    assert ids(filled, query) == {3}


def test_resume_finds_resume_with_accents(filled: WhooshIndex) -> None:
    assert ids(filled, "resume") == {4}
    assert ids(filled, "RÉSUMÉ") == {4}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("港口", {5, 7}),  # a two-character word inside longer sentences
        ("罢工", {5}),
        ("東京", {6}),
        ("会社", {6}),
        ("항구", {8}),
    ],
)
def test_cjk_words_inside_sentences(filled: WhooshIndex, query: str, expected: set[int]) -> None:
    assert ids(filled, query) == expected


def test_a_longer_cjk_query_matches_its_characters_in_order(filled: WhooshIndex) -> None:
    # Both stories contain 上海 and 港口, only one has them together: the bigrams of the query
    # form a phrase, not a bag of unrelated pairs.
    assert ids(filled, "上海港口") == {5}
    assert ids(filled, "東京の会社") == {6}


def test_stop_words_do_not_have_to_match(filled: WhooshIndex) -> None:
    assert ids(filled, "the port") == {1}


def test_cjk_runs_become_overlapping_bigrams() -> None:
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in text_analyzer()("Big 上海港 and 港", positions=True, chars=True)
    ]
    assert tokens == [
        ("big", 0, 0, 3),
        ("上海", 1, 4, 6),
        ("海港", 2, 5, 7),
        ("港", 3, 12, 13),
    ]
