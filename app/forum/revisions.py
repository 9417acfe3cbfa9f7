"""Word-level diffs between two revisions of a post, as safe HTML. Pure: no Flask, no database.

Whitespace runs are kept as tokens of their own, so the diff shows the text with its
line breaks (the `.diff` block keeps white space) and a change of one word marks one
word, not the whole line. Every piece of user text is escaped before it is wrapped in
<ins> or <del>, so the result can go on the page as it is.
"""

import re
from difflib import SequenceMatcher

from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def tokenize(text: str) -> list[str]:
    """Split into alternating words and whitespace runs; joining them gives the text back."""
    return _TOKENS.findall(text or "")


def diff_html(old: str, new: str) -> Markup:
    """The new text with removed words in <del> and added words in <ins>."""
    a, b = tokenize(old), tokenize(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(b[j1:j2]))))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))
