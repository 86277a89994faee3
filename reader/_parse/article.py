"""What an HTML page says about itself (title, byline, date, language, address, site, lead
image) and the single-article reading of a page that is not a digest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from reader._parse.blocks import Block, Kind, word_count
from reader._parse.cleaning import clean_blocks
from reader._parse.digest import single_story
from reader._parse.html import HtmlPage, PageMeta
from reader._parse.text import canonical_text, normalize_text
from reader.model import ParsedStory

_TITLE_SEPARATOR = re.compile(r"\s+(?:[|·•»–—:]|-|::)\s+")
_SITE_SUFFIX_WORDS = 4
_BY = re.compile(r"^by\s+", re.I)
_BYLINE_END = re.compile(r"\s+(?:[|·•—]|-)\s+")
_DATE_METAS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dcterms.created",
)
_BYLINE_METAS = ("author", "dc.creator", "article:author", "parsely-author", "sailthru.author")
_IMAGE_METAS = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
    "image",
    "thumbnailurl",
)
_ARTICLE_TYPES = ("Article", "BlogPosting", "Report")
_SCRIPTS = {
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]"),
    "hangul": re.compile(r"[\uac00-\ud7af]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
}
# A link-only line this short inside the body is a "related story", not text.
_LINK_LINE_WORDS = 15
# Before the article's first paragraph: kicker, title, byline, dateline and share bar.
_KICKER_WORDS = 12
_HEADER_BLOCKS = 8
_BYLINE_EXTRA_WORDS = 8
_DATELINE_WORDS = 12
_SCRAP_WORDS = 3
_SCRAP_CHARS = 16
_DATELINE_CHARS = 80
# The first paragraph this long (in words, or characters of scripts without spaces) is
# text: the header lines end there.
_TEXT_WORDS = 15
_TEXT_CJK = 30
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# A year, a numeric date, a CJK date or a clock time: what a dateline is made of.
_DATE_LIKE = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\d\s*[年月日時]"
    r"|\b\d{1,2}[:h]\d\d\b"
)
_SENTENCE_END = (".", "!", "?", "。", "！", "？", "؟")
_BY_WORDS = re.compile(r"^(?:by|von|par|por|door|di|av|af|autor|autora|texto?|بقلم)\b", re.I)
# An editor's or agency credit closing an article: "(Reporting by …)", "（责任编辑：…）".
_CREDIT = re.compile(r"^[(（\[【].*[)）\]】]$")
_CREDIT_WORDS = 20
# An ad slot's label left standing alone in the text.
_AD_LABELS = {
    "ad", "ads", "advertisement", "anzeige", "werbung", "publicité", "publicite", "publicidad",
    "publicidade", "pubblicità", "reklama", "reklame", "annonce", "広告", "广告", "إعلان",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PageDetails:
    byline: str | None
    published: datetime | None
    language: str | None
    url: str | None
    site: str | None
    image_url: str | None


def page_details(meta: PageMeta, url: str | None) -> PageDetails:
    address = _address(meta, url)
    return PageDetails(
        _byline(meta),
        _published(meta),
        _language(meta),
        address,
        _site(meta),
        _image(meta, address or url),
    )


def read_article(
    page: HtmlPage, details: PageDetails, title_hint: str | None = None
) -> ParsedStory | None:
    """The page as one article: its main container's text under the page's title, without
    the header lines around the title and the credits after the text."""
    title = _title(page.meta)
    body = [b for b in clean_blocks(page.main_blocks()) if not _furniture(b, details)]
    body = _without_header(body, title, details)
    while body and _is_credit(body[-1]):
        body.pop()
    story = single_story(body, title, title_hint=title_hint)
    if story is None:
        return None
    text = canonical_text(story.sections)
    language = details.language or script_language(story.title + " " + text)
    # The page's own address beats any "Read more" link inside an article.
    return replace(
        story,
        url=details.url or story.url,
        byline=details.byline,
        published=details.published,
        language=language,
        source=story.source or details.site,
        image_url=details.image_url,
    )


def declares_article(meta: PageMeta) -> bool:
    """Whether the page calls itself an article: og:type, or a schema.org Article type."""
    if meta.metas.get("og:type", "").lower() == "article":
        return True
    for obj in meta.json_ld:
        kinds = obj.get("@type")
        for kind in kinds if isinstance(kinds, list) else [kinds]:
            if isinstance(kind, str) and kind.endswith(_ARTICLE_TYPES):
                return True
    return False


def script_language(text: str) -> str | None:
    """The language a page that declares none is written in, when its script tells: Kana
    means Japanese, Hangul Korean, Han alone Chinese, Arabic letters Arabic, Hebrew letters
    Hebrew. Latin and Cyrillic are shared by too many languages to guess."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}
    letters = sum(1 for c in text if c.isalpha())
    if not letters:
        return None
    if counts["kana"] and counts["kana"] + counts["han"] >= letters / 2:
        return "ja"
    if counts["hangul"] >= letters / 2:
        return "ko"
    for name, language in (("han", "zh"), ("arabic", "ar"), ("hebrew", "he")):
        if counts[name] >= letters / 2:
            return language
    return None


