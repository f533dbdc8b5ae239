"""Language evidence for the words of a German segment: German, shared with English, a name
or code, or English only.

Decided from lexicons rather than from word lists:

- word frequencies in German and in English text (wordfreq, Zipf scale: 3 is once per
  million words). English text turns up inside German corpora too, at roughly a
  hundredth of its English rate (the: 7.7 in English, 5.6 in German), so a frequency alone
  says little; the margin does. A word that English uses at least ~30 times (1.5 Zipf) more
  than German does is English. A capitalised word, as German writes its nouns, must be
  English by a wider margin (2.5): a capitalised English noun is often a loanword that
  wordfreq's corpora see less of than German technical text uses ("Commit", "Issues"), or a
  German genitive that looks like an English plural ("des Dollars").
- HanTa's lexicon: a word it reads as a German function word ("in", "was", "will") is
  German, whatever its English frequency.
- the word's shape and surroundings: mixed case and digits (macOS, GitHub, MP3), code
  (config.yaml, snake_case, paths, URLs, @handles, #tags, version strings, `code`), single
  letters and abbreviations ("a. a. O."), Latin binomials ("Quercus robur"), and a
  capitalised word that the reference also capitalises mid-sentence (a name) are never
  English words.
- the configured allowlist and the glossary's allowed German terms, which count as German.

``word_language`` judges a word on its own (memoised per word); ``SegmentEvidence`` judges
the words of one segment in their context.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from mtcheck.flags.lexicon import ENGLISH_FUNCTION_WORDS
from mtcheck.flags.tagger import get_tagger

if TYPE_CHECKING:
    from mtcheck.flags.glossary import Glossary
    from mtcheck.flags.tokens import Token


class Language(enum.Enum):
    GERMAN = "german"  # a German word, or one the configuration allows
    SHARED = "shared"  # common in German and English text alike: Pollen, Software, Cloud
    NAME = "name"  # a name, product, code, abbreviation, single letter or Latin name
    OTHER = "other"  # known to neither lexicon: a rare word, a name, a typo
    ENGLISH = "english"  # English and not German usage


ENGLISH_MARGIN = 1.5  # Zipf margin English over German for a lower-case word
NOUN_MARGIN = 2.5  # ... for a capitalised word
# wordfreq's German list ends near Zipf 1: a word under 1.5 is (nearly) absent from German
# text, so a smaller margin suffices ("tatty": 1.1 in German, 2.2 in English).
RARE = 1.5
FLOOR_MARGIN = 1.0
KNOWN = 2.0  # an English word needs at least this English frequency
GERMAN_KNOWN = 2.5  # ... and a German word this German frequency, unless English lacks it
_WORD_CACHE_SIZE = 50_000

# HanTa's coarse tags of German function words (articles, prepositions, conjunctions,
# pronouns, particles, auxiliaries, modals and adverbs).
_GERMAN_FUNCTION_TAGS = frozenset(
    "ART APPR APPRART APPO APZR KON KOUS KOUI KOKOM PPER PPOS PDS PDAT PIS PIAT PIDAT PRELS "
    "PRELAT PRF PWS PWAT PWAV PAV PROAV PTKZU PTKNEG PTKVZ PTKANT PTKA VA VM ADV".split()
)
_INNER_CAPITAL = re.compile(r"[a-zäöü][A-ZÄÖÜ]|^[a-z]{1,2}[A-Z]")
# A code-like stretch of text (a whitespace-delimited chunk less the punctuation around it):
# a URL, an e-mail address or @handle, a #tag, or a word joined to the next by ".", "_",
# ":", "/" or "\\" (config.yaml, snake_case, paths, dotted identifiers, version strings).
# Also a command-line option ("-v", "--verbose", "--[no-]progress") and a key=value or
# a|b chunk ("--pretty=short", "install|remove").
# Also an index ("worker[0]"), a backslash command ("\else"), a member access ("tm->when"),
# a substitution ("$(unit)"), a scoped name ("Dir::Bin") and a printf placeholder ("%du").
_CODE_CHUNK = re.compile(
    r"^(?:https?://|www\.)|@\w|^#\w|[\w%][._:\\/|]\w|\w=(?:[^\s,;]|$)|^-{1,2}[A-Za-z\[]"
    r"|\w\[\w|^\\[A-Za-z]|\w->\w|\$\(\w|\w::[\w%]|^%[-+ #0-9.]*[A-Za-z]"
)
# A command-line option right before a word, which is then its value ("-X none"), also as
# an optional part of a synopsis ("[--backup-to dir]").
_OPTION_BEFORE = re.compile(r"(?:^|[\s\[])-{1,2}[A-Za-z][\w-]*[ \t]+\Z")
# A lower-case element name in angle brackets, as written in markup ("<choices>",
# "<table>-Tag"); a German stand-in such as "<Datei>" is capitalised.
_ELEMENT_NAME = re.compile(r"<[a-z][\w-]*>")
# A quoted lower-case identifier, the whole chunk: a value or keyword named as written
# (»none«, "auto", 'ask'), not prose; a quoted English phrase has several words.
# A header or field name with its colon is one too (»From:«).
_QUOTED_IDENTIFIER = re.compile(
    r"^[\"'„“»«‚‘](?:\.?[a-z][\w.-]*|[A-Z][\w-]*:)[\"'“”«»‘’](?:[-=]\w[\w-]*)?$"  # »x«-Wert
)
# A bracketed list of allowed values: "[yes, no, always]", "{on,off}".
_VALUE_LIST = re.compile(r"[\[{]([a-z][\w-]*(?:,[ \t]*[a-z][\w-]*)+)[\]}]")
# A command typed as written: lower-case words at a line or column start, after a prompt,
# an opening quotation mark, a list comma or a colon, that an option, a placeholder or a <stand-in>
# follows ("git commit --amend", "'git bisect %s'", "across -x, long -l", "r, reword
# <Commit>"). Group 1 is the command.
_COMMAND = re.compile(
    r"(?:^|(?<=[\n\"'„“»‚`(,:])|(?<=[ \t]{2}))[ \t]*(?:\$[ \t]+)?"
    r"([a-z][\w.-]*(?:[ \t]+[a-z][\w.-]*)*)[ \t]+\[?(?:--?[A-Za-z\[]|%\w|<\w)"
)
# The term column of a program's help table: a lower-case word at a line start (or a few,
# comma separated) that two or more spaces part from its description ("help    zeigt …").
_HELP_TERM = re.compile(r"(?:^|(?<=\n))[ \t]*([a-z][\w-]*(?:,[ \t]*[a-z][\w-]*)*)[ \t]{2,}\S")
_CHUNK_EDGES = "\"'„“”‚‘’«»›‹()[]{}<>.,;:!?…"
_LATIN_ENDING = re.compile(
    r"(?:us|um|a|ae|is|i|ii|orum|arum|ensis|oides|ens|ans|ax|ex|ix|or|ur|es|ale|are|ense|ile)$"
)
_ABBREVIATION_NEXT = re.compile(r"[^\W\d_]{1,2}\.")
_OPENERS = "\"'„“”‚‘’«»›‹([{–—-*•"
_SENTENCE_END = ".!?:…"
_REFERENCE_WORD = re.compile(r"[A-Za-z][A-Za-z'’&]*(?:-[A-Za-z][A-Za-z'’&]*)*")


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def frequencies(word: str) -> tuple[float, float]:
    """(German, English) Zipf frequency of ``word`` (wordfreq folds case)."""
    return _zipf(word, "de"), _zipf(word, "en")


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def common_frequencies(word: str) -> tuple[float, float]:
    """(German, English) Zipf frequency of ``word`` where it is at least 3 (once per
    million words), else 0: enough for a test against a threshold of 3 or more, and it never
    loads wordfreq's large lists."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "de", wordlist="small"), zipf_frequency(
        word, "en", wordlist="small"
    )


