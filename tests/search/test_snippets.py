"""Snippets: matched words marked, everything else escaped, cut around the densest matches, and
the matched words reported as written so the UI can mark them in the story."""

from __future__ import annotations

from reader._search import WhooshIndex
from reader._search.analysis import text_analyzer
from reader._search.snippets import match_spans, render
from tests.search.search_fakes import FakeQueue, make_doc

MARK = '<b class="match">'


def test_marks_matches_and_escapes_the_document(index: WhooshIndex, queue: FakeQueue) -> None:
    body = 'Harbour <script>alert("x")</script> & cranes: the Striking dockers & "ports" idle.'
    queue.put(make_doc(1, "Strike <b>news</b>", body))
    index.drain(queue)
    hit = index.search("strike port")[0]
    assert hit.snippet == (
        "Harbour &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; cranes: the "
        f"{MARK}Striking</b> dockers &amp; &quot;{MARK}ports</b>&quot; idle."
    )
    assert hit.terms == ("Strike", "Striking", "ports")
    assert hit.title == "Strike <b>news</b>", "the title is plain text; the UI escapes it"


def test_long_text_is_cut_around_the_densest_matches(index: WhooshIndex, queue: FakeQueue) -> None:
    filler = "Nothing of note happened in the valley that week. " * 20
    body = f"A grain silo was mentioned once. {filler}Grain prices and grain silos, grain again. "
    queue.put(make_doc(1, "Weekly digest", body + filler))
    index.drain(queue)
    snippet = index.search("grain")[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert snippet.count(MARK) == 3
    assert len(snippet.replace(MARK, "").replace("</b>", "")) <= 210
    assert "A grain silo" not in snippet


def test_a_title_only_match_shows_the_start_of_the_body(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(make_doc(1, "Seawall vote passes", "The council met on Tuesday <late>."))
    index.drain(queue)
    hit = index.search("seawall")[0]
    assert hit.snippet == "The council met on Tuesday &lt;late&gt;."
    assert hit.terms == ("Seawall",), "the title's words are still marked in the reader"


def test_a_highlight_matched_by_its_story_title_shows_its_quote(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    quote = "the plan would cut 420 of the terminal's 1,150 jobs " * 8
    queue.put(
        make_doc(7, "Dockworkers Stall", quote, kind="highlight", story_id=1),
        make_doc(8, "Dockworkers Stall", "Union figure & source", kind="note", story_id=1),
    )
    index.drain(queue)
    snippets = {h.kind: h.snippet for h in index.search("dockworkers")}
    assert snippets["note"] == "Union figure &amp; source"
    assert snippets["highlight"].startswith("the plan would cut 420 of the terminal&#x27;s")
    assert snippets["highlight"].endswith("…") and "Dockworkers" not in snippets["highlight"]


def test_without_a_body_the_title_is_the_snippet(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(make_doc(2, "No body here", ""))
    index.drain(queue)
    assert index.search("body")[0].snippet == f"No {MARK}body</b> here"


def test_unmarked_snippet_when_only_a_tag_matched(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(make_doc(1, "Untitled", "Plain words only.", tags=["energy"]))
    index.drain(queue)
    hit = index.search("tag:energy")[0]
    assert hit.snippet == "Plain words only." and hit.terms == ()


def test_cjk_matches_are_marked_as_one_word(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(make_doc(1, "上海", "今天上海港口工人罢工。"))
    index.drain(queue)
    hit = index.search("上海港口")[0]
    assert hit.snippet == f"今天{MARK}上海港口</b>工人罢工。"
    assert hit.terms == ("上海", "上海港口")


def test_prefix_matches_are_marked(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(make_doc(1, "Ports", "Portugal and portable ports."))
    index.drain(queue)
    assert index.search("portu*")[0].snippet == f"{MARK}Portugal</b> and portable ports."


def test_render_spans_directly() -> None:
    text = "alpha\n\nbeta   gamma"
    spans = match_spans(text_analyzer(), text, {"beta"})
    assert spans == [(7, 11)]
    assert render(text, spans) == f"alpha {MARK}beta</b> gamma"
    assert render(text, []) == "alpha beta gamma"


def test_a_word_asked_of_the_source_is_marked_in_the_source_only(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(
        make_doc(
            4,
            "Harbour Times ahead",
            "Times are hard for the harbour, said the note.",
            kind="note",
            story_id=1,
            source="The Northwind Times",
        )
    )
    index.drain(queue)
    hit = index.search('source:"The Northwind Times"')[0]
    assert MARK not in hit.snippet
    assert hit.terms == () and hit.title_terms == ()
    assert hit.source_terms == ("Northwind", "Times")


def test_a_word_asked_of_the_title_is_marked_in_the_title_only(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(make_doc(5, "Port levy", "The port levy note.", kind="note", story_id=1))
    index.drain(queue)
    hit = index.search("title:port levy")[0]
    assert hit.snippet == f"The port {MARK}levy</b> note."
    assert hit.terms == ("levy",), "the reader marks only the words asked of the text"
    assert hit.title_terms == ("Port", "levy")


def test_unqualified_words_are_marked_in_title_body_and_source(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(make_doc(6, "Gale warning", "A gale came.", source="Gale Weekly"))
    index.drain(queue)
    hit = index.search("gale")[0]
    assert hit.snippet == f"A {MARK}gale</b> came."
    assert hit.terms == ("Gale", "gale")
    assert hit.title_terms == ("Gale",) and hit.source_terms == ("Gale",)