def parse_date(value: str) -> datetime | None:
    """An ISO 8601 or RFC 2822 date, timezone-aware (UTC when the page gives no zone)."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _without_header(body: list[Block], title: str | None, details: PageDetails) -> list[Block]:
    """``body`` without its header: the title heading and a short kicker above it; scraps
    of links and labels before the first paragraph of text; bylines and datelines among the
    first few blocks (a standfirst may come before them)."""
    for i, block in enumerate(body[:_HEADER_BLOCKS]):
        if block.kind is Kind.HEADING and (block.level == 1 or block.text == title):
            if sum(word_count(b.text) for b in body[:i]) <= _KICKER_WORDS:
                body = body[i + 1 :]
            break
    text_at = next((i for i, b in enumerate(body) if _is_text(b)), len(body))
    kept = [
        block
        for i, block in enumerate(body)
        if not (i < text_at and _scrap(block))
        and not (i < _HEADER_BLOCKS and _byline_or_dateline(block, details))
    ]
    # An article that is nothing but a dateline keeps it: a story needs some text.
    return kept or body


def _is_text(block: Block) -> bool:
    """A paragraph long enough to be the article's first line of text."""
    return block.kind is Kind.PARA and (
        word_count(block.text) >= _TEXT_WORDS or len(_CJK.findall(block.text)) >= _TEXT_CJK
    )


def _scrap(block: Block) -> bool:
    """A "more" link, a rule, or a few words that are no sentence ("Posted on", "Share:"):
    what removed links and dates leave above an article."""
    if block.kind in (Kind.MORE, Kind.RULE):
        return True
    text = block.text
    return (
        block.kind is Kind.PARA
        and word_count(text) <= _SCRAP_WORDS
        and len(text) <= _SCRAP_CHARS
        and not text.endswith(_SENTENCE_END)
    )


def _byline_or_dateline(block: Block, details: PageDetails) -> bool:
    if block.kind is not Kind.PARA:
        return False
    text, words = block.text, word_count(block.text)
    if details.byline and _fold_case(details.byline) in _fold_case(text):
        return words <= word_count(details.byline) + _BYLINE_EXTRA_WORDS
    if _BY_WORDS.match(text) and words <= _BYLINE_EXTRA_WORDS:
        return True
    return (
        words <= _DATELINE_WORDS
        and len(text) <= _DATELINE_CHARS
        and not text.endswith(_SENTENCE_END)
        and _DATE_LIKE.search(text) is not None
    )


def _is_credit(block: Block) -> bool:
    return (
        block.kind is Kind.PARA
        and word_count(block.text) <= _CREDIT_WORDS
        and _CREDIT.match(block.text) is not None
    )


def _fold_case(text: str) -> str:
    return " ".join(text.casefold().split())


def _furniture(block: Block, details: PageDetails) -> bool:
    if details.byline and block.text in (details.byline, f"By {details.byline}"):
        return True
    if _BY.match(block.text) and word_count(block.text) <= 8:
        return True
    if block.kind is Kind.PARA and block.text.strip(" .:-–—").casefold() in _AD_LABELS:
        return True
    linked = [r for r in block.runs if r.text.strip()]
    return (
        block.kind in (Kind.PARA, Kind.BULLET)
        and bool(linked)
        and all(r.href for r in linked)
        and word_count(block.text) <= _LINK_LINE_WORDS
    )


