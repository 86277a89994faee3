"""W3C Web Annotation (JSON-LD): highlights as an AnnotationCollection, and reading such files
(ours or another tool's) back into records an import can place.

Each highlight is an Annotation whose target is the story's URL (or
``urn:story-reader:story:<content hash>`` when it has none) refined by a TextQuoteSelector and a
TextPositionSelector. Its note is a ``commenting`` TextualBody, each tag a ``tagging`` one, and
its colour's codebook name a ``classifying`` one; the colour itself is the target's
``styleClass``, with a CssStylesheet. A story note is an Annotation on the whole story.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from reader._storage.transfer import StoryRecord
from reader.errors import ParseError
from reader.model import Color, Highlight, Note, Story

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXTS = frozenset({CONTEXT, "https://www.w3.org/ns/anno.jsonld"})
STORY_URN = "urn:story-reader:story:"
COLLECTION_URN = "urn:story-reader:annotations:"
# The window's highlight hues, translucent as it draws them.
CSS_COLORS: dict[Color, str] = {
    Color.YELLOW: "rgba(255, 210, 0, 0.35)",
    Color.GREEN: "rgba(60, 200, 100, 0.35)",
    Color.BLUE: "rgba(60, 150, 255, 0.35)",
    Color.PINK: "rgba(255, 90, 170, 0.35)",
    Color.PURPLE: "rgba(160, 100, 255, 0.35)",
}


def target_source(story: Story) -> str:
    return story.url or f"{STORY_URN}{story.content_hash}"


def write(stories: Iterable[StoryRecord], out: IO[str], names: Mapping[Color, str]) -> int:
    """An AnnotationCollection holding every highlight (and story note); returns how many
    annotations.

    The model requires an IRI on the collection and on its page; they are derived from what
    the file holds (the annotations without their own ids), so the same annotations exported
    from another archive give the same file. ``id`` and ``total`` come last, once known (JSON
    keys have no order). Each annotation carries its own ``@context``, so it stands alone
    when taken out of the page."""
    out.write(
        "{\n"
        f'  "@context": "{CONTEXT}",\n'
        '  "type": "AnnotationCollection",\n'
        '  "label": "Story Reader highlights",\n'
        '  "first": {\n'
        '    "type": "AnnotationPage",\n'
        '    "startIndex": 0,\n'
        '    "items": ['
    )
    count = 0
    digest = hashlib.sha256()
    for record in stories:
        items = [highlight_annotation(h, record.story, names) for h in record.highlights]
        items += [note_annotation(note, record.story) for note in record.notes]
        for item in items:
            out.write(",\n      " if count else "\n      ")
            out.write(json.dumps({"@context": CONTEXT, **item}, ensure_ascii=False))
            content = {key: value for key, value in item.items() if key != "id"}
            digest.update(json.dumps(content, ensure_ascii=False, sort_keys=True).encode())
            count += 1
    collection = f"{COLLECTION_URN}{digest.hexdigest()[:32]}"
    out.write(
        ("\n    ]" if count else "]")
        + f',\n    "id": "{collection}/page/1"\n  }},\n'
        + f'  "total": {count},\n  "id": "{collection}"\n}}\n'
    )
    return count


def highlight_annotation(
    highlight: Highlight, story: Story, names: Mapping[Color, str]
) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if highlight.note:
        body.append(_textual(highlight.note, "commenting", "text/plain"))
    body += [_textual(tag, "tagging") for tag in highlight.tags]
    name = names.get(highlight.color)
    if name:
        body.append(_textual(name, "classifying"))
    color = highlight.color.value
    annotation: dict[str, Any] = {
        "id": f"urn:story-reader:highlight:{highlight.id}",
        "type": "Annotation",
        "motivation": "highlighting",
        "created": _time(highlight.created),
        "modified": _time(highlight.updated),
    }
    if body:
        annotation["body"] = body
    annotation["target"] = {
        "source": target_source(story),
        "styleClass": color,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": highlight.quote,
                "prefix": highlight.prefix,
                "suffix": highlight.suffix,
            },
            {"type": "TextPositionSelector", "start": highlight.start, "end": highlight.end},
        ],
    }
    annotation["stylesheet"] = {
        "type": "CssStylesheet",
        "value": f".{color} {{ background-color: {CSS_COLORS[highlight.color]}; }}",
    }
    return annotation


def note_annotation(note: Note, story: Story) -> dict[str, Any]:
    return {
        "id": f"urn:story-reader:note:{note.id}",
        "type": "Annotation",
        "motivation": "commenting",
        "created": _time(note.created),
        "modified": _time(note.updated),
        "body": _textual(note.body, "commenting", "text/markdown"),
        "target": target_source(story),
    }


def _textual(value: str, purpose: str, media_type: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "TextualBody", "value": value, "purpose": purpose}
    if media_type:
        body["format"] = media_type
    return body


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Annotation:
    """One annotation as an import needs it. ``quote`` is None for a note on a whole story;
    ``problem`` says why an annotation cannot be used at all."""

    source: str | None
    quote: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    style_class: str | None = None
    classes: tuple[str, ...] = ()
    note: str = ""
    tags: tuple[str, ...] = ()
    created: datetime | None = None
    modified: datetime | None = None
    problem: str | None = None


def has_context(data: Any) -> bool:
    context = data.get("@context") if isinstance(data, dict) else None
    contexts = context if isinstance(context, list) else [context]
    return any(isinstance(item, str) and item in CONTEXTS for item in contexts)


def read(stream: IO[str]) -> list[Annotation]:
    """Every annotation in a Web Annotation document: one Annotation, a list of them, an
    AnnotationPage or an AnnotationCollection with its first page embedded."""
    try:
        data = json.load(stream)
    except json.JSONDecodeError as err:
        raise ParseError(f"not valid JSON: {err.msg} at line {err.lineno}") from None
    return [_annotation(item) for item in _items(data)]


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ParseError("not a Web Annotation document")
    kinds = _strings(data.get("type"))
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        if isinstance(first, str):
            raise ParseError("the collection's pages are not in the file (only linked)")
        return _items(first) if first is not None else []
    if "AnnotationPage" in kinds or ("items" in data and "Annotation" not in kinds):
        items = data.get("items", [])
        if not isinstance(items, list):
            raise ParseError("an AnnotationPage's items must be a list")
        return items
    return [data]


def _annotation(item: Any) -> Annotation:
    if not isinstance(item, dict) or "Annotation" not in _strings(item.get("type")):
        return Annotation(source=None, problem="not an Annotation")
    created, modified = _when(item.get("created")), _when(item.get("modified"))
    notes, tags, classes = _bodies(item)
    target = item.get("target")
    if isinstance(target, list):
        target = target[0] if target else None
    if isinstance(target, str):
        return Annotation(source=target, note=notes, tags=tags, created=created, modified=modified)
    if not isinstance(target, dict):
        return Annotation(source=None, problem="the annotation has no target")
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id")
    if not isinstance(source, str):
        return Annotation(source=None, problem="the target names no source")
    quote: str | None = None
    prefix = suffix = ""
    start = end = None
    selectors = target.get("selector")
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        if not isinstance(selector, dict):
            continue
        kinds = _strings(selector.get("type"))
        if "TextQuoteSelector" in kinds and isinstance(selector.get("exact"), str):
            quote = selector["exact"]
            prefix = _text(selector.get("prefix"))
            suffix = _text(selector.get("suffix"))
        elif "TextPositionSelector" in kinds:
            first, last = selector.get("start"), selector.get("end")
            if _is_int(first) and _is_int(last):
                start, end = first, last
    if quote is None:
        problem = "no TextQuoteSelector" if selectors is not None else None
        return Annotation(
            source=source,
            note=notes,
            tags=tags,
            created=created,
            modified=modified,
            problem=problem,
        )
    style = target.get("styleClass")
    return Annotation(
        source=source,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        style_class=style if isinstance(style, str) else None,
        classes=classes,
        note=notes,
        tags=tags,
        created=created,
        modified=modified,
    )


def _bodies(item: dict[str, Any]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    notes: list[str] = []
    tags: list[str] = []
    classes: list[str] = []
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    bodies = item.get("body")
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        value = body["value"]
        purposes = _strings(body.get("purpose"))
        if "tagging" in purposes:
            if value.strip():
                tags.append(value.strip())
        elif "classifying" in purposes:
            classes.append(value.strip())
        elif value.strip():
            notes.append(value)
    return "\n\n".join(notes), tuple(tags), tuple(classes)


def _strings(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, str)]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
