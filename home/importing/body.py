"""Markdown bodies to StreamField blocks, parsed with markdown-it-py.

Headings become heading blocks, paragraphs and lists rich text, images image blocks, quotes quote
blocks. Links keep their target (target="_blank" is dropped); only http(s), mailto and relative
links survive. Any other HTML is kept as escaped text or dropped, never passed through.
"""

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from home.importing.shortcodes import replace_shortcodes

SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Presentational tags whose text is kept when the tag itself is removed.
UNWRAPPED_TAGS = {"sup", "sub", "del", "s", "u", "small", "span", "center", "mark", "abbr",
                  "cite", "kbd", "code", "font", "ins", "big", "tt", "p", "div"}  # fmt: skip


def safe_href(href):
    """The link target if it is safe to keep (http, https, mailto, relative), else None."""
    href = (href or "").strip()
    if href.lower().startswith(SAFE_SCHEMES) or href.startswith(("/", "#")):
        return href
    if href and ":" not in href.split("/", 1)[0]:
        return href  # relative path such as "mitmachen/"
    return None


@dataclass
class BodyConversion:
    """The blocks made from one body, and what the reader should hear about."""

    blocks: list = field(default_factory=list)
    relative_links: list = field(default_factory=list)


class BodyConverter:
    """Turns one Markdown body into block tuples; `report` collects warnings with line numbers.

    `resolve_image(src, alt, line)` returns an image or None (the caller reports missing files).
    """

    def __init__(self, report, resolve_image, title="", first_line=1):
        self.report = report
        self.resolve_image = resolve_image
        self.title = title.strip().casefold()
        self.first_line = first_line
        self.parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        # Parse every link target; open_link() then keeps the safe ones and reports the rest.
        self.parser.validateLink = lambda url: True
        self.result = BodyConversion()
        self.current_line = first_line

    # Block level -------------------------------------------------------------------------

    def convert(self, markdown):
        markdown = replace_shortcodes(markdown, self.report, self.first_line)
        tokens = self.parser.parse(markdown)
        # The page title is the h1; the body's shallowest heading level becomes h2.
        depths = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
        shift = min(depths, default=2) - 2
        position = 0
        first_heading_seen = False
        while position < len(tokens):
            token = tokens[position]
            if token.map:
                self.current_line = self.first_line + token.map[0]
            if token.type == "heading_open":
                text = self.inline_text(tokens[position + 1])
                if not first_heading_seen and text.strip().casefold() == self.title:
                    self.report.note("heading-equal-to-title", "", self.current_line)
                elif text.strip():
                    level = "h2" if int(token.tag[1]) - shift <= 2 else "h3"
                    self.add("heading", {"text": text.strip()[:200], "level": level, "anchor": ""})
                first_heading_seen = True
                position += 3
            elif token.type == "paragraph_open":
                self.paragraph(tokens[position + 1])
                position += 3
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                end = self.closing(tokens, position)
                self.add_rich_text(self.list_html(tokens[position : end + 1]))
                position = end + 1
            elif token.type == "blockquote_open":
                end = self.closing(tokens, position)
                text = "\n".join(
                    self.inline_text(inner)
                    for inner in tokens[position:end]
                    if inner.type == "inline"
                )
                if text.strip():
                    self.add("quote", {"quote": text.strip(), "attribution": ""})
                position = end + 1
            elif token.type in ("fence", "code_block"):
                lines = html.escape(token.content.rstrip("\n")).split("\n")
                self.add_rich_text("<p>" + "<br/>".join(lines) + "</p>")
                self.report.warn("code-block-as-text", "code kept as plain text", self.current_line)
                position += 1
            elif token.type == "html_block":
                self.html_block(token.content)
                position += 1
            elif token.type == "table_open":
                end = self.closing(tokens, position)
                self.table(tokens[position:end])
                position = end + 1
            else:
                position += 1  # hr and closing tokens
        return self.result

    @staticmethod
    def closing(tokens, start):
        """Index of the token that closes tokens[start] (same nesting level)."""
        opening = tokens[start]
        depth = 0
        for index in range(start, len(tokens)):
            if tokens[index].type == opening.type:
                depth += 1
            elif tokens[index].type == opening.type.replace("_open", "_close"):
                depth -= 1
                if depth == 0:
                    return index
        return len(tokens) - 1

    def add(self, block_type, value):
        self.result.blocks.append((block_type, value))

    def add_rich_text(self, markup):
        """Append rich text, merging with a rich text block right before it."""
        if self.result.blocks and self.result.blocks[-1][0] == "paragraph":
            self.result.blocks[-1] = ("paragraph", self.result.blocks[-1][1] + markup)
        else:
            self.add("paragraph", markup)

    def paragraph(self, inline):
        """A paragraph; images in it become image blocks between the text around them."""
        pending = []
        for child in inline.children or []:
            if child.type == "image":
                self.flush_paragraph(pending)
                pending = []
                credit = child.attrs.get("title") or ""
                self.image(child.attrs.get("src", ""), self.inline_text(child), credit)
            else:
                pending.append(child)
        self.flush_paragraph(pending)

    def flush_paragraph(self, children):
        markup = self.render_inline(children).strip()
        if markup.replace("<br/>", "").strip():
            self.add_rich_text(f"<p>{markup}</p>")

    def image(self, src, alt, credit=""):
        image = self.resolve_image(src, alt, self.current_line)
        if image is not None:
            alt_text = (alt.strip() or image.title)[:250]
            value = {"image": image, "alt_text": alt_text, "caption": "", "attribution": credit}
            self.add("image", value)

    def list_html(self, tokens):
        parts = []
        for token in tokens:
            if token.type in ("bullet_list_open", "ordered_list_open"):
                parts.append(f"<{token.tag}>")
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                parts.append(f"</{token.tag}>")
            elif token.type == "list_item_open":
                parts.append("<li>")
            elif token.type == "list_item_close":
                parts.append("</li>")
            elif token.type == "inline":
                parts.append(self.render_inline(token.children or []))
        return "".join(parts)

    def table(self, tokens):
        """Tables have no block here: each row becomes a line of text."""
        rows, cells = [], []
        for token in tokens:
            if token.type == "inline":
                cells.append(self.render_inline(token.children or []))
            elif token.type == "tr_close":
                rows.append(" · ".join(cell for cell in cells if cell))
                cells = []
        if rows:
            self.add_rich_text("<p>" + "<br/>".join(rows) + "</p>")
        self.report.warn("table-as-text", "table rows kept as lines of text", self.current_line)

    def html_block(self, content):
        """Raw HTML blocks: links and text survive as rich text, images as image blocks."""
        extractor = HtmlTextExtractor()
        extractor.feed(content)
        extractor.close()
        for src, alt in extractor.images:
            self.image(src, alt)
        markup = "".join(extractor.parts).strip()
        if markup:
            self.add_rich_text(f"<p>{markup}</p>")
        if extractor.dropped_tags:
            tags = ", ".join(sorted(extractor.dropped_tags))
            self.report.warn("html-removed", f"HTML tags removed: {tags}", self.current_line)

    # Inline level ------------------------------------------------------------------------

    def inline_text(self, inline):
        """Plain text of an inline token (for headings, alt texts and quotes)."""
        parts = []
        for child in inline.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "image":
                parts.append(self.inline_text(child))
        return "".join(parts)

    def render_inline(self, children):
        out = []
        open_links = []
        for child in children:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                out.append(html.escape(child.content, quote=False))
            elif kind == "softbreak":
                out.append(" ")
            elif kind == "hardbreak":
                out.append("<br/>")
            elif kind in ("strong_open", "strong_close"):
                out.append("<b>" if kind.endswith("open") else "</b>")
            elif kind in ("em_open", "em_close"):
                out.append("<i>" if kind.endswith("open") else "</i>")
            elif kind in ("s_open", "s_close"):
                continue
            elif kind == "link_open":
                out.append(self.open_link(child.attrs.get("href", ""), open_links))
            elif kind == "link_close":
                out.append("</a>" if open_links and open_links.pop() else "")
            elif kind == "html_inline":
                out.append(self.inline_html(child.content, open_links))
            elif kind == "image":
                out.append(html.escape(self.inline_text(child), quote=False))
        out.extend("</a>" for is_open in open_links if is_open)
        return "".join(out)

    def open_link(self, href, open_links):
        target = safe_href(href)
        if target is None:
            self.report.warn("unsafe-link-dropped", f"link to {href!r} dropped", self.current_line)
            open_links.append(False)
            return ""
        if target.startswith("/"):
            self.result.relative_links.append((target, self.current_line))
        open_links.append(True)
        return f'<a href="{html.escape(target)}">'

    def inline_html(self, content, open_links):
        """Inline HTML: links, line breaks, bold and italic survive; presentational tags such
        as <sup> are removed (their text stays); anything else is shown as escaped text."""

        parser = HtmlTextExtractor()
        parser.feed(content)
        parser.close()
        if parser.link_opened is not None:
            return self.open_link(parser.link_opened, open_links)
        if parser.link_closed:
            return "</a>" if open_links and open_links.pop() else ""
        if parser.line_break or parser.formatting:
            return "".join(parser.parts)
        tag = content.strip("</> \n").split(" ")[0].lower()
        if tag in UNWRAPPED_TAGS:
            self.report.warn("html-removed", f"HTML tag removed: {content[:40]}", self.current_line)
            return ""
        self.report.warn(
            "html-escaped", f"inline HTML kept as text: {content[:40]}", self.current_line
        )
        return html.escape(content, quote=False)