def _title(meta: PageMeta) -> str | None:
    for candidate in (meta.metas.get("og:title"), _ld_string(meta, "headline"), meta.h1):
        if candidate:
            return candidate
    if not meta.title:
        return None
    parts = _TITLE_SEPARATOR.split(meta.title)
    site = meta.metas.get("og:site_name")
    while len(parts) > 1 and (parts[-1] == site or word_count(parts[-1]) <= _SITE_SUFFIX_WORDS):
        parts.pop()
    return normalize_text(" - ".join(parts)) or None


def _byline(meta: PageMeta) -> str | None:
    for name in _BYLINE_METAS:
        author = meta.metas.get(name)
        if author and "://" not in author:
            return _clean_byline(author)
    names = [name for obj in meta.json_ld for name in _ld_names(obj.get("author"))]
    if names:
        return ", ".join(dict.fromkeys(names))
    return _clean_byline(meta.byline) if meta.byline else None


def _clean_byline(text: str) -> str | None:
    return normalize_text(_BYLINE_END.split(_BY.sub("", text), maxsplit=1)[0]) or None


def _ld_names(value: object, depth: int = 0) -> list[str]:
    # Authors nest at most a level or two; the bound keeps hostile JSON from recursing.
    if depth > 3:
        return []
    if isinstance(value, str):
        return [normalize_text(value)] if normalize_text(value) else []
    if isinstance(value, dict):
        return _ld_names(value.get("name"), depth + 1)
    if isinstance(value, list):
        return [name for item in value[:10] for name in _ld_names(item, depth + 1)]
    return []


def _site(meta: PageMeta) -> str | None:
    """The publication: og:site_name, else the JSON-LD publisher, else application-name."""
    site = meta.metas.get("og:site_name")
    if site and normalize_text(site):
        return normalize_text(site)
    for obj in meta.json_ld:
        names = _ld_names(obj.get("publisher"))
        if names:
            return names[0]
    name = meta.metas.get("application-name")
    return normalize_text(name) if name and normalize_text(name) else None


def _ld_string(meta: PageMeta, key: str) -> str | None:
    for obj in meta.json_ld:
        value = obj.get(key)
        if isinstance(value, str) and normalize_text(value):
            return normalize_text(value)
    return None


def _published(meta: PageMeta) -> datetime | None:
    values = [meta.metas.get(name) for name in _DATE_METAS[:2]]
    values += [_ld_string(meta, "datePublished")]
    values += [meta.metas.get(name) for name in _DATE_METAS[2:]]
    values += [meta.time_datetime]
    for value in values:
        parsed = parse_date(value) if value else None
        if parsed:
            return parsed
    return None


def _language(meta: PageMeta) -> str | None:
    """<html lang>, else Content-Language, else og:locale, else the JSON-LD inLanguage;
    "pt_BR" is written "pt-BR"."""
    candidates: Sequence[str | None] = (
        meta.language,
        meta.metas.get("content-language"),
        meta.metas.get("language"),
        meta.metas.get("og:locale"),
        _ld_string(meta, "inLanguage"),
    )
    for candidate in candidates:
        # Content-Language may list several ("de, en"); the first is the page's own.
        value = normalize_text((candidate or "").split(",")[0]).replace("_", "-")
        if value:
            return value
    return None


def _image(meta: PageMeta, base: str | None) -> str | None:
    """The lead image's absolute http(s) address: og:image and its kin, the JSON-LD image,
    else the first content image in the article. Only the address: nothing is fetched."""
    candidates = [meta.metas.get(name) for name in _IMAGE_METAS]
    candidates += [_ld_image(obj.get("image")) for obj in meta.json_ld]
    candidates.append(meta.image)
    for candidate in candidates:
        if not candidate:
            continue
        try:
            address = urljoin(base, candidate.strip()) if base else candidate.strip()
            scheme = urlsplit(address).scheme
        except ValueError:
            continue
        if scheme in ("http", "https"):
            return address
    return None


def _ld_image(value: object, depth: int = 0) -> str | None:
    """An image given as a URL, an ImageObject, or a list of either."""
    if depth > 2:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        url = value.get("url") or value.get("contentUrl")
        return url if isinstance(url, str) else None
    if isinstance(value, list) and value:
        return _ld_image(value[0], depth + 1)
    return None


def _address(meta: PageMeta, url: str | None) -> str | None:
    for candidate in (meta.canonical, meta.metas.get("og:url"), url):
        if candidate and candidate.startswith(("http://", "https://")):
            return candidate
    return None
