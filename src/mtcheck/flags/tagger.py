"""STTS part-of-speech tags from HanTa, loaded lazily once and memoised.

HanTa's Viterbi tagger spends most of its time analysing the morphology of each word
(``_tag_word``). That analysis depends only on the word and its casing, so it is memoised
per word; whole sentences are memoised too. Lemmas are never computed (the rules do not
need them), which halves HanTa's cost again.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache

_PUNCT_TAGS = {
    ",": "$,",
    ".": "$.",
    "!": "$.",
    "?": "$.",
    "…": "$.",
    "...": "$.",
    ";": "$.",
    ":": "$.",
    "(": "$(",
    ")": "$(",
    "[": "$(",
    "]": "$(",
    '"': "$(",
    "'": "$(",
    "-": "$(",
    "/": "$(",
}
_NORMALISE = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "„": '"',
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
        "\u00a0": "",
        "\u202f": "",
    }
)
# Tags that mark a word as foreign or a name rather than a German word.
_NOT_GERMAN_TAGS = frozenset({"FM", "NE", "XY", "UNKNOWN", "END_UNKNOWN", "EMPTY", "END"})

_FUSED_ZU = frozenset({"zum", "zur"})
_NUMBER_RE = re.compile(r"\d+(?:[.,:]\d+)*")
# Bounds of the memo caches. They are what an audit's memory grows with until they are full,
# so they are kept small enough to be full early (an audit of 20,000 segments fills the
# sentence cache): repeated sentences come close together (a TM, a system's boilerplate),
# and 50,000 words cover nearly every word of a German corpus by frequency.
_SENTENCE_CACHE_SIZE = 8_192
_WORD_CACHE_SIZE = 50_000
# The longest sentence tagged, in words. HanTa's Viterbi search drops every path whose
# log-probability sinks below -1e6; over some ten thousand words (30,000 brackets, a run of
# unknown symbols) none is left and it fails with a KeyError. A "sentence" of over a
# thousand words is a flattened table or list, or a run of symbols, where word classes say
# nothing anyway, and tagging it would cost seconds.
MAX_TAGGED_WORDS = 1_000
# The tag of every word of a sentence that is not tagged: no rule reads it as a word class,
# so the rules that need word classes find nothing there and the others run as ever.
UNTAGGED = "UNKNOWN"


class Tagger:
    """A HanTa ``HanoverTagger`` for German with memoisation. Thread-safe."""

    def __init__(self) -> None:
        self._hanta = None
        self._analyse = None  # HanTa's word analysis, memoised; set with the model
        self._lock = threading.Lock()
        self._sentences: dict[tuple[str, ...], tuple[str, ...]] = {}
        # Sentences left untagged (too long, or HanTa failed on them), for a note to the user.
        self.untagged = 0

    def _model(self):
        if self._hanta is None:
            with self._lock:
                if self._hanta is None:
                    from HanTa.HanoverTagger import HanoverTagger

                    hanta = HanoverTagger("morphmodel_ger.pgz")
                    analyse = lru_cache(maxsize=_WORD_CACHE_SIZE)(_compound_aware(hanta))

                    def tag_word(word, cutoff=5, casesensitive=True, conditional=False):
                        return analyse(word, cutoff, casesensitive, conditional)

                    # The Viterbi search calls self._tag_word for every word of a sentence.
                    hanta._tag_word = tag_word
                    self._analyse = analyse
                    self._hanta = hanta
        return self._hanta

    def load(self) -> None:
        """Load HanTa's model now rather than on first use (so that it can be timed apart)."""
        self._model()

    def clear_caches(self) -> None:
        """Forget every memoised sentence and word of every tagger, as if none had been
        tagged yet; HanTa's model and lexicon stay loaded. For benchmarks of a cold start."""
        with self._lock:
            self._sentences.clear()
            if self._analyse is not None:
                self._analyse.cache_clear()
        for memo in _WORD_MEMOS:
            memo.cache_clear()

    def tag(self, words: Sequence[str]) -> tuple[str, ...]:
        """STTS tags (HanTa's fine tags, e.g. ``VM(FIN)``) for one sentence's words."""
        key = tuple(words)
        cached = self._sentences.get(key)
        if cached is not None:
            return cached
        if not key:
            return ()
        normalised = [_normalise(word) for word in key]
        tags = self._hanta_tags(normalised)
        # HanTa tags some punctuation oddly ("–" as FM); symbols such as "%" keep its tag.
        tags = tuple(_PUNCT_TAGS.get(word, tag) for word, tag in zip(normalised, tags, strict=True))
        # HanTa reads "zum"/"zur" before a nominalised verb as the infinitive particle
        # ("zum Überprüfen"); they are a preposition fused with an article.
        tags = tuple(
            "APPRART" if tag == "PTKZU" and word.lower() in _FUSED_ZU else tag
            for word, tag in zip(normalised, tags, strict=True)
        )
        if len(self._sentences) >= _SENTENCE_CACHE_SIZE:
            self._sentences.clear()
        self._sentences[key] = tags
        return tags

    def _hanta_tags(self, words: list[str]) -> tuple[str, ...]:
        """HanTa's tags, or UNTAGGED for each word (punctuation keeps its tag) where the
        sentence is too long for HanTa or HanTa fails on it."""
        if len(words) <= MAX_TAGGED_WORDS:
            try:
                return tuple(self._model().tag_sent(words, taglevel=0))
            except (KeyError, IndexError, ValueError, OverflowError):
                pass  # odd input HanTa's search cannot handle: untagged, as below
        self.untagged += 1
        return tuple(UNTAGGED for _ in words)

    def may_be_participle(self, word: str) -> bool:
        """Whether HanTa's lexicon has a past-participle reading of ``word`` (which the
        tagger may still have read as a finite verb or an adjective: "bewegt", "gefragt")
        and no infinitive reading ("bekommen", "klingen")."""
        return _may_be_participle(self, word.lower())

    def may_be_infinitive(self, word: str) -> bool:
        """Whether ``word`` can be an infinitive: HanTa's lexicon has an infinitive reading
        of it ("erhalten", "entfernen", which the tagger may still read as participles), or,
        for a word the lexicon lacks, HanTa's morphological analysis offers one and the word
        ends in -n as every infinitive does ("ratifizieren")."""
        return _may_be_infinitive(self, word.lower())

    def infinitive(self, participle: str) -> str | None:
        """The infinitive of a past participle from HanTa's morphology ("begonnen" ->
        "beginnen", "vorgestellt" -> "vorstellen"), or None when the analysis does not
        give a form that can be an infinitive."""
        return _infinitive(self, participle.lower())

    def lemma(self, word: str, tag: str) -> str:
        """HanTa's lemma of ``word`` read as ``tag`` ("bat", "VV(FIN)" -> "bitten")."""
        return _lemma(self, word, tag)

    def may_be_attributive(self, word: str) -> bool:
        """Whether HanTa's lexicon has an attributive-adjective reading of ``word``, as an
        inflected participle has ("unterstützte" in "von Moskau unterstützte Truppen")."""
        readings = _readings(self, word.lower())
        if readings is None:
            return _inflected_participle(self, word.lower())
        return "ADJ(A)" in readings

    def may_be_pronoun(self, word: str) -> bool:
        """Whether HanTa's lexicon has a reading of ``word`` as a pronoun that stands alone
        (demonstrative or indefinite: "das", "dem", "einem")."""
        return _may_be_pronoun(self, word.lower())

    def lexicon_tags(self, word: str) -> frozenset[str] | None:
        """The STTS tags HanTa's lexicon lists for ``word`` in lower case (every reading it
        knows, whatever the context), or None for a word the lexicon lacks."""
        return _readings(self, word.lower())

    def best_guess(self, word: str) -> str | None:
        """For a word the lexicon lacks: HanTa's most likely tag from its morphology."""
        return _best_guess(self, word.lower())

    def analyse(self, word: str):
        """HanTa's morphological analysis of ``word`` (lemma, morphemes, tag)."""
        return self._model().analyze(word, taglevel=3)

    def is_german_word(self, word: str) -> bool:
        """Whether HanTa reads ``word`` as a German word rather than a foreign word or name."""
        return _is_german_word(self, word.lower())


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _is_german_word(tagger: Tagger, word: str) -> bool:
    readings = _readings(tagger, word)
    if readings is not None:
        return any(tag.split("(")[0] not in _NOT_GERMAN_TAGS for tag in readings)
    best = _best_guess(tagger, word)
    return best is not None and best.split("(")[0] not in _NOT_GERMAN_TAGS


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _may_be_participle(tagger: Tagger, word: str) -> bool:
    readings = _readings(tagger, word) or frozenset()
    return any(tag.endswith("(PP)") for tag in readings) and not any(
        tag.endswith("(INF)") for tag in readings
    )


