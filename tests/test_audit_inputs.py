"""mtcheck audit beyond tables: XLIFF and TMX files, German documents with their English
references (files, directories, --pair patterns), the fingerprint over every file read,
input errors, streaming, and resumption after SIGKILL with a directory input."""

from __future__ import annotations

import io
import itertools
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("pyarrow")

from mtcheck.cli import main  # noqa: E402
from tests.helpers import (  # noqa: E402
    PREDICATES,
    SUBJECTS,
    kill_three_times_then_finish,
    read_segments,
)

BAD = "Der Vertrag soll versucht werden, dass er wird unterschrieben."
BAD_EN = "The contract is to be attempted so that it gets signed."


def audit(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", *args, "--isolated"])
    return result.exit_code, result.output


def flags_of(segment: dict) -> list[str]:
    return [flag["rule"] for flag in segment["flags"]]


XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en" target-language="de-DE" original="{original}" datatype="plaintext">
    <body>
      <trans-unit id="bad"><source>{bad_en}</source><target>{bad}</target></trans-unit>
      <trans-unit id="open"><source>Not translated yet.</source></trans-unit>
      <trans-unit id="mail-1"><source>Send us an email.</source>
        <target>Schicken Sie uns eine E-Mail.</target></trans-unit>
      <trans-unit id="mail-2"><source>The email arrived.</source>
        <target>Die Email kam an.</target></trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF_2_TWO_FILES = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="de">
  <file id="f1" original="one.html">
    <unit id="1"><segment><source>Send us an email.</source>
      <target>Schicken Sie uns eine E-Mail.</target></segment></unit>
  </file>
  <file id="f2" original="two.html">
    <unit id="1"><segment><source>The email arrived.</source>
      <target>Die Email kam an.</target></segment>
      <segment><source>Good.</source><target>Gut.</target></segment></unit>
  </file>
</xliff>
"""

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="none"
          adminlang="en" srclang="en" datatype="plaintext"/>
  <body>
    <tu tuid="t-bad"><tuv xml:lang="en"><seg>{bad_en}</seg></tuv>
      <tuv xml:lang="de"><seg>{bad}</seg></tuv></tu>
    <tu><tuv xml:lang="de-AT"><seg>Nur Deutsch.</seg></tuv></tu>
    <tu tuid="fr"><tuv xml:lang="fr"><seg>Bonjour.</seg></tuv></tu>
  </body>
</tmx>
"""


def write_xliff(path: Path, original: str = "contract.txt") -> Path:
    path.write_text(XLIFF_12.format(original=original, bad=BAD, bad_en=BAD_EN), encoding="utf-8")
    return path


def write_tmx(path: Path) -> Path:
    path.write_text(TMX.format(bad=BAD, bad_en=BAD_EN), encoding="utf-8")
    return path


# -- XLIFF and TMX ---------------------------------------------------------------------------


def test_xliff_and_tmx_units_become_rows(tmp_path):
    xliff = write_xliff(tmp_path / "contract.xlf")
    tmx = write_tmx(tmp_path / "memory.tmx")
    out = tmp_path / "out"
    code, output = audit(str(xliff), str(tmx), "--out", str(out), "--no-backtranslation")
    assert code == 0, output
    segments = read_segments(out)
    assert [(s["id"], s["doc"]) for s in segments] == [
        ("bad", "contract.xlf"),
        ("mail-1", "contract.xlf"),
        ("mail-2", "contract.xlf"),
        ("t-bad", "memory.tmx"),
        ("2", "memory.tmx"),  # no tuid: the unit's number in the file
    ]
    by_id = {s["id"]: s for s in segments}
    assert by_id["bad"]["target"] == BAD and by_id["bad"]["reference"] == BAD_EN
    assert by_id["t-bad"]["target"] == BAD and by_id["t-bad"]["reference"] == BAD_EN
    assert by_id["mail-2"]["reference"] == "The email arrived."
    assert by_id["2"]["target"] == "Nur Deutsch." and by_id["2"]["reference"] is None
    assert "verb-final-subclause" in flags_of(by_id["bad"])
    assert "verb-final-subclause" in flags_of(by_id["t-bad"])
    # The file is one document: "Email" is flagged against the "E-Mail" of another unit.
    assert flags_of(by_id["mail-2"]) == ["term-inconsistency"]
    assert flags_of(by_id["mail-1"]) == []
    summary = json.loads((out / "summary.json").read_text())
    assert summary["overall"]["segments"] == 5


def test_xliff_2_with_several_files_gives_one_document_per_file(tmp_path):
    path = tmp_path / "bundle.xlf"
    path.write_text(XLIFF_2_TWO_FILES, encoding="utf-8")
    out = tmp_path / "out"
    code, output = audit(str(path), "--out", str(out), "--no-backtranslation")
    assert code == 0, output
    segments = read_segments(out)
    assert [(s["id"], s["doc"], s["target"], s["reference"]) for s in segments] == [
        ("one.html/1", "bundle.xlf#one.html", "Schicken Sie uns eine E-Mail.", "Send us an email."),
        ("two.html/1", "bundle.xlf#two.html", "Die Email kam an. Gut.", "The email arrived. Good."),
    ]
    # Two documents: neither uses the term two ways.
    assert all(not s["flags"] for s in segments)


def test_xml_readers_stream_and_match_the_whole_file_readers(tmp_path, monkeypatch):
    from mtcheck.io import _xml
    from mtcheck.io.tmx import read_tmx, stream_tmx
    from mtcheck.io.xliff import count_files, read_xliff, stream_xliff

    def tmx(count: int) -> bytes:
        units = "".join(
            f'<tu tuid="u{k}"><tuv xml:lang="en"><seg>Sentence {k}.</seg></tuv>'
            f'<tuv xml:lang="de"><seg>Satz &amp; {k}\n  weiter.</seg></tuv></tu>\n'
            for k in range(count)
        )
        return f'<tmx version="1.4"><header srclang="en"/><body>\n{units}</body></tmx>'.encode()

    data = tmx(5000)
    path = tmp_path / "big.tmx"
    path.write_bytes(data)

    class Counting(io.BytesIO):
        def __init__(self, data: bytes) -> None:
            super().__init__(data)
            self.taken = 0

        def read(self, size=-1):
            chunk = super().read(size)
            self.taken += len(chunk)
            return chunk

    stream = Counting(data)
    first = list(itertools.islice(stream_tmx(path, stream, "de"), 10))
    assert [p.id for p in first] == [f"u{k}" for k in range(10)]
    assert len(data) > 4 * _xml.CHUNK and stream.taken <= _xml.CHUNK

    # Fed in tiny chunks, the paragraphs (texts, ids, positions) are the whole-file ones.
    monkeypatch.setattr(_xml, "CHUNK", 7)
    small = tmx(30)
    assert list(stream_tmx(path, io.BytesIO(small), "de")) == read_tmx(path, small, "de")
    bundle = XLIFF_2_TWO_FILES.encode()
    assert count_files(path, io.BytesIO(bundle)) == 2
    streamed = [p for _f, p in stream_xliff(path, io.BytesIO(bundle), "de", several=True)]
    assert streamed == read_xliff(path, bundle, "de")


# -- German documents and their references -----------------------------------------------------


A_DE = [
    BAD,
    "Das Wetter ist heute schön. Wir gehen im Park spazieren.",
    "Bitte schreiben Sie uns eine E-Mail.",
]
A_EN = [
    BAD_EN,
    "The weather is nice today. We are going for a walk in the park.",
    "Please send us an email.",
]
B_DE = ["Die Email kam gestern an.", "Der Bericht hat 12 Seiten."]


def make_corpus(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.de.txt").write_text("\n".join(A_DE) + "\n", encoding="utf-8")
    (root / "a.en.txt").write_text("\n".join(A_EN) + "\n", encoding="utf-8")
    (root / "sub" / "b.de.md").write_text("# Bericht\n\n" + "\n\n".join(B_DE) + "\n")
    (root / "notes.txt").write_text("Not German, not named NAME.de.txt: left alone.\n")
    return root


def test_a_directory_of_pairs_gives_aligned_sentences(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    code, output = audit(str(corpus), "--out", str(out), "--no-backtranslation")
    assert code == 0, output
    segments = read_segments(out)
    assert [(s["id"], s["target"], s["reference"]) for s in segments] == [
        ("a.de.txt:1:1", BAD, BAD_EN),
        ("a.de.txt:2:1", "Das Wetter ist heute schön.", "The weather is nice today."),
        ("a.de.txt:2:29", "Wir gehen im Park spazieren.", "We are going for a walk in the park."),
        ("a.de.txt:3:1", A_DE[2], A_EN[2]),
        ("sub/b.de.md:1:3", "Bericht", None),  # no sub/b.en.md: no references
        ("sub/b.de.md:3:1", B_DE[0], None),
        ("sub/b.de.md:5:1", B_DE[1], None),
    ]
    assert [s["doc"] for s in segments] == ["a.de.txt"] * 4 + ["sub/b.de.md"] * 3
    assert "verb-final-subclause" in flags_of(segments[0])
    # "E-Mail" in a.de.txt and "Email" in b.de.md: two documents, no inconsistency.
    assert all("term-inconsistency" not in flags_of(s) for s in segments)
    header = json.loads((out / "summary.json").read_text())
    assert header["overall"]["segments"] == 7


def test_document_rows_are_the_segments_of_check(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "a.de.txt").write_text(
        "\n".join(A_DE) + "\nDie Email kam an. Sie war kurz.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    code, output = audit(str(corpus / "a.de.txt"), "--out", str(out), "--no-backtranslation")
    assert code == 0, output
    segments = read_segments(out)
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(corpus / "a.de.txt"),
            "-r",
            str(corpus / "a.en.txt"),
            "--no-backtranslation",
            "--isolated",
            "--format",
            "json",
        ],
    )
    report = json.loads(result.output)
    expected = [
        (f"a.de.txt:{s['line']}:{s['column']}", s["target"], s["reference"], flags_of(s))
        for s in report["documents"][0]["segments"]
        if s["target"]
    ]
    assert [(s["id"], s["target"], s["reference"], flags_of(s)) for s in segments] == expected
    # The whole file is one document: the last paragraph's "Email" against line 3's "E-Mail".
    email = next(s for s in segments if "Email" in s["target"])
    assert flags_of(email) == ["term-inconsistency"] and email["doc"] == "a.de.txt"


def test_pair_patterns_as_in_gate(tmp_path):
    root = tmp_path / "site"
    (root / "de" / "guide").mkdir(parents=True)
    (root / "en" / "guide").mkdir(parents=True)
    (root / "de" / "guide" / "start.md").write_text("# Start\n\n" + BAD + "\n")
    (root / "en" / "guide" / "start.md").write_text("# Start\n\n" + BAD_EN + "\n")
    (root / "de" / "solo.md").write_text("Ein Satz ohne Vorlage.\n")
    out = tmp_path / "out"
    code, output = audit(str(root), "--out", str(out), "--no-backtranslation")
    assert code == 2 and f"{root}: no German files" in output and "--pair" in output
    code, output = audit(
        str(root), "--out", str(out), "--no-backtranslation", "--pair", "de/**/*.md=en/{path}"
    )
    assert code == 0, output
    segments = read_segments(out)
    assert [(s["id"], s["reference"]) for s in segments] == [
        ("de/guide/start.md:1:3", "Start"),
        ("de/guide/start.md:3:1", BAD_EN),
        ("de/solo.md:1:1", None),
    ]


def test_a_changed_reference_changes_the_job(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    arguments = [str(corpus), "--out", str(out), "--no-backtranslation"]
    assert audit(*arguments)[0] == 0
    code, output = audit(*arguments)
    assert code == 0 and "nothing to do" in output
    # As for a changed table: the folder holds an audit of other inputs.
    english = corpus / "a.en.txt"
    english.write_text(english.read_text().replace("nice", "fine"), encoding="utf-8")
    code, output = audit(*arguments)
    assert code == 2 and "other inputs or options" in output and "--overwrite" in output
    code, output = audit(*arguments, "--overwrite")
    assert code == 0, output
    assert read_segments(out)[1]["reference"] == "The weather is fine today."
    # A reference that appears where there was none changes the job too.
    (corpus / "sub" / "b.en.md").write_text("# Report\n\nThe email arrived yesterday.\n")
    code, output = audit(*arguments)
    assert code == 2 and "--overwrite" in output
    assert audit(*arguments, "--overwrite")[0] == 0
    assert read_segments(out)[5]["reference"] == "The email arrived yesterday."


def _aligned_documents(monkeypatch) -> list[str]:
    """From now on, the names of the German documents split and aligned, in order."""
    import mtcheck.pipeline

    read: list[str] = []
    original = mtcheck.pipeline.align_document

    def spy(target, reference):
        read.append(target.name)
        return original(target, reference)

    monkeypatch.setattr(mtcheck.pipeline, "align_document", spy)
    return read


def test_directory_documents_are_read_one_at_a_time(tmp_path, monkeypatch):
    from mtcheck.io.sources import read_inputs

    corpus = make_corpus(tmp_path / "corpus")
    read = _aligned_documents(monkeypatch)
    rows = read_inputs([corpus])
    assert next(rows).target == BAD and read == ["a.de.txt"]
    assert [row.id for row in rows][-1] == "sub/b.de.md:5:1"
    assert read == ["a.de.txt", "b.de.md"]


def test_each_document_is_split_and_aligned_once_per_job(tmp_path, monkeypatch):
    """Counting keeps the documents' rows in the store: processing and resuming read them
    there instead of splitting and aligning every document again."""
    from mtcheck.audit.output import SEGMENTS_FILE
    from mtcheck.io.sources import read_inputs

    corpus = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    assert audit(str(corpus), "--out", str(out), "--no-backtranslation", "--quiet")[0] == 0
    plain = read_segments(out)
    from_files = list(read_inputs([corpus]))  # the rows read from the files themselves
    assert [(s["id"], s["target"], s["reference"]) for s in plain] == [
        (r.id, r.target, r.reference) for r in from_files
    ]
    read = _aligned_documents(monkeypatch)
    fresh = tmp_path / "fresh"
    assert audit(str(corpus), "--out", str(fresh), "--no-backtranslation", "--quiet")[0] == 0
    assert sorted(read) == ["a.de.txt", "b.de.md"]  # once each, not twice
    assert read_segments(fresh) == plain  # the kept rows are the documents' rows
    read.clear()
    (fresh / SEGMENTS_FILE).unlink()  # outputs lost: the rerun writes them from the store
    assert audit(str(corpus), "--out", str(fresh), "--no-backtranslation", "--quiet")[0] == 0
    assert read == [] and read_segments(fresh) == plain


# -- errors ----------------------------------------------------------------------------------


def test_bad_inputs_are_one_sentence_naming_the_file(tmp_path):
    out = str(tmp_path / "out")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("Hallo.\n")
    code, output = audit(str(empty), "--out", out, "--no-backtranslation")
    assert code == 2 and f"{empty}: no German files" in output

    odd = tmp_path / "report.docx"
    odd.write_bytes(b"PK")
    code, output = audit(str(odd), "--out", out, "--no-backtranslation")
    assert code == 2 and f"{odd}: unsupported file type '.docx'" in output

    broken = tmp_path / "broken.xlf"
    broken.write_text(XLIFF_12.format(original="x", bad=BAD, bad_en=BAD_EN)[:-20])
    code, output = audit(str(broken), "--out", out, "--no-backtranslation")
    assert code == 2 and f"{broken}:" in output and "not well-formed XML" in output

    german_only = tmp_path / "french.tmx"
    german_only.write_text(TMX.replace('lang="de', 'lang="fr'))
    code, output = audit(str(german_only), "--out", out, "--no-backtranslation")
    assert code == 2 and f"{german_only}: no <tu> has a German (de) segment" in output

    code, output = audit(str(tmp_path / "absent"), "--out", out, "--no-backtranslation")
    assert code == 2 and "absent: no such file or directory" in output

    english = tmp_path / "x.en.txt"
    english.write_text("Hello.\n")
    code, output = audit(str(english), "--out", out, "--no-backtranslation")
    assert code == 2 and "named as an English reference" in output

    xliff = write_xliff(tmp_path / "ok.xlf")
    code, output = audit(str(xliff), "--out", out, "--no-backtranslation", "--group-by", "system")
    assert code == 2 and "'system' column" in output
    code, output = audit(str(xliff), "--out", out, "--no-backtranslation", "--pair", "*.md=x")
    assert code == 2 and "--pair finds German files in directories" in output
    code, output = audit(str(tmp_path), "--out", out, "--no-backtranslation", "--pair", "*.md")
    assert code == 2 and "GLOB=TEMPLATE" in output
    code, output = audit(str(tmp_path), "--out", out, "--no-backtranslation", "--pair", "a={x}")
    assert code == 2 and "bad placeholder" in output
    assert "Traceback" not in output


# -- resumption after SIGKILL ----------------------------------------------------------------


def test_sigkill_and_rerun_with_a_directory(tmp_path):
    rng = random.Random(21)
    corpus = tmp_path / "corpus"
    for k in range(30):
        folder = corpus / f"part{k % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        german, english = [], []
        for _paragraph in range(rng.randint(3, 6)):
            pairs = [
                (rng.choice(SUBJECTS), rng.choice(PREDICATES), rng.randint(2, 999))
                for _ in range(rng.randint(1, 3))
            ]
            german.append(" ".join(f"{s[0]} {p[0].format(n=n)}" for s, p, n in pairs))
            english.append(" ".join(f"{s[1]} {p[1].format(n=n)}" for s, p, n in pairs))
        (folder / f"doc{k}.de.txt").write_text("\n".join(german) + "\n", encoding="utf-8")
        if k % 4:
            (folder / f"doc{k}.en.txt").write_text("\n".join(english) + "\n", encoding="utf-8")
    from mtcheck.io.sources import read_inputs

    total = sum(1 for _ in read_inputs([corpus]))
    assert total > 200
    env_config = ["--isolated", "--no-backtranslation", "--batch-size", "1", "--quiet"]
    kill_three_times_then_finish(tmp_path, corpus, total, lambda _cache: env_config, seed=9)


def test_help_names_the_new_inputs():
    result = CliRunner(env={"COLUMNS": "100"}).invoke(main, ["audit", "--help"])
    assert result.exit_code == 0
    assert ".xlf .xliff .tmx" in result.output and "--pair" in result.output
