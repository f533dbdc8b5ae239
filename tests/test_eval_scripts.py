"""The pure logic of scripts/eval_flags.py and scripts/perturb.py, on small inline examples.

No MQM data and no tagger: tags are written by hand.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from mtcheck.flags.tokens import tokenize
from mtcheck.model import Flag

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

mqm = importlib.import_module("_mqm")
eval_flags = importlib.import_module("eval_flags")
perturb = importlib.import_module("perturb")

HEADER = list(mqm.COLUMNS)


def row(system, doc, doc_id, target, category="No-error", severity="No-error", seg_id=None):
    return [
        system,
        doc,
        str(doc_id),
        str(seg_id if seg_id is not None else doc_id),
        "rater1",
        "An English sentence.",
        target,
        category,
        severity,
        "",
    ]


def words(text: str, tags: str):
    """Word records for ``text`` with the space-separated ``tags``, one per token."""
    tokens = tokenize(text)
    tags = tags.split()
    assert len(tokens) == len(tags), [t.text for t in tokens]
    return [perturb.Word(t.text, t.start, t.end, tag) for t, tag in zip(tokens, tags, strict=True)]


def flag(rule, start, end, severity="major"):
    return Flag(rule, "Fluency/Grammar", severity, "m", None, (start, end))


# --- span parsing and overlap --------------------------------------------------------------


def test_parse_marked_gives_plain_text_and_offsets():
    plain, spans = mqm.parse_marked("Ich <v>habe</v> das <v>gemacht</v>.")
    assert plain == "Ich habe das gemacht."
    assert [plain[s:e] for s, e in spans] == ["habe", "gemacht"]


def test_parse_marked_empty_marker_is_zero_width():
    plain, spans = mqm.parse_marked("Er kommt<v></v> morgen.")
    assert plain == "Er kommt morgen."
    assert spans == [(8, 8)]


@pytest.mark.parametrize("text", ["a <v>b", "a </v>b", "<v>a <v>b</v></v>"])
def test_parse_marked_rejects_unbalanced_markers(text):
    with pytest.raises(mqm.DataError):
        mqm.parse_marked(text)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 5), (4, 8), True),
        ((0, 5), (5, 8), False),  # touching half-open ranges share no character
        ((3, 4), (0, 10), True),
        ((0, 3), (7, 9), False),
        ((5, 5), (2, 5), True),  # omission marker at the end of a flag
        ((5, 5), (5, 9), True),
        ((5, 5), (6, 9), False),
        ((4, 4), (4, 4), True),
        ((4, 4), (5, 5), False),
    ],
)
def test_overlaps(a, b, expected):
    assert mqm.overlaps(a, b) is expected
    assert mqm.overlaps(b, a) is expected


# --- MQM rows to segments ------------------------------------------------------------------


def test_parse_rows_groups_errors_and_marks_clean_segments():
    rows = [
        row("A", "talk.1", 1, "Er <v>hat</v> das gemacht.", "Fluency/Grammar", "Minor"),
        row("A", "talk.1", 1, "Er hat das <v>gemacht</v>.", "Style/Awkward", "Major"),
        row("A", "talk.1", 2, "Alles gut."),
        row("B", "talk.1", 1, "Er machte das."),
    ]
    segments, count = mqm.parse_rows(rows)
    assert count == 4
    assert [s.key for s in segments] == [
        ("A", "talk.1", "1"),
        ("A", "talk.1", "2"),
        ("B", "talk.1", "1"),
    ]
    first = segments[0]
    assert first.target == "Er hat das gemacht."
    assert not first.clean and first.rows == 2
    assert first.spans("Fluency/Grammar") == [(3, 6)]
    assert sorted(first.spans()) == [(3, 6), (11, 18)]
    assert segments[1].clean and segments[2].clean


def test_parse_rows_keeps_error_without_span_as_unspanned():
    segments, _ = mqm.parse_rows([row("A", "t", 1, "Kein Span.", "Accuracy/Omission", "Minor")])
    assert not segments[0].clean
    assert segments[0].spans() == []


def test_parse_rows_rejects_changed_target_and_short_rows():
    with pytest.raises(mqm.DataError, match="two different targets"):
        mqm.parse_rows([row("A", "t", 1, "Eins."), row("A", "t", 1, "Zwei.")])
    with pytest.raises(mqm.DataError, match="fields"):
        mqm.parse_rows([["A", "t", "1"]])


def _write_tsv(path: Path, rows):
    path.write_text(
        "\n".join("\t".join(r) for r in [HEADER, *rows]) + "\n",
        encoding="utf-8",
    )


def test_load_mqm_reads_a_small_file_and_checks_known_counts(tmp_path):
    rows = [
        row("A", "t", 2, 'Er sagt "ja".'),
        row("A", "t", 1, "Er <v>kommt</v>.", "Other", "Minor"),
    ]
    small = tmp_path / "small.tsv"
    _write_tsv(small, rows)
    segments = mqm.load_mqm(small)
    assert [s.target for s in segments] == ['Er sagt "ja".', "Er kommt."]  # quotes kept as is
    assert [[s.doc_id for s in d] for d in mqm.documents(segments)] == [[1, 2]]

    known = tmp_path / mqm.TSV_NAME
    _write_tsv(known, rows)
    with pytest.raises(mqm.DataError, match="expected 3882"):
        mqm.load_mqm(tmp_path)


def test_load_mqm_names_the_missing_path(tmp_path):
    with pytest.raises(mqm.DataError, match="--data"):
        mqm.load_mqm(tmp_path / "nowhere")


def test_format_table_aligns_columns():
    text = mqm.format_table(("rule", "n"), [("a", 1), ("long-name", 100)])
    lines = text.splitlines()
    assert lines[0] == "rule         n"
    assert lines[2] == "a            1"
    assert lines[3] == "long-name  100"


# --- eval_flags scoring --------------------------------------------------------------------


def test_evaluate_counts_precision_recall_and_clean_rate():
    segments, _ = mqm.parse_rows(
        [
            row("A", "t", 1, "Er <v>hat</v> gemacht, weil.", "Fluency/Grammar", "Major"),
            row("A", "t", 1, "Er hat gemacht<v>,</v> weil.", "Fluency/Punctuation", "Minor"),
            row("A", "t", 2, "Sauber und gut."),
            row("A", "t", 3, "Auch sauber."),
        ]
    )
    flags = {
        segments[0].key: (flag("r1", 0, 6), flag("r2", 20, 25, "minor")),  # on grammar; off
        segments[1].key: (flag("r2", 0, 6, "minor"),),  # on a clean segment
    }
    result = eval_flags.evaluate(segments, flags, ["r1", "r2"])
    per_rule, per_severity = result.per_rule, result.per_severity
    overall, totals = result.overall, result.totals
    assert (totals.segments, totals.clean, totals.documents, totals.raters) == (3, 2, 1, 1)
    assert totals.spans == {"Fluency/Grammar": 1, "Fluency/Punctuation": 1}
    assert (totals.fluency, totals.fluency_plain) == (2, 2)
    r1, r2 = per_rule["r1"], per_rule["r2"]
    assert (r1.flags, r1.on_span, r1.hits["Fluency/Grammar"]) == (1, 1, 1)
    assert r1.hits["Fluency/Punctuation"] == 0 and r1.clean_flagged == 0
    assert (r2.flags, r2.on_span, r2.clean_flagged, r2.segments_flagged) == (2, 0, 1, 2)
    assert (per_severity["minor"].flags, per_severity["major"].flags) == (2, 1)
    assert (overall.flags, overall.on_span, overall.clean_flagged) == (3, 1, 1)
    assert overall.hits == {"Fluency/Grammar": 1}
    table = eval_flags.rule_table(result)
    assert "Fluency recall (/2)" in table and "No-error flagged (/2)" in table
    assert "1 50.0%" in table


# --- participles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lemma", "first"),
    [
        ("machen", "gemacht"),
        ("arbeiten", "gearbeitet"),
        ("öffnen", "geöffnet"),
        ("ändern", "geändert"),
        ("verkaufen", "verkauft"),
        ("studieren", "studiert"),
        ("ausprobieren", "ausprobiert"),
        ("aufbauen", "aufgebaut"),
        ("vorbereiten", "vorbereitet"),
        ("zusammenarbeiten", "zusammengearbeitet"),
    ],
)
def test_regular_participles_best_guess_first(lemma, first):
    assert perturb.regular_participles(lemma)[0] == first


def test_regular_participles_over_generate_for_either_prefix():
    assert "durchgeführt" in perturb.regular_participles("durchführen")
    assert perturb.regular_participles("tun") == []
    assert perturb.regular_participles("Haus") == []


@pytest.mark.parametrize(
    ("form", "lemma", "expected"),
    [
        ("gewundert", "wundern", True),
        ("wundert", "wundern", False),  # a finite verb mistagged as participle
        ("verkauft", "verkaufen", True),
        ("aufgebaut", "aufbauen", True),
        ("studiert", "studieren", True),
        ("durchführt", "durchführen", False),
        ("überzeugt", "überzeugen", True),  # the lexicon below prefers it as a participle
    ],
)
def test_plausible_participle(form, lemma, expected):
    assert perturb.plausible_participle(form, lemma, lambda f: f == "überzeugt") is expected


def test_participles_prefer_seen_forms_then_known_regular_ones():
    participles = perturb.Participles(known=lambda form, lemma: form == "gemacht")
    participles.observe("sehen", "gesehen")
    participles.observe("sehen", "Gesehen")
    participles.observe("wundern", "wundert")  # implausible: ignored
    assert participles("sehen") == "gesehen"
    assert participles("machen") == "gemacht"
    assert participles("sagen") is None  # "gesagt" not confirmed by the lexicon
    assert participles("wundern") is None


# --- corruption generators -----------------------------------------------------------------


def test_verb_second_moves_final_verb_after_subject():
    text = "Er sagt, dass er morgen nach Hause kommt."
    tagged = words(text, "PPER VV(FIN) $, KOUS PPER ADV APPR NN VV(FIN) $.")
    [corruption] = perturb.verb_second(text, tagged)
    assert corruption.corrupted == "Er sagt, dass er kommt morgen nach Hause."
    start, end = corruption.place
    assert corruption.corrupted[start:end] == "kommt morgen nach Hause"


def test_verb_second_with_noun_phrase_subject_and_verb_cluster():
    text = "Ich glaube, dass die neue Firma das gebaut hat, sagte sie."
    tags = "PPER VV(FIN) $, KOUS ART ADJA NN PDS VV(PP) VA(FIN) $, VV(FIN) PPER $."
    [corruption] = perturb.verb_second(text, words(text, tags))
    assert corruption.corrupted == "Ich glaube, dass die neue Firma hat das gebaut, sagte sie."


def test_verb_second_needs_something_to_jump_over():
    text = "Er sagt, dass er kommt."
    assert perturb.verb_second(text, words(text, "PPER VV(FIN) $, KOUS PPER VV(FIN) $.")) == []
    text = "Er fragt, ob das stimmt."  # no finite verb at the end of the clause
    assert perturb.verb_second(text, words(text, "PPER VV(FIN) $, KOUS PDS ADV $.")) == []


def _lemma(word):
    return {"machen": "machen", "gemacht": "machen", "werden": "werden"}.get(word.text, word.text)


def test_modal_participle_replaces_clause_final_infinitive():
    text = "Wir müssen das heute machen, sagt er."
    tagged = words(text, "PPER VM(FIN) PDS ADV VV(INF) $, VV(FIN) PPER $.")
    [corruption] = perturb.modal_participle(text, tagged, _lemma, {"machen": "gemacht"}.get)
    assert corruption.corrupted == "Wir müssen das heute gemacht, sagt er."
    assert corruption.corrupted[slice(*corruption.place)] == "gemacht"


def test_modal_participle_skips_clusters_unknown_participles_and_werden():
    text = "Das muss gemacht werden."
    tagged = words(text, "PDS VM(FIN) VV(PP) VA(INF) $.")
    assert perturb.modal_participle(text, tagged, _lemma, lambda lemma: "geworden") == []
    text = "Wir müssen das machen."
    tagged = words(text, "PPER VM(FIN) PDS VV(INF) $.")
    assert perturb.modal_participle(text, tagged, _lemma, lambda lemma: None) == []
    text = "Wir versuchen, das zu machen."  # no modal
    tagged = words(text, "PPER VV(FIN) $, PDS PTKZU VV(INF) $.")
    assert perturb.modal_participle(text, tagged, _lemma, lambda lemma: "gemacht") == []


def test_infinitive_comma_removes_the_comma_before_um():
    text = "Sie kam, um zu helfen."
    [corruption] = perturb.infinitive_comma(
        text, words(text, "PPER VV(FIN) $, KOUI PTKZU VV(INF) $.")
    )
    assert corruption.corrupted == "Sie kam um zu helfen."
    assert corruption.corrupted[slice(*corruption.place)] == "kam um"


def test_infinitive_comma_removes_the_closing_comma_before_the_main_clause():
    text = "Um das zu erreichen, plant er viel."
    tagged = words(text, "APPR PDS PTKZU VV(INF) $, VV(FIN) PPER ADV $.")
    [corruption] = perturb.infinitive_comma(text, tagged)
    assert corruption.corrupted == "Um das zu erreichen plant er viel."
    assert corruption.corrupted[slice(*corruption.place)] == "erreichen plant"


def test_infinitive_comma_leaves_prepositions_and_other_commas_alone():
    text = "Er läuft um das Haus, um es zu sehen, dass es steht."
    tags = "PPER VV(FIN) APPR ART NN $, KOUI PPER PTKZU VV(INF) $, KOUS PPER VV(FIN) $."
    corruptions = perturb.infinitive_comma(text, words(text, tags))
    # only the comma before the second "um": "um das Haus" has no zu, ", dass" opens a clause
    assert [c.corrupted for c in corruptions] == [
        "Er läuft um das Haus um es zu sehen, dass es steht."
    ]


def test_choose_is_seeded_and_deterministic():
    options = [perturb.Corruption("verb-second", f"text {i}", (0, 1), "") for i in range(10)]
    picks = {perturb.choose(options, 13, "Satz").corrupted for _ in range(5)}
    assert len(picks) == 1
    assert perturb.choose(options, 13, "Satz") == perturb.choose(list(options), 13, "Satz")
    assert {perturb.choose(options, seed, "Satz").corrupted for seed in range(30)} != picks
    assert perturb.choose([], 13, "Satz") is None