# The endings of an attributive adjective: "komprimiert-e", "installiert-en".
_ADJECTIVE_ENDING = re.compile(r"(?:e|en|em|er|es)$")


def _inflected_participle(tagger: Tagger, word: str) -> bool:
    """For a word HanTa's lexicon lacks: whether it is a participle with an adjective
    ending ("komprimierte", "installierten"), the stem a participle the lexicon knows or one
    of a verb in -ieren, which German forms freely from loans."""
    stem = _ADJECTIVE_ENDING.sub("", word)
    if stem == word or len(stem) < 5:
        return False
    return stem.endswith("iert") or _may_be_participle(tagger, stem)


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _readings(tagger: Tagger, word: str) -> frozenset[str] | None:
    """The tags HanTa's lexicon lists for ``word``; None for a word it lacks."""
    hanta = tagger._model()
    analyses = hanta.cache.get(word)
    if analyses is None:
        return None
    # A tag missing from int2tag reads as "UNKNOWN", which no rule takes for a word class.
    return frozenset(hanta.int2tag.get(tag, "UNKNOWN") for tag, _ in analyses)


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _best_guess(tagger: Tagger, word: str) -> str | None:
    """HanTa's most likely tag for ``word`` from its morphology alone, case ignored."""
    best = tagger._model().tag_word(word, cutoff=0, casesensitive=False)
    return best[0][0] if best else None


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _may_be_infinitive(tagger: Tagger, word: str) -> bool:
    readings = _readings(tagger, word)
    if readings is None:
        if not word.endswith("n"):
            return False
        readings = {tag for tag, _ in tagger._model().tag_word(word, casesensitive=False)}
    return any(tag.endswith("(INF)") for tag in readings)


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _infinitive(tagger: Tagger, participle: str) -> str | None:
    lemma, _ = tagger._model().analyze(participle, "VV(PP)")
    lemma = lemma.lower()
    if lemma == participle or not lemma.isalpha() or not _may_be_infinitive(tagger, lemma):
        return None
    if _readings(tagger, lemma) is None and participle.startswith("ge") and lemma[:2] == "ge":
        return None  # an unknown "ge-" lemma is the participle mis-analysed ("geupgraden")
    return lemma


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _lemma(tagger: Tagger, word: str, tag: str) -> str:
    return tagger._model().analyze(_normalise(word), tag)[0]


