"""What a word matches: stems, accents and case fold together, Chinese and Japanese words are
found inside sentences without spaces, and Arabic words with or without their vowel marks and
tatweel, at query time as well as at index time."""

from __future__ import annotations

import pytest

from reader._search import WhooshIndex
from reader._search.analysis import fold, text_analyzer, word_term
from tests.search.search_fakes import FakeQueue, make_doc


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


# Sentences from the article fixtures in tests/parse/fixtures/articles, one story each.
WORLD = {
    11: ("Élection municipale à Vernolles", "Cette élection montre que les habitants veulent "
         "du changement. La liste écologiste a obtenu 50,8 % des voix."),
    12: ("Hauptstraße wird gesperrt", "Die Hauptstraße in Kellbach wird gesperrt. Für "
         "Fußgänger bleibt die Straße offen. Die Stadtwerke verlegen neue Gleise."),
    13: ("Soud zahájil řízení", "Krajský soud ve středu zahájil řízení o žalobě proti stavbě "
         "spalovny. Pokud soud žalobě vyhoví, musí úřady celé řízení opakovat."),
    14: ("Mutirão em Itaúna", "A ação foi organizada por uma associação de surfistas. Quem "
         "quiser participar da próxima ação pode se inscrever."),
    15: ("La vendimia más corta", "La cosecha de este año será la más corta en una década. "
         "Este año el valor subió un quince por ciento."),
    16: ("宁海港新码头", "宁海港新建的集装箱码头昨天正式投入使用。工人们在控制室里操作设备。"),
    17: ("赤字路線をバスに転換", "会社は今月中に住民説明会を開く。"
         "沿線の住民からは反対の声が上がっている。"),
    18: ("محطة تحلية في الريان", "وقال مُحافظ المدينة إن المحطة ستغطي حاجة نحو مئتي ألف نسمة. "
         "خطـة التوزيـع: وستصل المياه إلى الأحياء عبر شبكة أنابيب جديدة."),
}  # fmt: skip


@pytest.fixture
def world(index: WhooshIndex, queue: FakeQueue) -> WhooshIndex:
    queue.put(*(make_doc(item, title, body) for item, (title, body) in WORLD.items()))
    index.drain(queue)
    return index


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # French: accents typed or not, any case.
        ("élection", {11}),
        ("election", {11}),
        ("ÉLECTION", {11}),
        ("ecologiste", {11}),
        # German: ß and "ss" are one letter pair; umlauts fold to the bare vowel.
        ("Straße", {12}),
        ("strasse", {12}),
        ("STRASSE", {12}),
        ("Hauptstrasse", {12}),
        ("Fussganger", {12}),
        ("fußgänger", {12}),
        # Czech: háček and čárka.
        ("řízení", {13}),
        ("rizeni", {13}),
        ("zalobe", {13}),
        # Portuguese: tilde and cedilla.
        ("ação", {14}),
        ("acao", {14}),
        ("ACAO", {14}),
        ("Itauna", {14}),
        # Spanish: ñ.
        ("año", {15}),
        ("ano", {15}),
        ("decada", {15}),
    ],
)
def test_accented_words_typed_with_or_without_accents(
    world: WhooshIndex, query: str, expected: set[int]
) -> None:
    assert ids(world, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("码头", {16}),  # a two-character word inside a sentence
        ("工人", {16}),
        ("集装箱", {16}),
        ("会社", {17}),
        ("住民", {17}),
        ("説明会", {17}),
        ("住民説明会", {17}),
    ],
)
def test_chinese_and_japanese_words_inside_sentences(
    world: WhooshIndex, query: str, expected: set[int]
) -> None:
    assert ids(world, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("المياه", {18}),
        ("محطة", {18}),
        ("محافظ", {18}),  # the text writes it with a damma: مُحافظ
        ("مُحافظ", {18}),
        ("خطة", {18}),  # the text stretches it with tatweel: خطـة
        ("التوزيع", {18}),
        ("شبكة أنابيب", {18}),
    ],
)
def test_arabic_words(world: WhooshIndex, query: str, expected: set[int]) -> None:
    assert ids(world, query) == expected


def test_arabic_phrase_keeps_its_order(world: WhooshIndex) -> None:
    assert ids(world, '"شبكة أنابيب"') == {18}
    assert ids(world, '"أنابيب شبكة"') == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # English stemming runs on every Latin-script word, but on the folded form, so no
        # word is parted from itself or from its accent-free spelling.
        ("Gleise", {12}),
        ("gleise", {12}),
        ("Stadtwerke", {12}),
        ("opakovat", {13}),
        ("associação", {14}),
        ("associacao", {14}),
        ("habitants", {11}),
        ("changement", {11}),
    ],
)
def test_english_stemming_does_not_break_other_languages(
    world: WhooshIndex, query: str, expected: set[int]
) -> None:
    assert ids(world, query) == expected


@pytest.mark.parametrize(
    ("word", "other"),
    [
        # Words an older Porter2 (Whoosh's own port) joined to a word of another meaning.
        ("organization", "organ"),
        ("international", "intern"),
        ("internal", "intern"),
        ("evening", "even"),
    ],
)
def test_the_stemmer_keeps_apart_words_of_different_meaning(word: str, other: str) -> None:
    assert word_term(word)[0] != word_term(other)[0]


@pytest.mark.parametrize(
    ("word", "same"), [("added", "add"), ("organizations", "organized"), ("dying", "die")]
)
def test_the_stemmer_joins_forms_of_one_word(word: str, same: str) -> None:
    assert word_term(word)[0] == word_term(same)[0]


def test_other_scripts_pass_the_stemmer_unchanged() -> None:
    for word in ("المياه", "новости", "ειδήσεις", "חדשות"):
        assert word_term(word)[0] == fold(word)


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Straße", "strasse"),
        ("ŘÍZENÍ", "rizeni"),
        ("Łódź", "lodz"),
        ("cœur", "coeur"),
        ("Øresund", "oresund"),
        ("خطـة", "خطه"),
        ("مُحَافِظ", "محافظ"),
        ("مستشفى", "مستشفي"),
        ("٢٠٢٥", "2025"),
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_prefix_query_folds_accents(world: WhooshIndex) -> None:
    assert ids(world, "straß*") == {12}
    assert ids(world, "elect*") == {11}


def test_threads_stem_alike_at_once() -> None:
    # Each thread has a stemmer of its own (they are not safe to share).
    import threading

    from reader._search import analysis

    words = [f"organizations{n}x" if n % 2 else "connecting" for n in range(2000)]
    expected = [analysis._stem(word) for word in words]
    results: list[list[str]] = []

    def stem_all() -> None:
        results.append([analysis._stem(word) for word in words])

    threads = [threading.Thread(target=stem_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4
