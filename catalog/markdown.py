"""Publisher Markdown -> safe HTML: markdown-it-pyrs renders, nh3 keeps an allow-list."""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import markdown_it_pyrs
import nh3

_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
# Past this, the text is cut before rendering: a description is not a book.
MAX_MARKDOWN_CHARS = 100_000

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}

# CommonMark with tables and strikethrough, written in Rust (a sync renders tens of thousands of descriptions; the
# pure-Python markdown-it took a tenth of a full sync). Without its two HTML rules, raw HTML in the source is shown
# as text, never interpreted: our renderer's output then holds no tag the source typed, which is what lets the two
# rewrites below read it with regular expressions.
_md = markdown_it_pyrs.MarkdownIt("zero").enable_many([
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
    "strikethrough", "table",
])  # fmt: skip
_HEADING = re.compile(r"<(/?)h([1-6])>")
_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"(?: title="[^"]*")? ?/?>')


def _shift_headings(html: str) -> str:
    """The page owns <h1> and <h2>: a description's headings start at <h3> and skip no level.

    The levels a publisher used, in order, become h3, h4…: "## Contenu" under our <h2> is an <h3>,
    and "#" then "###" become <h3> then <h4>.
    """
    levels = sorted({int(level) for _, level in _HEADING.findall(html)})
    return _HEADING.sub(lambda found: f"<{found[1]}h{min(3 + levels.index(int(found[2])), 6)}>", html)


def _images_as_links(html: str) -> str:
    # Images would load from publishers' hosts: show a link to them instead (source and text already escaped).
    return _IMAGE.sub(lambda found: f'<a href="{found[1]}">Image : {found[2] or "image"}</a>', html)


def render_markdown(text: str | None) -> str:
    """Render Markdown written by a publisher into HTML safe to insert in our pages."""
    if not text:
        return ""
    html = _images_as_links(_shift_headings(_md.render(text[:MAX_MARKDOWN_CHARS])))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# Characters without which a text has no Markdown or HTML to interpret.
_MARKUP = re.compile(r"[*_`#\[\]<>|~!&\\]|^\s*(?:[-+=]|\d+[.)])", re.MULTILINE)


def plain_text(text: str | None, limit: int = 300) -> str:
    """A one-paragraph plain-text teaser of a Markdown text."""
    if not text:
        return ""
    if _MARKUP.search(text[: limit * 4]) is None:
        return _shorten(" ".join(text[: limit * 4].split()), limit)  # already plain: no need to render
    return html_to_text(render_markdown(text[: max(limit * 4, 2000)]), limit)


def html_to_text(html: str, limit: int = 300) -> str:
    """The text of HTML we rendered, on one line and shortened: a teaser of a description."""
    flat = " ".join(html_lib.unescape(nh3.clean(_TABLE.sub(" ", html), tags=set())).split())
    return _shorten(flat, limit)


def _shorten(flat: str, limit: int) -> str:
    if len(flat) > limit:
        flat = flat[: limit - 1].rsplit(" ", 1)[0] + "…"
    return flat


class _TopLevelBlocks(HTMLParser):
    """Where each top-level element of HTML we rendered ends, and how much text came before."""

    VOID = {"br", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text = 0
        self.ends: list[tuple[tuple[int, int], int]] = []  # ((line, column) after the element, text so far)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.VOID:
            if self.depth == 0:
                self._end_of_block()
        else:
            self.depth += 1

    def handle_endtag(self, tag) -> None:
        if tag in self.VOID:
            return
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0:
            self._end_of_block()

    def handle_data(self, data) -> None:
        self.text += len(data.strip())

    def _end_of_block(self) -> None:
        line, column = self.getpos()
        end = self.rawdata.find(">", self._offset(line, column)) + 1
        self.ends.append((end, self.text))

    def _offset(self, line: int, column: int) -> int:
        start = 0
        for _ in range(line - 1):
            start = self.rawdata.index("\n", start) + 1
        return start + column


def fold_html(html: str, *, lead: int = 300, longer_than: int = 600) -> tuple[str, str]:
    """Split a rendered description into what shows first and what folds behind « Lire la suite ».

    A text of at most ``longer_than`` characters stays whole: ``(html, "")``. Otherwise the first
    top-level blocks (paragraphs, lists, headings…) holding about ``lead`` characters come first and
    the rest folds; when the first block alone is far longer, everything folds (``("", html)``).
    Splitting between top-level elements keeps both halves well-formed.
    """
    if not html:
        return "", ""
    parser = _TopLevelBlocks()
    parser.feed(html)
    parser.close()
    if parser.text <= longer_than:
        return html, ""
    for end, text in parser.ends:
        if text >= lead:
            if text > longer_than:
                return "", html
            if not html[end:].strip():
                return html, ""
            return html[:end], html[end:]
    return html, ""