def _zipf(word: str, language: str) -> float:
    """wordfreq's Zipf frequency from its large list, looked up in the small list first.

    The small list holds the same values for the words down to about Zipf 3 and loads in
    milliseconds; the large one takes about half a second per language (most of a short
    check's time), so it is loaded only for a word the small list does not have.
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language, wordlist="small") or zipf_frequency(
        word, language, wordlist="large"
    )


def is_function_word(word: str) -> bool:
    """An English function word that is not German ("the", "with"; "The" too, not "US")."""
    return word.lower() in ENGLISH_FUNCTION_WORDS and (word.islower() or word.istitle())


def looks_like_code_or_product(word: str) -> bool:
    """Digits, underscores, all capitals or an inner capital: MP3, snake_case, GOP, macOS,
    iOS, GitHub, JavaScript. Such a token is a name, product or code, not prose."""
    letters = [c for c in word if c.isalpha()]
    if any(c.isdigit() or c == "_" for c in word):
        return True
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return _INNER_CAPITAL.search(word) is not None


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def word_language(word: str) -> Language:
    """The language of ``word`` as written, on its own (see the module docstring)."""
    if sum(c.isalpha() for c in word) <= 1:
        return Language.NAME  # a letter: "a. a. O.", "Teil I"
    if looks_like_code_or_product(word):
        return Language.NAME
    if is_function_word(word):
        return Language.ENGLISH
    german, english = frequencies(word)
    margin = NOUN_MARGIN if word[:1].isupper() else ENGLISH_MARGIN
    if english >= KNOWN and (
        english - german >= margin or (german < RARE and english - german >= FLOOR_MARGIN)
    ):
        return Language.ENGLISH
    if german - english >= 1.0 or (english < KNOWN and german >= GERMAN_KNOWN):
        return Language.GERMAN
    if english < KNOWN or german < RARE:
        return Language.OTHER  # rare in both: a name, a Latin or a rare word
    if _german_function_word(word):
        return Language.GERMAN
    return Language.SHARED


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _german_function_word(word: str) -> bool:
    """Whether HanTa's lexicon reads ``word`` as a German function word ("in", "was")."""
    readings = get_tagger().lexicon_tags(word) or ()
    return any(tag.split("(")[0] in _GERMAN_FUNCTION_TAGS for tag in readings)


