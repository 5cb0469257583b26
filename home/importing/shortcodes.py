"""Hugo shortcodes ({{< name … >}}): turned into Markdown where that makes sense, else removed.

Shortcodes are Hugo's template syntax, not Markdown, so they are found here before the body is
parsed. Every one found is reported with its line.
"""

import re
import shlex

SHORTCODE = re.compile(r"\{\{[<%]\s*(/?)\s*([\w-]+)(.*?)\s*[>%]\}\}", re.DOTALL)


def arguments(text):
    """key="value" pairs of a shortcode; positional arguments under their index."""
    try:
        words = shlex.split(text.replace("\n", " "))
    except ValueError:
        words = text.split()
    named = {}
    for index, word in enumerate(words):
        key, separator, value = word.partition("=")
        named[key if separator else str(index)] = value if separator else word
    return named


def replace_shortcodes(markdown, report, first_line=1):
    def replacement(match):
        closing, name, args = match.group(1), match.group(2), arguments(match.group(3))
        line = first_line + markdown.count("\n", 0, match.start())
        if name == "ref" and not closing:
            target = args.get("0", "")
            report.note("shortcode-ref", f"ref {target} made a relative link", line)
            return target.removesuffix(".md").removesuffix("/_index") or "/"
        if name == "figure" and not closing and args.get("src"):
            report.note("shortcode-figure", f"figure {args['src']} made an image", line)
            alt = args.get("alt", "").replace("]", "")
            credit = args.get("attr", args.get("caption", "")).replace('"', "'")
            return f'\n\n![{alt}](<{args["src"]}> "{credit}")\n\n'
        report.warn("shortcode-removed", f"shortcode {{{{< {closing}{name} >}}}} removed", line)
        return ""

    return SHORTCODE.sub(replacement, markdown)
