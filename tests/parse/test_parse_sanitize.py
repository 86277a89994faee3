"""sanitize_html: an allowlist, safe links, and nothing that loads from the network."""

from __future__ import annotations

from reader._parse import sanitize_html


def test_scripts_styles_frames_and_images_are_removed() -> None:
    html = (
        "<p>Text<script>alert(1)</script><style>p{}</style>"
        "<iframe src='https://x.example'>frame</iframe>"
        "<img src='https://tracker.example/pixel.gif' alt='pixel'></p>"
    )

    assert sanitize_html(html) == "<p>Text</p>"


def test_handlers_and_styles_are_dropped() -> None:
    html = '<p style="color:red" onclick="steal()"><span onmouseover="x()">Hi</span></p>'

    assert sanitize_html(html) == "<p><span>Hi</span></p>"


def test_links_keep_safe_schemes_and_get_rel() -> None:
    html = (
        '<a href="https://a.example/">a</a> <a href="mailto:desk@b.example">b</a> '
        '<a href="javascript:alert(1)">c</a> <a href="/relative">d</a>'
    )

    assert sanitize_html(html) == (
        '<a href="https://a.example/" rel="noopener noreferrer">a</a> '
        '<a href="mailto:desk@b.example" rel="noopener noreferrer">b</a> '
        '<a rel="noopener noreferrer">c</a> <a rel="noopener noreferrer">d</a>'
    )


def test_structure_is_kept() -> None:
    html = (
        "<h2>T</h2><blockquote><p><strong>a</strong> <em>b</em> <code>c</code></p></blockquote>"
        "<ul><li>x</li></ul><table><tr><td colspan='2'>y</td></tr></table>"
        "<figure><figcaption>z</figcaption></figure><hr>"
    )

    cleaned = sanitize_html(html)

    for tag in ("<h2>", "<blockquote>", "<strong>", "<em>", "<code>", "<li>", "<figcaption>"):
        assert tag in cleaned
    assert '<td colspan="2">' in cleaned


def test_parsed_story_html_is_sanitized() -> None:
    from reader._parse import parse_bytes

    html = (
        "<h2>Canal Reopens</h2><p onclick='x()'>The canal reopened to barges on Friday "
        "<img src='https://t.example/p.gif'>(Canal Times).</p>"
        "<p><b>Why it matters:</b> <a href='javascript:evil()'>Grain</a> moves again.</p>"
    )

    (story,) = parse_bytes(html.encode(), filename="c.html")

    assert "onclick" not in story.html and "<img" not in story.html
    assert "javascript:" not in story.html