class HtmlTextExtractor(HTMLParser):
    """Reads a snippet of raw HTML for what may survive: text, links, line breaks, images."""

    KEPT_TAGS = {"a", "br", "img", "p", "div", "span", "b", "strong", "i", "em"}
    INVISIBLE_TAGS = {"script", "style", "iframe", "object", "embed", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.images = []
        self.dropped_tags = set()
        self.link_opened = None
        self.link_closed = False
        self.line_break = False
        self.formatting = False
        self.hidden_depth = 0
        self.open_link = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.INVISIBLE_TAGS:
            self.hidden_depth += 1
            self.dropped_tags.add(tag)
        elif tag == "a":
            href = safe_href(attributes.get("href"))
            self.link_opened = attributes.get("href", "")
            if href:
                self.parts.append(f'<a href="{html.escape(href)}">')
                self.open_link = True
        elif tag == "br":
            self.line_break = True
            self.parts.append("<br/>")
        elif tag == "img":
            self.images.append((attributes.get("src", ""), attributes.get("alt", "")))
        elif tag in ("b", "strong"):
            self.formatting = True
            self.parts.append("<b>")
        elif tag in ("i", "em"):
            self.formatting = True
            self.parts.append("<i>")
        elif tag not in self.KEPT_TAGS:
            self.dropped_tags.add(tag)

    def handle_endtag(self, tag):
        if tag in self.INVISIBLE_TAGS:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag == "a":
            self.link_closed = True
            if self.open_link:
                self.parts.append("</a>")
                self.open_link = False
        elif tag in ("b", "strong"):
            self.formatting = True
            self.parts.append("</b>")
        elif tag in ("i", "em"):
            self.formatting = True
            self.parts.append("</i>")

        elif tag in ("p", "div"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(html.escape(data, quote=False))

    def close(self):
        super().close()
        if self.open_link:
            self.parts.append("</a>")
            self.open_link = False
