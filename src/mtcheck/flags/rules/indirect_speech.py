"""indirect-speech: an indicative verb in reported speech, where German writes Konjunktiv I."""

from __future__ import annotations

from collections.abc import Sequence

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.reported import may_report, reported_verbs, reports_in_subjunctive
from mtcheck.flags.text import SegmentText


@rule("indirect-speech", "Fluency/Grammar", "minor", scope="document", fix="unsafe")
def check(segments: Sequence[SegmentText], contexts: Sequence[Context]):
    """An indicative verb in reported speech ("Er sagte, er ist krank"): German reports in
    Konjunktiv I ("er sei krank").

    German written reporting (news, minutes, reports) sets what someone said, without
    quotation marks, in the subjunctive: Konjunktiv I ("sei", "habe", "werde", "könne",
    "nutze"), or Konjunktiv II where Konjunktiv I looks like the indicative ("sie haben" →
    "sie hätten"). The indicative there reads as the writer's own claim. Reported speech
    is what follows a verb of saying in the third person ("sagte", "erklärte", "fügte
    hinzu", "teilte mit") and a comma, what precedes a trailing "…, sagte sie" or
    "…, so die Polizei", and a clause whose source is named with "laut …", "… zufolge"
    or "nach Angaben …". Quoted words (direct speech) and what follows a colon keep
    the indicative; so does a speaker in the first or second person ("Ich sage, das ist
    gut"). A "dass" clause counts only after a verb of saying in the past ("sagte,
    dass …", not "Die Theorie sagt, dass …") and only in a document that reports in
    Konjunktiv I elsewhere ("sei", "könne"): usage admits the indicative after "dass",
    so only a document that follows the written norm breaks it there. Clauses embedded
    in the report (after "nachdem", "der", "wie" …) are the speaker's background and are
    left alone.

    Fires on a finite verb whose Konjunktiv I differs from the indicative: the third
    person singular present ("ist", "hat", "wird", "kann", "nutzt"), "sind", the plural
    auxiliaries and modals ("haben", "werden", "können": Konjunktiv II), and the past of
    "sein", "haben" and "werden" (which reported speech puts in the perfect subjunctive,
    "sei … gewesen": no fix is offered there). The span is the verb; the suggestion is
    its subjunctive form.

    Bad:  "Die Polizei sagte, der Verdächtige ist festgenommen worden."
    Bad:  "Er sagte, er sei müde. Er fügte hinzu, dass der Krieg noch lange dauern wird."
    Good: "Er fügte hinzu, dass der Krieg noch lange dauern wird."
    Bad:  "Die Ministerin erklärte, die Regierung nutzt das Hotel seit Jahren."
    Bad:  "Die Beamten sind weiterhin vor Ort, so die Polizei."
    Good: "Die Polizei sagte, der Verdächtige sei festgenommen worden."
    Good: "Er fügte hinzu, dass der Krieg noch lange dauern werde."
    Good: "Sie sagte: „Das ist ein großer Erfolg.“"
    Good: "Ich sage, das ist ein großer Erfolg."
    Good: "Er weiß, dass sie morgen kommt."
    Good: "Die Polizei bestätigte den Tod eines Mannes, der in Berlin lebt."
    Bad:  "Laut lokalen Medien nutzt das Ministerium das Hotel seit Jahren."
    Good: "Laut lokalen Medien nutze das Ministerium das Hotel seit Jahren."
    Good: "Die Theorie sagt uns, dass es neue Möglichkeiten gibt."
    """
    # The document, not the sentence, shows whether the text follows the reporting norm.
    with_dass = any(reports_in_subjunctive(segment.tokens) for segment in segments)
    for index, segment in enumerate(segments):
        for tokens, tags in segment.tagged_sentences(may_report):
            for verb in reported_verbs(segment.text, tokens, tags, with_dass=with_dass):
                message = _message(verb.subjunctive, verb.word)
                yield index, Finding(verb.start, verb.end, message, verb.subjunctive)


def _message(subjunctive: str | None, word: str) -> str:
    if subjunctive is None:
        return (
            f"Reported speech: German reports the past in the perfect subjunctive "
            f"(“{word}” → “sei/habe … ”), not in the indicative."
        )
    return (
        f"Reported speech: German reports in the subjunctive (Konjunktiv I), "
        f"“{subjunctive}” rather than the indicative “{word}”."
    )
