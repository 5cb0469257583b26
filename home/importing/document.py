"""A Markdown file with YAML front matter, as static-site generators keep pages."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from home.text import german_slugify

FENCE = "---"
DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


class ImportFileError(Exception):
    """A file that cannot be imported: which file, which line, and why."""

    def __init__(self, path, line, reason):
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass
class MarkdownDocument:
    path: Path
    front_matter: dict
    body: str
    body_first_line: int

    @property
    def slug_from_filename(self):
        """The file name without date prefix and extension: "2014-05-22-gruendung" → "gruendung"."""
        return DATE_PREFIX.sub("", self.path.stem)

    @property
    def date_from_filename(self):
        match = DATE_PREFIX.match(self.path.name)
        if not match:
            return None
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None


def split_at_heading(document, heading):
    """Two documents: the part before the heading `heading`, and the rest titled by it.

    For files with several subjects, e.g. a lab's about text followed by the network's texts.
    The heading is found by parsing the Markdown, so headings in code blocks do not count.
    """
    tokens = MarkdownIt("commonmark").parse(document.body)
    lines = document.body.split("\n")
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and tokens[index + 1].content.strip() == heading:
            start = token.map[0]
            first = MarkdownDocument(
                document.path,
                document.front_matter,
                "\n".join(lines[:start]),
                document.body_first_line,
            )
            rest_front_matter = {"title": heading, "slug": german_slugify(heading)}
            rest = MarkdownDocument(
                document.path,
                rest_front_matter,
                "\n".join(lines[start + 1 :]),
                document.body_first_line + start + 1,
            )
            return first, rest
    raise ImportFileError(document.path, document.body_first_line, f"no heading {heading!r}")


def read_document(path):
    """Read `path`; raise ImportFileError naming the line for anything that is not well formed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ImportFileError(path, line, "the file is not UTF-8 text") from error
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ImportFileError(path, 1, "no front matter: the file must start with a line '---'")
    try:
        closing = next(index for index in range(1, len(lines)) if lines[index].strip() == FENCE)
    except StopIteration:
        raise ImportFileError(
            path, 1, "the front matter is not closed: no second line '---'"
        ) from None
    try:
        front_matter = yaml.safe_load("\n".join(lines[1:closing])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(error, "problem", None) or str(error)
        raise ImportFileError(
            path, line, f"the front matter is not valid YAML: {problem}"
        ) from error
    if not isinstance(front_matter, dict):
        raise ImportFileError(path, 2, "the front matter is not a set of key: value pairs")
    return MarkdownDocument(
        path=path,
        front_matter=front_matter,
        body="\n".join(lines[closing + 1 :]),
        body_first_line=closing + 2,
    )
