# ruff: noqa: E501  (the German news sentences below are long)
"""Back-translation throughput: plain transformers vs mtcheck's backends vs raw CTranslate2.

    .venv/bin/python scripts/bench_backtranslate.py --sentences 128 --beams 4 --threads 2
    python scripts/bench_backtranslate.py --device cuda --sentences 8192 --baseline-sentences 1024

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
mtcheck also computes each translation's own log-prob (its reports keep it): the marian
backend in a teacher-forced pass after the beam search, CTranslate2 (mtcheck and raw) in the
beam search itself (``return_scores``). The baseline computes none: plain ``generate``.

``--device cuda`` runs the same on a GPU: the baseline in fp32 as above, mtcheck's marian
backend in fp16 with its GPU batch size (``--batch-size`` to override), CTranslate2 in
float16 where it can run on the GPU (its PyPI wheel needs CUDA 12's cuBLAS; a system that
cannot run is reported and left out). ``--baseline-sentences`` times the baseline on the
first N sentences only (its rate per sentence does not depend on N; on a GPU it is the slow
part of the run). The GPU's name and each system's peak GPU memory are printed.

With ``--repeat R`` the systems run R rounds, interleaved (A B C D A B C D ...), and each
row reports its fastest round: on a shared machine a slow round is someone else's load,
never a faster system.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bench import format_table, interleaved_order, peak_rss_mb

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

def news_texts(n: int) -> list[str]:
    """``n`` distinct sentences: the list repeated, each copy numbered (mtcheck translates a
    repeated text once, so plain repeats would not be the same work)."""
    return [
        f"{SENTENCES[i % len(SENTENCES)][:-1]} ({i // len(SENTENCES) + 1})." for i in range(n)
    ]


SYSTEMS = ("baseline", "marian", "ctranslate2", "raw-ct2", "raw-ct2-intra")


def _child(system: str, args) -> dict:
    n, beams, tokens, device = args.sentences, args.beams, args.tokens, args.device
    texts = news_texts(n)
    targets = texts[1:] + texts[:1]
    # A GPU's first batches pay for kernel selection and memory pools: warm up at full size.
    warm = texts[: min(n, 256)] if device == "cuda" else SENTENCES[:2]
    out: dict = {"system": system, "sentences": n}
    if system == "baseline":
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        torch.set_num_threads(args.threads)
        tok = MarianTokenizer.from_pretrained(args.model)
        net = MarianMTModel.from_pretrained(args.model, use_safetensors=True).eval().to(device)
        pad = net.config.pad_token_id
        n = out["sentences"] = min(n, args.baseline_sentences or n)
        texts, targets = texts[:n], targets[:n]

        def translate(batch_texts):
            inputs = tok(batch_texts, return_tensors="pt", padding=True).to(device)
            with torch.inference_mode():
                return net.generate(**inputs, num_beams=beams, do_sample=False,
                                    min_new_tokens=tokens, max_new_tokens=tokens)

        def score(src, tgt):
            inputs = tok(src, text_target=tgt, return_tensors="pt", padding=True).to(device)
            labels = inputs["labels"]
            with torch.inference_mode():
                logits = net(**inputs).logits
            lp = logits.log_softmax(-1).gather(-1, labels[..., None])[..., 0]
            real = labels != pad
            return ((lp * real).sum(1) / real.sum(1)).tolist()

        for b in range(0, len(warm), 16):
            translate(warm[b : b + 16])
        _sync(device)
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
        settings = DecodingSettings(beams=beams, batch_size=args.batch_size,
                                    max_new_tokens=tokens)
        translator = open_translator(args.model, device=device, settings=settings,
                                     use_cache=False, backend=backend)
        translator.translate(warm)
        if system == "prepare":
            return out
        translator.score(warm, warm)
        _sync(device)
        start = time.perf_counter()
        results = translator.translate(texts)
        out["translate_s"] = time.perf_counter() - start
        assert translator.cache_misses >= n  # every text decoded, none deduplicated
        # The model's own tokenizer, loaded apart: the translator does not lend out its own.
        from transformers import MarianTokenizer

        tok = MarianTokenizer.from_pretrained(args.model)
        pieces = sum(len(tok(text_target=r.text)["input_ids"]) - 1 for r in results)
        start = time.perf_counter()
        translator.score(texts, targets)
        out["score_s"] = time.perf_counter() - start
        out["batch_size"] = settings.sentences_per_batch(device)
    elif system in ("raw-ct2", "raw-ct2-intra"):
        import ctranslate2
        from transformers import MarianTokenizer

        from mtcheck.backtranslate.settings import DecodingSettings

        tok = MarianTokenizer.from_pretrained(args.model)
        folder = next(p for p in (Path(os.environ["MTCHECK_CACHE"]).parent / "ct2").iterdir()
                      if not p.name.startswith("."))
        if device == "cuda":
            ct = ctranslate2.Translator(str(folder), device="cuda", compute_type="float16")
        else:
            layout = (1, args.threads) if system == "raw-ct2-intra" else (args.threads, 1)
            ct = ctranslate2.Translator(str(folder), device="cpu", compute_type="int8",
                                        inter_threads=layout[0], intra_threads=layout[1])
        batch = DecodingSettings(batch_size=args.batch_size).sentences_per_batch(device)
        src = [tok.convert_ids_to_tokens(ids) for ids in tok(texts)["input_ids"]]
        tgt = [tok.convert_ids_to_tokens(ids)[:-1] for ids in tok(text_target=targets)["input_ids"]]
        options = dict(beam_size=beams, max_batch_size=batch, return_scores=True,
                       min_decoding_length=tokens - 1, max_decoding_length=tokens - 1)
        ct.translate_batch(src[: len(warm)], **options)
        start = time.perf_counter()
        res = ct.translate_batch(src, **options)
        out["translate_s"] = time.perf_counter() - start
        pieces = sum(len(r.hypotheses[0]) for r in res)
        start = time.perf_counter()
        ct.score_batch(src, tgt, max_batch_size=batch)
        out["score_s"] = time.perf_counter() - start
        out["batch_size"] = batch
    else:
        raise SystemExit(f"unknown system {system}")
    out["pieces"] = pieces
    out["peak_rss_mb"] = peak_rss_mb()
    if device == "cuda" and "torch" in sys.modules:
        import torch

        out["gpu"] = torch.cuda.get_device_name()
        out["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
    return out


def _sync(device: str) -> None:
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=128)
    parser.add_argument("--baseline-sentences", type=int, default=None,
                        help="time the baseline on the first N sentences only")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--tokens", type=int, default=30, help="output tokens per sentence")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="mtcheck and raw CT2 (default: mtcheck's for the device)")
    parser.add_argument("--systems", default=None,
                        help=f"comma-separated, of {', '.join(SYSTEMS)} (default: all; on "
                        "cuda without raw-ct2-intra)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the fastest is kept")
    parser.add_argument("--model", help="an existing random model folder (else one is built)")
    parser.add_argument("--vocab-size", type=int, default=None,
                        help="build the model with this output vocabulary instead of 58,101")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args)))
        return

    if args.systems is None:
        skip = {"raw-ct2-intra"} if args.device == "cuda" else set()
        args.systems = ",".join(s for s in SYSTEMS if s not in skip)
    with tempfile.TemporaryDirectory(prefix="mtcheck-bench-") as tmp:
        if args.model is None:
            args.model = str(Path(tmp) / "model")
            print("building a random opus-mt-de-en-shaped model ...", file=sys.stderr)
            subprocess.run([sys.executable, "-c",
                            "import sys; from pathlib import Path; "
                            "from mtcheck.testing import build_random_marian; "
                            "build_random_marian(Path(sys.argv[1]), "
                            "vocab_size=int(sys.argv[2]) or None)",
                            args.model, str(args.vocab_size or 0)], check=True)
        env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), HF_HUB_OFFLINE="1",
                   MTCHECK_CACHE=str(Path(tmp) / "cache" / "cache.sqlite"),
                   TOKENIZERS_PARALLELISM="false")
        systems = [s for s in args.systems.split(",") if s]
        failed: dict[str, str] = {}
        if {"ctranslate2", "raw-ct2", "raw-ct2-intra"} & set(systems):
            # The one-off conversion, not timed.
            reason = _run_child("prepare", args, env)
            if isinstance(reason, str):
                for system in ("ctranslate2", "raw-ct2", "raw-ct2-intra"):
                    if system in systems:
                        systems.remove(system)
                        failed[system] = reason
        best: dict[str, dict] = {}
        for _, system in interleaved_order(list(systems), max(1, args.repeat)):
            if system in failed:
                continue
            row = _run_child(system, args, env)
            if isinstance(row, str):
                systems.remove(system)
                failed[system] = row
                continue
            kept = best.setdefault(system, row)
            for name in ("translate_s", "score_s"):
                kept[name] = min(kept[name], row[name])
            for name in ("peak_rss_mb", "peak_gpu_mb"):
                if name in row:
                    kept[name] = max(kept[name], row[name])
        rows = [best[s] for s in systems]
    _print_table(rows, args, failed)


def _run_child(system: str, args, env) -> dict | str:
    """The child's result, or why it failed (its last line of error output)."""
    print(f"running {system} ...", file=sys.stderr)
    command = [sys.executable, __file__, "--child", system, "--model", args.model,
               "--sentences", str(args.sentences), "--beams", str(args.beams),
               "--threads", str(args.threads), "--tokens", str(args.tokens),
               "--device", args.device]
    if args.batch_size is not None:
        command += ["--batch-size", str(args.batch_size)]
    if args.baseline_sentences is not None:
        command += ["--baseline-sentences", str(args.baseline_sentences)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else f"exit status {done.returncode}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print_table(rows: list[dict], args, failed: dict[str, str]) -> None:
    gpu = next((r["gpu"] for r in rows if "gpu" in r), None)
    where = f"GPU {gpu}" if gpu else ("GPU" if args.device == "cuda" else "CPU")
    print(f"\nbeam {args.beams}, {args.tokens} output tokens each (</s> included), "
          f"{args.threads} CPU threads, {where}, fastest of {max(1, args.repeat)} round(s)")
    headers = ("system", "sents", "batch", "sent/s", "tok/s", "x base", "score seg/s",
               "x base", "peak RSS MB", "GPU MB", "pieces")
    base = next((r for r in rows if r["system"] == "baseline"), None)
    table = []
    for r in rows:
        n = r["sentences"]
        sps = n / r["translate_s"]
        ssps = n / r["score_s"]
        ratio = sps / (base["sentences"] / base["translate_s"]) if base else float("nan")
        sratio = ssps / (base["sentences"] / base["score_s"]) if base else float("nan")
        gpu_mb = f"{r['peak_gpu_mb']:.0f}" if "peak_gpu_mb" in r else "-"
        table.append((r["system"], n, r.get("batch_size", 16), f"{sps:.2f}",
                      f"{n * args.tokens / r['translate_s']:.1f}", f"{ratio:.2f}x",
                      f"{ssps:.2f}", f"{sratio:.2f}x", f"{r['peak_rss_mb']:.0f}", gpu_mb,
                      r["pieces"]))
    print(format_table(headers, table))
    for system, reason in failed.items():
        print(f"{system:<14} did not run: {reason}")
    print(f"pieces: output pieces produced, </s> excluded (equal work: sents x {args.tokens - 1}; "
          "mtcheck's rows tokenize its output texts again, which a random model's pieces "
          "need not survive); ratios against the baseline of this run.")


if __name__ == "__main__":
    main()
