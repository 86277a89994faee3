"""Single articles in many languages and scripts: metadata, the main text without the page
around it, structure kept in the HTML, wrong or missing charsets, and lazy-loaded images."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader._parse import canonical_text, decode_bytes, parse_bytes
from reader.model import ParsedStory

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
# How each fixture's bytes are really encoded; the pages declare otherwise or nothing.
ENCODINGS = {
    "de_hauptstrasse": "cp1252",  # declares utf-8
    "cs_spalovna": "cp1250",  # declares windows-1250, rightly
    "ja_tetsudo": "shift_jis",  # declares Shift_JIS, rightly
    "zh_matou": "gb18030",  # declares nothing
}
_META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>\s*", re.I)


def tz(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    byline: str
    published: datetime
    source: str
    language: str
    image_url: str
    labels: tuple[str, ...]
    quote: str  # the start of the paragraph the page puts in a <blockquote>
    items: int  # list items in the article
    junk: tuple[str, ...]  # furniture around the article, in the page's own language


PAGES = [
    Page(
        "fr_election",
        "Élection municipale à Vernolles : la liste écologiste l'emporte de justesse",
        "Camille Rousseau",
        datetime(2025, 3, 16, 21, 45, tzinfo=tz(1)),
        "Le Courrier du Val",
        "fr",
        "https://courrier-val.example/img/mairie-vernolles.jpg",
        ("Une campagne centrée sur les transports", "Un recours possible"),
        "« Cette élection montre",
        3,
        (
            "Accueil",
            "Par Camille",
            "Publié le",
            "Partager",
            "Photo : C. Rousseau",
            "Lire aussi",
            "Saint-Aubin : le second tour",
            "Publicité",
            "Sur le même sujet",
            "Réactions",
            "recompter",
            "Je m'inscris",
            "Tous droits réservés",
        ),
    ),
    Page(
        "de_hauptstrasse",
        "Hauptstraße in Kellbach wird ab Juli für die Straßenbahn gesperrt",
        "Jonas Albrecht",
        datetime(2025, 6, 3, 8, 15, tzinfo=tz(2)),
        "Rheintaler Anzeiger",
        "de",
        "https://anzeiger.example/bilder/hauptstrasse-kellbach.jpg",
        ("Händler sind besorgt", "Zeitplan"),
        "„Wir unterstützen die Straßenbahn",
        3,
        (
            "Cookies",
            "Lokales",
            "Von Jonas",
            "Teilen",
            "Foto: Stadtwerke",
            "Anzeige",
            "Strompreise",
            "Mehr zum Thema",
            "Rekordgewinn",
            "Kommentare",
            "viel zu lang",
            "Impressum",
        ),
    ),
    Page(
        "es_vendimia",
        "La vendimia de este año en San Rafael será la más corta en una década",
        "Lucía Herrera Gómez",
        datetime(2025, 2, 21, 10, 0, tzinfo=tz(-3)),
        "Diario del Valle",
        "es",
        # A relative lazy image, resolved against the address the page was read from.
        "https://news.example/fotos/2025/vendimia-san-rafael.jpg",
        ("Precios más altos", "Más trabajo para los cosechadores"),
        '"Con menos uva',
        3,
        (
            "Economía regional",
            "Por Lucía",
            "Copiar enlace",
            "Foto: Archivo",
            "PUBLICIDAD",
            "Irrigación recorta",
            "Lo más leído",
            "Notas relacionadas",
            "mosto",
            "Comentarios",
            "iniciar sesión",
            "derechos reservados",
        ),
    ),
    Page(
        "pt_mutirao",
        "Mutirão retira duas toneladas de lixo da praia de Itaúna",
        "Rafael Nogueira",
        datetime(2025, 8, 12, 14, 20, tzinfo=tz(-3)),
        "Gazeta do Litoral",
        "pt-BR",  # from og:locale "pt_BR": the page has no <html lang>
        "https://gazetalitoral.example/media/2025/08/praia-itauna-mutirao.jpg",
        ("Educação ambiental", "Próximos passos"),
        "“Cada tampinha",
        0,
        (
            "Meio ambiente",
            "Por Rafael",
            "12/08/2025",
            "Compartilhe",
            "Foto: Divulgação",
            "Leia também",
            "Araruama",
            "Receba as notícias",
            "Comentários",
            "Parabéns",
            "direitos reservados",
        ),
    ),
    Page(
        "cs_spalovna",
        "Soud zahájil řízení o stavbě nové spalovny u Tábora",
        "Tereza Dvořáková",
        datetime(2025, 4, 9, 9, 0, tzinfo=tz(2)),
        "Táborský zpravodaj",
        "cs",
        "https://zpravodaj-tabor.example/foto/spalovna-vizualizace.jpg",
        ("Obce chtějí nové posouzení", "Co bude dál"),
        "„Nejsme proti",
        0,
        (
            "Zprávy",
            "9. dubna 2025",
            "Sdílet",
            "Reklama",
            "Související články",
            "zdražují",
            "Diskuse",
            "lepší než skládka",
            "práva vyhrazena",
        ),
    ),
    Page(
        "zh_matou",
        "宁海港新码头投入使用 年吞吐能力增加一倍",
        "李明",
        datetime(2025, 9, 18, 8, 30, tzinfo=tz(8)),
        "东海晚报",
        "zh-CN",
        "https://donghai-wanbao.example/images/2025/0918/matou.jpg",
        ("自动化设备", "交通压力"),
        "“以前下雨天",
        3,
        (
            "首页",
            "来源",
            "分享到",
            "责任编辑",
            "相关新闻",
            "跨海大桥",
            "网友评论",
            "睡不着",
            "热点排行",
            "优惠券",
            "版权所有",
        ),
    ),
    Page(
        "ja_tetsudo",
        "山間部の赤字路線、来春からバスに転換へ 地元は存続求める",
        "佐藤 美咲",
        datetime(2025, 11, 5, 18, 0, tzinfo=tz(9)),
        "北陸新報",
        "ja",
        "https://hokuriku-shinpo.example/photo/morikawa-sen.jpg",
        ("住民から反対の声", "今後の予定"),
        "「高校に通う孫",
        3,
        (
            "トップ",
            "18時00分",
            "シェアする",
            "広告",
            "関連記事",
            "値上げ",
            "おすすめ",
            "コメント",
            "寂しい",
            "Copyright",
        ),
    ),
    Page(
        "ar_tahlia",
        "افتتاح محطة جديدة لتحلية مياه البحر في مدينة الريان",
        "سارة الحسيني",
        datetime(2025, 7, 22, 11, 0, tzinfo=tz(3)),
        "صحيفة الساحل",
        "ar",
        "https://sahil-news.example/uploads/2025/07/tahlia-rayyan.jpg",
        ("خطـة التوزيـع", "مخاوف بيئية"),
        "«كنا نشتري الماء",
        3,
        (
            "الرئيسية",
            "بقلم",
            "22 يوليو",
            "شارك",
            "اقرأ أيضا",
            "انقطاع الكهرباء",
            "الأكثر قراءة",
            "التعليقات",
            "القرى",
            "جميع الحقوق",
        ),
    ),
]


def parse(name: str, data: bytes | None = None) -> ParsedStory:
    if data is None:
        data = (ARTICLES / f"{name}.html").read_bytes()
    (story,) = parse_bytes(data, filename=f"{name}.html", url=f"https://news.example/a/{name}")
    return story


def expected_text(name: str) -> str:
    return (ARTICLES / f"{name}.expected.txt").read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_metadata(page: Page) -> None:
    story = parse(page.name)

    assert story.title == page.title
    assert story.byline == page.byline
    assert story.published == page.published
    assert story.source == page.source
    assert story.language == page.language
    assert story.image_url == page.image_url


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_main_text_is_the_article_and_nothing_else(page: Page) -> None:
    story = parse(page.name)
    text = canonical_text(story.sections)

    # Headings join the first paragraph under them in the canonical text; word for word,
    # the text is exactly what a reader would copy out of the article.
    assert words(text) == words(expected_text(page.name))
    for junk in page.junk:
        assert junk not in text, junk
        assert junk not in story.html, junk


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_headings_become_section_labels(page: Page) -> None:
    story = parse(page.name)

    assert [s.label for s in story.sections if s.label] == list(page.labels)
    assert story.sections[0].label is None, "the lead has no label"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_block_quotes_and_lists_keep_their_structure(page: Page) -> None:
    story = parse(page.name)

    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", story.html)
    assert len(quotes) == 1
    assert quotes[0].startswith(f"<p>{page.quote}")
    assert story.html.count("<li>") == page.items
    assert story.html.count("<h3>") == len(page.labels)


def test_numbered_lists_stay_numbered() -> None:
    assert "<ol><li>Die Parkgebühren" in parse("de_hauptstrasse").html
    assert "<ol><li>バスの時刻表" in parse("ja_tetsudo").html
    assert "<ul><li>la création" in parse("fr_election").html


def test_right_to_left_page_is_arabic() -> None:
    story = parse("ar_tahlia")

    assert story.language == "ar"
    assert story.sections[0].paragraphs[0].startswith("افتتحت بلدية الريان")


def test_language_from_the_script_when_the_page_declares_none() -> None:
    html = (
        '<html dir="rtl"><body><article><h1>افتتاح سوق جديد</h1><p>افتتحت البلدية سوقا '
        "جديدا للخضار في وسط المدينة يوم الأحد.</p></article></body></html>"
    )

    (story,) = parse_bytes(html.encode(), filename="a.html")

    assert story.language == "ar"


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<html><head><meta http-equiv="content-language" content="de-AT, en">', "de-AT"),
        (
            '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
            '"inLanguage": "it"}</script>',
            "it",
        ),
        ('<html lang="es"><head><meta property="og:locale" content="pt_BR">', "es"),
    ],
)
def test_language_fallbacks(html: str, language: str) -> None:
    page = html + (
        "</head><body><article><h1>Title</h1><p>Some words of text that make up the body of "
        "this short article.</p></article></body></html>"
    )

    (story,) = parse_bytes(page.encode(), filename="a.html")

    assert story.language == language


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_legacy_encodings_decode(name: str) -> None:
    data = (ARTICLES / f"{name}.html").read_bytes()
    assert not _is_utf8(data), "the fixture must really be in a legacy encoding"

    assert decode_bytes(data) == data.decode(ENCODINGS[name])


def test_utf8_page_that_declares_iso_8859_1() -> None:
    data = (ARTICLES / "fr_election.html").read_bytes()
    assert b'charset=iso-8859-1"' in data and _is_utf8(data)

    assert "Élection municipale à Vernolles" in decode_bytes(data)
    # The server's header says the same wrong thing: the bytes still win.
    story = parse_bytes(data, content_type="text/html; charset=ISO-8859-1")[0]
    assert story.title.startswith("Élection")


def test_windows_1252_page_that_declares_utf8() -> None:
    data = (ARTICLES / "de_hauptstrasse.html").read_bytes()
    assert b'<meta charset="utf-8">' in data

    story = parse_bytes(data, content_type="text/html; charset=utf-8")[0]

    assert story.title == "Hauptstraße in Kellbach wird ab Juli für die Straßenbahn gesperrt"
    assert "„Wir unterstützen die Straßenbahn" in canonical_text(story.sections)


@pytest.mark.parametrize(
    ("name", "declare"),
    [
        ("ja_tetsudo", False),  # the fixture declares Shift_JIS: here it does not
        ("zh_matou", True),  # the fixture declares nothing: here it declares GB18030
    ],
)
def test_east_asian_pages_with_and_without_a_declaration(name: str, declare: bool) -> None:
    encoding = ENCODINGS[name]
    text = _META_CHARSET.sub("", (ARTICLES / f"{name}.html").read_bytes().decode(encoding))
    if declare:
        text = text.replace("<head>", f'<head><meta charset="{encoding}">', 1)

    story = parse(name, text.encode(encoding))

    assert words(canonical_text(story.sections)) == words(expected_text(name))


def test_east_asian_page_behind_a_western_declaration() -> None:
    # A server that labels everything iso-8859-1 must not turn Chinese into accented Latin.
    data = (ARTICLES / "zh_matou.html").read_bytes()

    (story,) = parse_bytes(data, content_type="text/html; charset=iso-8859-1")

    assert story.title == "宁海港新码头投入使用 年吞吐能力增加一倍"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_images_never_load_and_their_addresses_stay_out_of_the_text(page: Page) -> None:
    story = parse(page.name)
    text = canonical_text(story.sections)

    assert "<img" not in story.html and "src=" not in story.html
    for leak in ("data-src", "data-lazy-src", "srcset", ".jpg", ".webp", "data:image", "base64"):
        assert leak not in text
        assert leak not in story.html


def test_lazy_image_address_beats_its_placeholder() -> None:
    html = (
        '<html><body><article><h1>Bridge Reopens</h1><img class="lazy" src="data:image/gif;'
        'base64,R0lGODlhAQABAAAAACw=" data-src="/photos/bridge.jpg" alt="The bridge">'
        "<p>The bridge over the river reopened on Monday after a year of repairs to its deck "
        "and railings.</p></article></body></html>"
    )

    (story,) = parse_bytes(html.encode(), filename="a.html", url="https://town.example/news/1")

    assert story.image_url == "https://town.example/photos/bridge.jpg"
    assert "bridge.jpg" not in story.html and "base64" not in story.html


@pytest.mark.parametrize(
    ("img", "expected"),
    [
        ('<img srcset="/s.jpg 400w, /l.jpg 1200w, /m.jpg 800w">', "https://t.example/l.jpg"),
        ('<img data-lazy-src="/lazy.jpg" src="/placeholder.gif">', "https://t.example/lazy.jpg"),
        (
            '<img class="site-logo" src="/logo.png"><img src="/photo.jpg">',
            "https://t.example/photo.jpg",
        ),
        ('<img src="/pixel.gif" width="1" height="1">', None),
        ('<img src="javascript:alert(1)">', None),
    ],
)
def test_lead_image_candidates(img: str, expected: str | None) -> None:
    html = (
        f"<html><body><article><h1>Title</h1>{img}<p>The body of a short article, long "
        "enough to be read as one.</p></article></body></html>"
    )

    (story,) = parse_bytes(html.encode(), filename="a.html", url="https://t.example/a")

    assert story.image_url == expected


def test_relative_image_without_a_page_address_is_dropped() -> None:
    (story,) = parse_bytes((ARTICLES / "es_vendimia.html").read_bytes(), filename="a.html")

    assert story.image_url is None


def test_quotation_attribution_in_a_footer_is_kept() -> None:
    html = (
        "<html><body><article><h1>Harbour Vote</h1><p>The council voted on Tuesday to dredge "
        "the harbour channel, after two years of studies and public meetings.</p><blockquote>"
        "<p>We are not against a deeper harbour.</p><footer>Ines Carvalho, fishers' "
        "association</footer></blockquote></article><footer>Site footer</footer></body></html>"
    )

    (story,) = parse_bytes(html.encode(), filename="a.html")

    assert "Ines Carvalho" in canonical_text(story.sections)
    assert "Site footer" not in canonical_text(story.sections)


def test_read_also_line_does_not_turn_an_article_into_a_digest() -> None:
    # "À lire aussi :" in bold looks like a digest label; the page says it is an article.
    story = parse("fr_orages")

    assert story.source == "L'Écho du Jura"
    assert "lire aussi" not in canonical_text(story.sections)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _all_fixtures() -> list[object]:
    names = sorted(p.stem for p in ARTICLES.glob("*.html"))
    # Known gap: an unmarked "编辑：周磊" editor line at the end of the text stays in.
    known = {"zh_xuexiao": "an editor credit without brackets is not recognized"}
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=known[name], strict=True))
        if name in known
        else name
        for name in names
    ]


@pytest.mark.parametrize("name", _all_fixtures())
def test_every_fixture_reads_as_its_expected_text(name: str) -> None:
    # The same pages bench/extraction.py measures, held to their hand-written text.
    story = parse(name)

    assert words(canonical_text(story.sections)) == words(expected_text(name))
