"""Acronyms that an English text defines by the full name next to them: "State Grid Corporation of China (SGCC)",
"NAT (National Aids Trust)". Used by the translation's entity check (the full name's rendering is the acronym's
counterpart) and by the glossary (an acronym defined as another name is not the term base's entry)."""
from __future__ import annotations

import regex

# All capitals, or a capital after small letters (CISA, S&P, eMarketer): names an acronym pattern can match.
ACRONYM = regex.compile(r"(?<![\p{L}\d&])(?:[A-Z][A-Z&]*[A-Z]|[a-z]+[A-Z]\p{L}{2,})(?![\p{L}\d&$])")
# Small words inside a name that give no initial ("Bank of China": BC).
MINOR_WORDS = {"of", "and", "the", "for", "&", "de", "in", "on"}
_WORD = regex.compile(r"[\p{L}&'’]+")


def _name_before(text: str) -> list[str]:
    """The run of capitalised (and minor) words that ends `text`: "... by the State Grid Corporation of China"."""
    words = _WORD.findall(text)[-12:]
    run: list[str] = []
    for word in reversed(words):
        if not (word[0].isupper() or word.lower() in MINOR_WORDS):
            break
        run.insert(0, word)
    while run and run[0].lower() in MINOR_WORDS:
        run.pop(0)
    return run


def definitions(text: str) -> dict[str, str]:
    """{acronym: its full name} for every acronym written next to a name whose initials spell it, in order."""
    found: dict[str, str] = {}
    for m in ACRONYM.finditer(text):
        before, after = text[max(0, m.start() - 120):m.start()], text[m.end():m.end() + 120]
        if before.endswith("(") and after.startswith(")"):
            words = _name_before(before[:-1])
        elif after.lstrip().startswith("("):
            words = _WORD.findall(after.lstrip()[1:].split(")", 1)[0])
        else:
            continue
        initials = "".join(w[0] for w in words if w.lower() not in MINOR_WORDS and w[0].isupper())
        if words and _in_order(m.group().replace("&", ""), initials):
            found.setdefault(m.group(), " ".join(words))
    return found


def _in_order(letters: str, initials: str) -> bool:
    """Whether `letters` are a subsequence of the last initials (SGCC in SGCC, QOCIP in QOCIP)."""
    rest = iter(initials[-2 * len(letters):])
    return all(ch in rest for ch in letters)