@dataclass(frozen=True)
class ReferenceWords:
    """The words of an English reference: ``folded`` all of them in lower case, ``common``
    those it writes in lower case (or at a sentence start only), lower-cased, and ``names``
    those it capitalises mid-sentence, as written."""

    folded: frozenset[str]
    common: frozenset[str]
    names: frozenset[str]
    exact: frozenset[str]


@lru_cache(maxsize=4096)
def reference_words(reference: str) -> ReferenceWords:
    folded, common, names, exact, initial = set(), set(), set(), set(), set()
    for match in _REFERENCE_WORD.finditer(reference):
        word = match.group()
        starts = sentence_initial(reference, match.start())
        for part in {word, *word.split("-")}:
            exact.add(part)
            folded.add(part.lower())
            if part[:1].islower():
                common.add(part.lower())
            elif starts and part == word:
                initial.add(part)
            else:
                names.add(part)
    # A sentence-initial capital says nothing unless the word is capitalised elsewhere too.
    common.update(word.lower() for word in initial if word not in names)
    return ReferenceWords(frozenset(folded), frozenset(common), frozenset(names), frozenset(exact))


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (or the text, a quotation, a list item
    after a colon)."""
    position = start - 1
    while position >= 0 and (text[position].isspace() or text[position] in _OPENERS):
        position -= 1
    return position < 0 or text[position] in _SENTENCE_END


class AllowedTerms:
    """Words and phrases the configuration allows in German text: the ``allowed-english``
    list and the glossary's allowed (preferred or admitted) German terms. Matched whole,
    case-insensitively, the last word also with a plural -s."""

    def __init__(self, terms: frozenset[str]) -> None:
        single, phrases = set(), []
        for term in terms:
            words = term.split()
            if len(words) == 1:
                single.add(term.casefold())
            elif words:
                phrases.append(r"\s+".join(map(re.escape, words)))
        self.words = frozenset(single)
        self.phrases = (
            re.compile(
                rf"(?<!\w)(?:{'|'.join(sorted(phrases, key=len, reverse=True))})s?(?!\w)", re.I
            )
            if phrases
            else None
        )

    def allows_word(self, word: str) -> bool:
        folded = word.casefold()
        return folded in self.words or (folded.endswith("s") and folded[:-1] in self.words)

    def phrase_spans(self, text: str) -> tuple[tuple[int, int], ...]:
        if self.phrases is None:
            return ()
        return tuple(match.span() for match in self.phrases.finditer(text))


@lru_cache(maxsize=16)
def allowed_terms(words: frozenset[str], glossary: Glossary | None) -> AllowedTerms:
    """The ``AllowedTerms`` of an allowlist and a glossary (memoised per configuration)."""
    terms = set(words)
    if glossary is not None:
        for entry in glossary.entries:
            terms.update(entry.german)
    return AllowedTerms(frozenset(terms))


_NO_TERMS = AllowedTerms(frozenset())


class SegmentEvidence:
    """The language of each word of one German segment, in its context."""

    def __init__(
        self,
        text: str,
        tokens: tuple[Token, ...],
        reference: str | None,
        allowed: AllowedTerms | None = None,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.reference_text = reference or ""
        self.reference = reference_words(self.reference_text)
        self.has_reference = bool(reference and reference.strip())
        self.allowed = allowed or _NO_TERMS
        self._languages: dict[int, Language] = {}

    @cached_property
    def _phrase_spans(self) -> tuple[tuple[int, int], ...]:
        return self.allowed.phrase_spans(self.text)

    def is_allowed(self, index: int) -> bool:
        token = self.tokens[index]
        return self.allowed.allows_word(token.text) or _inside(token, self._phrase_spans)

    def is_code(self, index: int) -> bool:
        """Inside inline code (`...`) or part of a code-like chunk (see ``_CODE_CHUNK``)."""
        token, text = self.tokens[index], self.text
        if text.count("`", 0, token.start) % 2:
            return True
        raw = _chunk(text, token.start, token.end).strip(".,;:!?()")
        if _QUOTED_IDENTIFIER.match(raw) or _ELEMENT_NAME.search(raw):
            return True
        if _OPTION_BEFORE.search(text, 0, token.start):
            return True  # an option's value: "-X none", "--sort name"
        return in_code_chunk(text, token.start, token.end) or _inside(token, self._command_spans)

    @cached_property
    def _command_spans(self) -> tuple[tuple[int, int], ...]:
        """Typed commands, help-table terms and value lists of the text (see ``_COMMAND``)."""
        return tuple(
            match.span(1)
            for pattern in (_COMMAND, _HELP_TERM, _VALUE_LIST)
            for match in pattern.finditer(self.text)
        )

    def is_sentence_initial(self, index: int) -> bool:
        return sentence_initial(self.text, self.tokens[index].start)

    def language(self, index: int) -> Language:
        """The language of token ``index`` in its context."""
        known = self._languages.get(index)
        if known is None:
            known = self._languages[index] = self._judge(index)
        return known

    def _judge(self, index: int) -> Language:
        word = self.tokens[index].text
        if self.is_allowed(index):
            return Language.GERMAN
        if (
            self.is_code(index)
            or self._abbreviation(index)
            or in_latin_binomial(self.tokens, index)
        ):
            return Language.NAME
        if self._named_by_reference(index):
            return Language.NAME
        return word_language(word)

    def _abbreviation(self, index: int) -> bool:
        """A short word with a full stop that the text continues after in lower case or
        with another abbreviation: "a. a. O.", "Abb. 3", "vgl. a. a. O."."""
        token = self.tokens[index]
        if len(token.text) > 4 or self.text[token.end : token.end + 1] != ".":
            return False
        rest = self.text[token.end + 1 :].lstrip()
        return (
            rest[:1].islower() or rest[:1].isdigit() or _ABBREVIATION_NEXT.match(rest) is not None
        )

    def _named_by_reference(self, index: int) -> bool:
        """A capitalised word, not at a sentence start, that the reference also capitalises
        mid-sentence: a name ("Linux", "The Information", "Republicans")."""
        word = self.tokens[index].text
        return (
            word[:1].isupper()
            and word in self.reference.names
            and not self.is_sentence_initial(index)
        )


def in_latin_binomial(tokens: tuple[Token, ...], index: int) -> bool:
    """Whether token ``index`` is the genus (or its initial) or the epithet of a Latin
    binomial: a capitalised genus and a lower-case epithet with a Latin ending that is a
    rare word ("Quercus robur", "Homo sapiens", "E. coli")."""
    for epithet in (index, index + 1, index + 2):
        if epithet >= len(tokens):
            break
        genus = _genus_before(tokens, epithet) if epithet >= 1 else None
        if genus is None or index not in (genus, epithet):
            continue
        # After a full genus the epithet must be no common English word ("Big data");
        # after an initial ("E. coli") the pattern itself is evidence enough.
        if _is_epithet(tokens[epithet], genus == epithet - 1):
            return True
    return False


def _genus_before(tokens: tuple[Token, ...], index: int) -> int | None:
    """The index of a genus name (or initial) right before token ``index``, if any."""
    before = tokens[index - 1]
    if (
        before.kind == "word"
        and before.text.isalpha()
        and before.text.istitle()
        and not is_function_word(before.text)
    ):
        return index - 1 if len(before.text) >= 2 else None
    if before.text == "." and index >= 2:
        initial = tokens[index - 2]
        if initial.kind == "word" and len(initial.text) == 1 and initial.text.isupper():
            return index - 2
    return None


def _is_epithet(token: Token, check_english: bool) -> bool:
    word = token.text
    if token.kind != "word" or not word.isalpha() or not word.islower() or len(word) < 3:
        return False
    if _LATIN_ENDING.search(word) is None or is_function_word(word):
        return False
    german, english = common_frequencies(word)
    # Epithets are rare words in German text too; a common English word ("data", "area")
    # is none after a full genus name.
    return german < 3.5 and (not check_english or english < 3.0)


def in_code_chunk(text: str, start: int, end: int, *, number: bool = False) -> bool:
    """Whether ``text[start:end]`` lies in a code-like whitespace-delimited chunk (see
    ``_CODE_CHUNK``): "config.yaml", "--verbose". For a ``number``, the chunk is judged
    with the number read as one digit, so that its own separators ("52.000") make no
    code but what stands around it does ("CPUQuota=20%", "10%/1min")."""
    if number:
        text = f"{text[:start]}0{text[end:]}"
        end = start + 1
    chunk = _chunk(text, start, end).strip(_CHUNK_EDGES)
    return _CODE_CHUNK.search(chunk) is not None


def _chunk(text: str, start: int, end: int) -> str:
    """The whitespace-delimited stretch of ``text`` around ``text[start:end]``."""
    first = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    last = min(_find(text, " ", end), _find(text, "\n", end))
    return text[first:last]


def _find(text: str, char: str, start: int) -> int:
    position = text.find(char, start)
    return len(text) if position < 0 else position


def _inside(token: Token, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(start <= token.start and token.end <= end for start, end in spans)