_PRONOUN_TAGS = frozenset({"PDS", "PIS"})


@lru_cache(maxsize=1_000)
def _may_be_pronoun(tagger: Tagger, word: str) -> bool:
    return bool((_readings(tagger, word) or set()) & _PRONOUN_TAGS)


# The module's memos of word readings (shared by every Tagger, keyed by it).
_WORD_MEMOS = (
    _is_german_word,
    _may_be_participle,
    _readings,
    _best_guess,
    _may_be_infinitive,
    _infinitive,
    _lemma,
    _may_be_pronoun,
)


def _compound_aware(hanta):
    """HanTa's word analysis, with shortcuts for the words that are slow and unambiguous.

    Analysing a word outside HanTa's lexicon costs milliseconds. Inside a sentence:

    - a number is analysed as a known number ("42");
    - a capitalised compound takes its part of speech from its last part, as German
      compounds do: "KI-Modelle" is analysed as "Modelle", "KI-gestützte" as "gestützte",
      "Turbinenherstellern" as "Herstellern" (the longest tail of at least six letters that
      the lexicon knows as a noun);
    - any other unknown capitalised word is a noun or a name, analysed as a known name.

    Lower-case unknown words (verbs, adjectives) and sentence-initial words get HanTa's
    full analysis.
    """
    analyse = hanta._tag_word
    lexicon = hanta.cache
    noun = hanta.tag2int["NN"]

    def known_noun_tail(lowered: str) -> str | None:
        for start in range(3, len(lowered) - 5):
            tail = lowered[start:]
            if tail in lexicon and any(tag == noun for tag, _ in lexicon[tail]):
                return tail
        return None

    def tag_word(word, cutoff=5, casesensitive=True, conditional=False):
        lowered = word.lower()
        if casesensitive and lowered not in lexicon:
            if _NUMBER_RE.fullmatch(word):
                return analyse("42", cutoff, casesensitive, conditional)
            if "-" in word.strip("-"):
                # "KI-Modelle" like "Modelle", "KI-gestützte" like "gestützte"
                return tag_word(
                    word.strip("-").rsplit("-", 1)[-1], cutoff, casesensitive, conditional
                )
            if word[:1].isupper() and lowered.isalpha():
                tail = known_noun_tail(lowered) if len(lowered) >= 9 else None
                if tail is not None:
                    return analyse(tail.capitalize(), cutoff, casesensitive, conditional)
                return analyse("Schmidt", cutoff, casesensitive, conditional)
        return analyse(word, cutoff, casesensitive, conditional)

    return tag_word


def _normalise(word: str) -> str:
    word = word.translate(_NORMALISE) or "-"
    if " " in word:  # "z. B."
        word = word.replace(" ", "")
    return word


def untagged_note() -> str | None:
    """A note for the user when sentences were left untagged since the last call, else
    None (the count starts again, so that each run notes its own)."""
    tagger = get_tagger()
    count, tagger.untagged = tagger.untagged, 0
    if not count:
        return None
    what = "sentence was" if count == 1 else "sentences were"
    return (
        f"{count} {what} too long (over {MAX_TAGGED_WORDS:,} words) or too odd for the "
        "tagger, and checked only with the rules that need no word classes."
    )


@lru_cache(maxsize=1)
def get_tagger() -> Tagger:
    """The process-wide tagger (the model loads on first use)."""
    return Tagger()
