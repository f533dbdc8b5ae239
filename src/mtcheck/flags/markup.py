"""Markup a translation must carry over unchanged, found in a text and compared.

A reader that knows the format (Markdown) records inline code, link and image
destinations and URLs itself (``Paragraph.markup``); in any text, these are found here:

- placeholders: ``{name}``, ``{0}``, ``{0,number}``, ``{{count}}``, ``{{ user.name }}``,
  printf ``%s``, ``%d``, ``%1$s``, ``%.2f``, ``%(x)d``, and ``${var}`` (not ``$HOME``:
  "$AAPL" and "$US" are not variables);
- URLs: ``http(s)://``, ``ftp://`` and ``www.`` addresses;
- code written with backticks (`` `config.yaml` ``) and HTML tags of inline elements
  (``<b>``, ``</b>``, ``<br/>``; not a stand-in such as ``<Dateiname>``).

Values are compared through :func:`key`: URLs without scheme, ``www.``, fragment (a
``#heading-anchor`` follows the translated heading), trailing slash and language markers
(``/en/`` and ``/de/``, ``en-us`` and ``de-de``, ``lang=en``, ``en.`` subdomains are one
key), code with its whitespace collapsed and a trailing comment dropped (a translated
comment keeps the code the same). :func:`localised` accepts an English page's German
edition on the same site under another path (``en.wikipedia.org/wiki/Tree`` and
``de.wikipedia.org/wiki/Baum``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from mtcheck.io.text import trim_url
from mtcheck.model import Markup

_PLACEHOLDER = re.compile(
    r"\{\{\s*[^{}\s][^{}]*?\s*\}\}"  # {{count}}, {{ user.name }}
    r"|(?<!\{)\{(?:[A-Za-z_][\w.]*|\d*)(?:[:!,][^{}\s]*)?\}(?!\})"  # {name}, {0}, {}, {0:>3}
    # printf: not after a digit or another "%" ("50%ige", "%%d"), never "% d" (German
    # "50 % der" has a space). Program messages glue placeholders to words and to each
    # other ("%sNo rule", "%s%.255s", "%lid"), so a letter may stand on either side.
    # With a flag, though, a letter may not follow: "%-encoding" is prose.
    r"|(?<![\d%])%(?:\([\w.]+\))?(?:\d+\$)?"
    r"(?:[-+0#]+(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|z)?[diouxXeEfFgGcrsa@](?![a-z])"
    r"|(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|z)?[diouxXeEfFgGcrsa@])"
    r"|\$\{[A-Za-z_][\w.]*\}"  # ${var}
)
# German quotation marks end a URL too: „siehe https://example.org“.
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'`„“”‚‘’«»]+", re.IGNORECASE)
_CODE = re.compile(r"`([^`\n]+)`")
# A GNU-style quotation `like this' (program messages): an opening backtick closed by an
# apostrophe, no inline code. Its backtick must not pair with a later one.
_GNU_QUOTATION = re.compile(r"`(?=[^`'\n]*'(?!\w))")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)(?:\s[^<>]*)?(/?)>")
# HTML elements that turn up inside a sentence: "<Name>" or "<file>" in running text is a
# stand-in a translation may translate, not a tag.
_HTML_ELEMENTS = frozenset(
    "a abbr b bdi bdo big br cite code del dfn em font i img ins kbd mark q s samp small "
    "span strike strong sub sup time tt u var wbr p div li ul ol h1 h2 h3 h4 h5 h6 hr "
    "table tr td th".split()
)
_VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr"})  # they never close
_POSITION = re.compile(r"^%(\d+)\$")  # %1$s: the argument's position

# A language marker in a URL: "en", "de", "en-us", "de_DE", "eng", "deu" between
# separators. German and English pages of one site differ in it and nothing else.
_LANGUAGE = re.compile(
    r"(?<![a-z0-9])(?:en|de|eng|deu|ger)(?:[-_][a-z]{2})?(?![a-z0-9])", re.IGNORECASE
)
# Country and generic top-level domains a site swaps for its German edition (.com -> .de).
_LOCAL_TLDS = frozenset({"com", "org", "net", "de", "at", "ch", "eu", "uk", "us", "io"})
_ABSOLUTE = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)
_GERMAN_TLDS = frozenset({"de", "at", "ch"})
_COMMENT = re.compile(r"\s+(?:#|//|--)\s.*$")


def find_markup(text: str, known: Iterable[Markup] = ()) -> tuple[Markup, ...]:
    """The markup items of ``text``: the ``known`` ones (from the reader) and those found in
    the text itself that do not overlap a known one, in order of position."""
    known = tuple(known)
    taken = [(item.start, item.end) for item in known if item.end > item.start]
    found: list[Markup] = []
    for item in _scan(text):
        if any(item.start < end and start < item.end for start, end in taken):
            continue
        taken.append((item.start, item.end))
        found.append(item)
    return tuple(sorted(known + tuple(found), key=lambda item: (item.start, item.end)))


def _scan(text: str) -> list[Markup]:
    """Items found in plain text; code first, then URLs, then placeholders and tags, so
    that a placeholder inside code or a URL is not counted twice."""
    unquoted = _GNU_QUOTATION.sub(" ", text)  # same length: offsets stay valid
    items = [Markup("code", m.group(1), m.start(), m.end()) for m in _CODE.finditer(unquoted)]
    for match in _URL.finditer(text):
        url = trim_url(match.group())
        if url:
            items.append(Markup("url", url, match.start(), match.start() + len(url)))
    for match in _PLACEHOLDER.finditer(text):
        items.append(Markup("placeholder", match.group(), match.start(), match.end()))
    for match in _TAG.finditer(text):
        if not _stand_in(match, text):
            items.append(Markup("html", match.group(), match.start(), match.end()))
    return items


def _stand_in(match: re.Match, text: str) -> bool:
    """Whether a tag found in plain text is a stand-in word of a usage line that happens to
    name an element ("append <mark> on", "older than <time>", "das <table>-Tag"): a bare
    opening tag between spaces (or at an end of the text, or before a hyphen that joins a
    compound) that no closing tag follows; an element
    opens and closes around words it formats."""
    closing, name, empty = match.groups()
    if closing or empty or match.group() != f"<{name}>" or name.lower() in _VOID_ELEMENTS:
        return False
    before = text[match.start() - 1 : match.start()]
    after = text[match.end() : match.end() + 1]
    spaced = before.strip() == "" and (after.strip() == "" or after in ".,;:!?)-")
    return spaced and f"</{name}>".lower() not in text[match.end() :].lower()


def group(item: Markup) -> str:
    """The kind an item is compared within: link, image and URL destinations are all
    addresses (a link may become a bare URL); HTML tags and XLIFF inline codes are tags."""
    if item.kind in ("link", "image", "url"):
        return "address"
    return "tag" if item.kind == "html" else item.kind


def key(item: Markup) -> str:
    """What must be equal for two items to match."""
    if group(item) == "address":
        return address_key(item.value)
    if item.kind == "code":
        return _COMMENT.sub("", " ".join(item.value.split()))
    if item.kind == "html":
        return tag_key(item.value)
    if item.value.startswith("{{"):
        return "".join(item.value.split())
    # A translation may number printf arguments to reorder them: "%2$s von %1$s".
    return _POSITION.sub("%", item.value)


def address_key(url: str) -> str:
    """A URL with its language markers, scheme, ``www.`` and trailing slash taken out."""
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    url = unquote(url.partition("#")[0])  # "M%C3%BCnchen" is "München"
    host, slash, rest = url.partition("/")
    host = host.lower().removeprefix("www.")
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] in _LOCAL_TLDS:
        labels[-1] = "TLD"
    host = _LANGUAGE.sub("LANG", ".".join(labels))
    rest = _LANGUAGE.sub("LANG", rest).rstrip("/")
    return f"{host}{slash}{rest}".rstrip("/")


def tag_key(tag: str) -> str:
    """A tag's name and whether it opens, closes or stands alone (attributes may be
    translated: a title, an alt text)."""
    match = _TAG.fullmatch(tag)
    if match is None:
        return tag
    closing, name, empty = match.groups()
    return f"<{closing}{name.lower()}{empty}>"


def translatable(item: Markup) -> bool:
    """Whether an item may differ in a good translation: code that is a label or prose
    (letters and spaces only, several words or a capitalised word: "Save as",
    "Settings"), not a command or a name (``install``, ``config.yaml``); an angle-bracket
    stand-in that names no HTML element (Markdown reads ``<Dateiname>`` as a tag)."""
    if item.kind == "html":  # "<Dateiname>" is a stand-in, not an element
        match = _TAG.match(item.value)
        return match is None or match.group(2).lower() not in _HTML_ELEMENTS
    if item.kind != "code":
        return False
    value = item.value.strip()
    if not value or not all(char.isalpha() or char == " " for char in value):
        return False
    return " " in value or value[0].isupper()


def localised(english: str, german: str) -> bool:
    """Whether ``german`` is the German edition of the page ``english`` on the same site
    (the path may be translated): the hosts agree but for language markers and the
    top-level domain, and the English URL has an English language marker where the
    German one has a German one, or the German host a German-speaking country's domain
    (``example.com/help`` and ``example.de/hilfe``). A relative path counts when it has
    the language markers (``/en/guide/`` and ``/de/anleitung/``: a site with translated
    page names)."""
    english_marks = {m.group().lower()[:2] for m in _LANGUAGE.finditer(english)}
    german_marks = {m.group().lower()[:2] for m in _LANGUAGE.finditer(german)}
    marked = "en" in english_marks and "de" in german_marks
    absolute = bool(_ABSOLUTE.match(english)) and bool(_ABSOLUTE.match(german))
    if not absolute:
        return marked and not (_ABSOLUTE.match(english) or _ABSOLUTE.match(german))
    if _host(address_key(english)) != _host(address_key(german)):
        return False
    return marked or (_tld(german) in _GERMAN_TLDS and _tld(english) not in _GERMAN_TLDS)


def _host(key: str) -> str:
    return key.partition("/")[0]


def _tld(url: str) -> str:
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0]
    return host.rsplit(".", 1)[-1].lower()
