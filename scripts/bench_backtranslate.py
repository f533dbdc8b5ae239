# ruff: noqa: E501  (the German news sentences below are long)
"""Back-translation throughput: plain transformers vs mtcheck's backends vs raw CTranslate2.

    .venv/bin/python scripts/bench_backtranslate.py --sentences 128 --beams 4 --threads 2

Builds a random-weight MarianMT model with the shapes of Helsinki-NLP/opus-mt-de-en
(``mtcheck.testing.build_random_marian``) in a temporary folder, then runs each system in a
child process of its own (so that its peak resident memory is its own) on the same German
sentences, repeated to ``--sentences``:

- ``baseline``: transformers ``generate`` on batches of 16 in input order, fp32;
- ``marian``: mtcheck's marian backend (length-sorted, token-budgeted batches);
- ``ctranslate2``: mtcheck's ctranslate2 backend (int8 on CPU; the conversion is done by a
  separate child first and not timed);
- ``raw-ct2``: ``ctranslate2.Translator.translate_batch``/``score_batch`` on the same
  converted model with the same beam, batch size and thread layout as mtcheck's backend
  (one single-threaded worker per thread, ``inter_threads=threads``);
- ``raw-ct2-intra``: the same with CTranslate2's default layout on the CPU, one worker with
  ``threads`` threads (``intra_threads``).

A random model almost never predicts ``</s>``, so every system would stop at a different
point; the output length is therefore FIXED at ``--tokens`` output tokens, ``</s>``
included: ``min_new_tokens = max_new_tokens`` for transformers (the last one is the forced
``</s>``), ``max_new_tokens`` for mtcheck (the random model runs to the bound), and
``min_decoding_length = max_decoding_length = tokens - 1`` for raw CTranslate2. Each child
reports the output pieces it produced, so the equal work can be checked.

Scoring (forced decoding, average log-prob per target token) is timed on the same sentences
as sources, with the sentence list rotated by one as targets (lengths like real pairs).
Every system computes the translations' own log-probs too (mtcheck keeps them): transformers
and mtcheck's marian backend in a teacher-forced pass after the beam search, CTranslate2 in
the beam search itself (``return_scores``).

With ``--repeat R`` the systems run R rounds, interleaved (A B C D A B C D ...), and each
row reports its fastest round: on a shared machine a slow round is someone else's load,
never a faster system.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "Die Bundesregierung will den Ausbau der Windenergie an Land in den nächsten Jahren deutlich beschleunigen.",
    "Nach Angaben des Statistischen Bundesamtes stiegen die Verbraucherpreise im Oktober um 2,3 Prozent.",
    "Der Vorstand rechnet für das laufende Geschäftsjahr mit einem leichten Rückgang des Umsatzes.",
    "In Hamburg sind am Wochenende mehrere tausend Menschen für besseren Klimaschutz auf die Straße gegangen.",
    "Die Bahn kündigte an, die Strecke zwischen Köln und Frankfurt ab Montag wieder vollständig freizugeben.",
    "Experten warnen davor, dass der Fachkräftemangel das Wachstum der deutschen Wirtschaft bremsen könnte.",
    "Der Stadtrat hat am Dienstagabend mit großer Mehrheit einen neuen Haushalt beschlossen.",
    "Die Polizei sucht nach Zeugen, die den Unfall auf der Autobahn beobachtet haben.",
    "Im dritten Quartal erzielte das Unternehmen einen Gewinn von 418 Millionen Euro.",
    "Die Verhandlungen über einen neuen Tarifvertrag sollen in der kommenden Woche fortgesetzt werden.",
    "Nach dem starken Regen der vergangenen Tage ist der Pegel des Rheins deutlich gestiegen.",
    "Die Ministerin betonte, dass die Schulen auch im Winter geöffnet bleiben sollen.",
    "Forscher der Universität Heidelberg haben einen neuen Ansatz zur Behandlung von Alzheimer entwickelt.",
    "Der Verein trennte sich nach der dritten Niederlage in Folge von seinem Trainer.",
    "Viele Mieter in Berlin müssen einen immer größeren Teil ihres Einkommens für die Wohnung ausgeben.",
    "Die Europäische Zentralbank hat den Leitzins erneut um einen Viertelprozentpunkt angehoben.",
    "Um die Kosten zu senken, will der Konzern in den nächsten zwei Jahren rund 3000 Stellen abbauen.",
    "Das Museum zeigt ab Freitag eine große Ausstellung über die Malerei der Romantik.",
    "Wegen eines Warnstreiks fallen am Donnerstag an mehreren Flughäfen zahlreiche Flüge aus.",
    "Der neue Impfstoff soll nach Angaben des Herstellers bereits im Frühjahr zur Verfügung stehen.",
    "Die Opposition wirft der Regierung vor, die Probleme in der Pflege seit Jahren zu ignorieren.",
    "Bei dem Brand in einer Lagerhalle entstand ein Schaden in Höhe von mehreren Millionen Euro.",
    "Die Zahl der Arbeitslosen ist im November saisonbereinigt leicht gesunken.",
    "Der Autobauer will bis zum Ende des Jahrzehnts nur noch Elektroautos in Europa verkaufen.",
    "Die Gemeinde plant, das alte Schwimmbad abzureißen und an seiner Stelle Wohnungen zu bauen.",
    "Nach monatelangen Verhandlungen haben sich die Koalitionspartner auf ein Heizungsgesetz geeinigt.",
    "Der Angeklagte bestreitet, an dem Überfall auf die Tankstelle beteiligt gewesen zu sein.",
    "Die Preise für Heizöl und Gas sind in den vergangenen Wochen wieder gesunken.",
    "Ein Sprecher des Ministeriums sagte, man prüfe derzeit alle rechtlichen Möglichkeiten.",
    "Die Ernte fiel in diesem Jahr wegen der langen Trockenheit deutlich schlechter aus als erwartet.",
    "Das Gericht hat die Klage der Umweltverbände gegen den Bau der Autobahn abgewiesen.",
    "Mehr als die Hälfte der Befragten gab an, regelmäßig mit dem Fahrrad zur Arbeit zu fahren.",
    "Der Chiphersteller profitiert von der hohen Nachfrage nach Rechenzentren für künstliche Intelligenz.",
    "Die Feuerwehr konnte das Feuer nach etwa zwei Stunden unter Kontrolle bringen.",
    "Am Sonntag wählen die Bürgerinnen und Bürger in Bayern einen neuen Landtag.",
    "Die Bank warnt ihre Kunden vor gefälschten E-Mails, die nach Zugangsdaten fragen.",
    "Wegen Bauarbeiten bleibt die Brücke über die Elbe bis Ende März gesperrt.",
    "Der Schriftsteller erhält in diesem Jahr den Büchner-Preis für sein Lebenswerk.",
    "Die Kommission will strengere Regeln für den Handel mit Daten einführen.",
    "In den Krankenhäusern fehlen nach Angaben der Gewerkschaft Tausende Pflegekräfte.",
    "Das Start-up hat in einer neuen Finanzierungsrunde 25 Millionen Dollar eingesammelt.",
    "Die Temperaturen sollen in den nächsten Tagen auf bis zu 35 Grad steigen.",
    "Der Bürgermeister kündigte an, im kommenden Jahr nicht erneut zu kandidieren.",
    "Die Exporte nach China sind im ersten Halbjahr um fast zehn Prozent zurückgegangen.",
    "Eltern kritisieren, dass an vielen Schulen noch immer Lehrer fehlen.",
    "Die Sanierung des Bahnhofs soll nach Plänen der Stadt bis 2027 abgeschlossen sein.",
    "Ein Großteil der Unternehmen rechnet damit, im nächsten Jahr die Preise erhöhen zu müssen.",
    "Der Nationalspieler fällt wegen einer Knieverletzung mehrere Wochen aus.",
    "Die Regierung will die Zahl der Genehmigungsverfahren für Solaranlagen deutlich verringern.",
    "Nach dem Hackerangriff waren die Systeme der Stadtverwaltung tagelang nicht erreichbar.",
    "Die Nachfrage nach Wohnungen in den Großstädten übersteigt das Angebot weiterhin deutlich.",
    "Das Orchester spielt am Samstag ein Konzert zugunsten der Opfer des Hochwassers.",
    "Die Grünen fordern ein Tempolimit von 130 Kilometern pro Stunde auf Autobahnen.",
    "Wissenschaftler haben in der Antarktis einen ungewöhnlich starken Rückgang des Meereises gemessen.",
    "Der Handelsverband erwartet für das Weihnachtsgeschäft nur ein geringes Umsatzplus.",
    "Die Stadtwerke erhöhen zum Jahresbeginn die Preise für Strom und Fernwärme.",
    "Der Prozess gegen die mutmaßlichen Betrüger beginnt im Januar vor dem Landgericht.",
    "Im Zoo ist in der vergangenen Woche ein kleiner Elefant zur Welt gekommen.",
    "Die Lufthansa will ihr Flugangebot im Sommer wieder auf das Niveau vor der Pandemie bringen.",
    "Die Studie zeigt, dass Jugendliche immer mehr Zeit in sozialen Netzwerken verbringen.",
    "Das Parlament hat das Gesetz nach einer hitzigen Debatte mit knapper Mehrheit verabschiedet.",
    "Die Hilfsorganisationen rufen dringend zu Spenden für die Erdbebenopfer auf.",
    "Der Konzern bestätigte, dass er Gespräche über eine mögliche Übernahme führt.",
    "Wegen des Sturms wurden in Norddeutschland zahlreiche Bahnverbindungen eingestellt.",
]

def _texts(n: int) -> list[str]:
    """``n`` distinct sentences: the list repeated, each copy numbered (mtcheck translates a
    repeated text once, so plain repeats would not be the same work)."""
    return [
        f"{SENTENCES[i % len(SENTENCES)][:-1]} ({i // len(SENTENCES) + 1})." for i in range(n)
    ]


SYSTEMS = ("baseline", "marian", "ctranslate2", "raw-ct2", "raw-ct2-intra")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(system: str, model: str, n: int, beams: int, tokens: int, threads: int,
           batch_size: int) -> dict:
    texts = _texts(n)
    targets = texts[1:] + texts[:1]
    warm = SENTENCES[:2]
    out: dict = {"system": system}
    if system == "baseline":
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        torch.set_num_threads(threads)
        tok = MarianTokenizer.from_pretrained(model)
        net = MarianMTModel.from_pretrained(model, use_safetensors=True).eval()
        pad = net.config.pad_token_id

        def translate(batch_texts):
            inputs = tok(batch_texts, return_tensors="pt", padding=True)
            with torch.inference_mode():
                return net.generate(**inputs, num_beams=beams, do_sample=False,
                                    min_new_tokens=tokens, max_new_tokens=tokens)

        def score(src, tgt):
            inputs = tok(src, text_target=tgt, return_tensors="pt", padding=True)
            labels = inputs["labels"]
            with torch.inference_mode():
                logits = net(**inputs).logits
            lp = logits.log_softmax(-1).gather(-1, labels[..., None])[..., 0]
            real = labels != pad
            return ((lp * real).sum(1) / real.sum(1)).tolist()

        translate(warm)
        start = time.perf_counter()
        pieces = 0
        for b in range(0, n, 16):
            seqs = translate(texts[b : b + 16])
            pieces += int((seqs[:, 1:] != pad).sum()) - len(seqs)  # </s> not counted
        out["translate_s"] = time.perf_counter() - start
        start = time.perf_counter()
        for b in range(0, n, 16):
            score(texts[b : b + 16], targets[b : b + 16])
        out["score_s"] = time.perf_counter() - start
    elif system in ("marian", "ctranslate2", "prepare"):
        from mtcheck.backtranslate import DecodingSettings, open_translator

        backend = "ctranslate2" if system == "prepare" else system
        settings = DecodingSettings(beams=beams, batch_size=batch_size, max_new_tokens=tokens)
        translator = open_translator(model, device="cpu", settings=settings, use_cache=False,
                                     backend=backend)
        translator.translate(warm)
        if system == "prepare":
            return out
        translator.score(warm, warm)
        tok = translator._backend._tokenizer
        start = time.perf_counter()
        results = translator.translate(texts)
        out["translate_s"] = time.perf_counter() - start
        assert translator.cache_misses >= n  # every text decoded, none deduplicated
        pieces = sum(len(tok(text_target=r.text)["input_ids"]) - 1 for r in results)
        start = time.perf_counter()
        translator.score(texts, targets)
        out["score_s"] = time.perf_counter() - start
    elif system in ("raw-ct2", "raw-ct2-intra"):
        import ctranslate2
        from transformers import MarianTokenizer

        tok = MarianTokenizer.from_pretrained(model)
        folder = next(p for p in (Path(os.environ["MTCHECK_CACHE"]).parent / "ct2").iterdir()
                      if not p.name.startswith("."))
        layout = (1, threads) if system == "raw-ct2-intra" else (threads, 1)
        ct = ctranslate2.Translator(str(folder), device="cpu", compute_type="int8",
                                    inter_threads=layout[0], intra_threads=layout[1])
        src = [tok.convert_ids_to_tokens(ids) for ids in tok(texts)["input_ids"]]
        tgt = [tok.convert_ids_to_tokens(ids)[:-1] for ids in tok(text_target=targets)["input_ids"]]
        options = dict(beam_size=beams, max_batch_size=batch_size, return_scores=True,
                       min_decoding_length=tokens - 1, max_decoding_length=tokens - 1)
        ct.translate_batch(src[:2], **options)
        start = time.perf_counter()
        res = ct.translate_batch(src, **options)
        out["translate_s"] = time.perf_counter() - start
        pieces = sum(len(r.hypotheses[0]) for r in res)
        start = time.perf_counter()
        ct.score_batch(src, tgt, max_batch_size=batch_size)
        out["score_s"] = time.perf_counter() - start
    else:
        raise SystemExit(f"unknown system {system}")
    out["pieces"] = pieces
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=128)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=30, help="output tokens per sentence")
    parser.add_argument("--batch-size", type=int, default=32, help="mtcheck and raw CT2")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the fastest is kept")
    parser.add_argument("--model", help="an existing random model folder (else one is built)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = _child(args.child, args.model, args.sentences, args.beams, args.tokens,
                        args.threads, args.batch_size)
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory(prefix="mtcheck-bench-") as tmp:
        model = args.model
        if model is None:
            model = str(Path(tmp) / "model")
            print("building a random opus-mt-de-en-shaped model ...", file=sys.stderr)
            subprocess.run([sys.executable, "-c",
                            "import sys; from pathlib import Path; "
                            "from mtcheck.testing import build_random_marian; "
                            "build_random_marian(Path(sys.argv[1]))", model], check=True)
        env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), HF_HUB_OFFLINE="1",
                   MTCHECK_CACHE=str(Path(tmp) / "cache" / "cache.sqlite"),
                   TOKENIZERS_PARALLELISM="false")
        systems = [s for s in args.systems.split(",") if s]
        if {"ctranslate2", "raw-ct2"} & set(systems):
            _run_child("prepare", model, args, env)  # the one-off conversion, not timed
        best: dict[str, dict] = {}
        for _ in range(max(1, args.repeat)):
            for system in systems:
                row = _run_child(system, model, args, env)
                kept = best.setdefault(system, row)
                for name in ("translate_s", "score_s"):
                    kept[name] = min(kept[name], row[name])
                kept["peak_rss_mb"] = max(kept["peak_rss_mb"], row["peak_rss_mb"])
        rows = [best[s] for s in systems]
    _print_table(rows, args)


def _run_child(system: str, model: str, args, env) -> dict:
    print(f"running {system} ...", file=sys.stderr)
    command = [sys.executable, __file__, "--child", system, "--model", model,
               "--sentences", str(args.sentences), "--beams", str(args.beams),
               "--threads", str(args.threads), "--tokens", str(args.tokens),
               "--batch-size", str(args.batch_size)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{system} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print_table(rows: list[dict], args) -> None:
    n = args.sentences
    print(f"\n{n} sentences, beam {args.beams}, "
          f"{args.tokens} output tokens each (</s> included), {args.threads} threads, CPU, "
          f"fastest of {max(1, args.repeat)} round(s)")
    header = (f"{'system':<14} {'sent/s':>8} {'tok/s':>8} {'x base':>7} "
              f"{'score seg/s':>12} {'x base':>7} {'peak RSS MB':>12} {'pieces':>7}")
    print(header)
    base = next((r for r in rows if r["system"] == "baseline"), None)
    for r in rows:
        sps = n / r["translate_s"]
        tps = n * args.tokens / r["translate_s"]
        ssps = n / r["score_s"]
        ratio = sps / (n / base["translate_s"]) if base else float("nan")
        sratio = ssps / (n / base["score_s"]) if base else float("nan")
        print(f"{r['system']:<14} {sps:>8.2f} {tps:>8.1f} {ratio:>6.2f}x "
              f"{ssps:>12.2f} {sratio:>6.2f}x {r['peak_rss_mb']:>12.0f} {r['pieces']:>7}")
    print(f"pieces: output pieces produced, </s> excluded (equal work: {n} x {args.tokens - 1}); "
          "ratios against the baseline of this run.")


if __name__ == "__main__":
    main()
