"""How a story's canonical text is laid out for reading: its blocks (paragraphs and bullets,
with section labels and offsets) and its direction, from the rule that builds the text."""

from __future__ import annotations

from reader._parse.text import block_layout, line_layout, reads_rtl
from reader.model import Story, TextLayout


def text_layout(story: Story) -> TextLayout:
    """The blocks of ``story.text`` in order; their offsets are the ones highlights use.

    A story stored before the current block rule (its sections no longer rebuild its text
    exactly) is laid out one plain paragraph per line, so offsets still match its text.
    """
    rtl = reads_rtl(story.language, story.title, story.text)
    blocks = block_layout(story.sections, rtl=rtl)
    if "\n".join(block.text for block in blocks) != story.text:
        blocks = line_layout(story.text, rtl=rtl)
    return TextLayout(blocks, rtl)
