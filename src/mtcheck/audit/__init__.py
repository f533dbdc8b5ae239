"""``mtcheck audit``: scores and flags for large segment tables, resumable, streaming.

    inputs (JSONL/TSV/CSV/Parquet rows) -> batches of whole documents -> model (main process)
    -> scores + flags (worker processes) -> store (SQLite, one transaction per batch)
    -> segments.parquet + summary.json + report.html (at the end, from the store)

Each input row is one segment: there is no sentence splitting or alignment here (XLIFF,
TMX and German documents with their references, given as files or directories, become rows
first: see :mod:`mtcheck.io.sources`). The document-level flag rules (term consistency,
mixed number styles) see a *document run*: the consecutive rows of one input file that
share a ``doc`` value (and ``system`` value, where there is that column: one system's
document; at most ``DOC_RUN_LIMIT`` rows; a longer run is cut there). Without a ``doc``
column, or where ``doc`` is empty, a row is its own document. Rows of one document should
therefore be adjacent in the table; scattered rows of one ``doc`` form several runs
(holding a whole document of a table that is not sorted by ``doc`` would mean holding the
corpus).

The run is deterministic: see :mod:`mtcheck.audit.batching`. The modules:

- ``job``: the job's fingerprint, the output folder, the store it starts or resumes;
- ``batching``: batches of whole document runs, the model stage, commits to the store;
- ``local`` and ``ray_engine``: the two engines, computing the same batches alike;
- ``work``: scores and flags of a batch; ``store``: SQLite; ``output``, ``report``: the
  files written from the store; ``progress``: the progress bar.

This package only re-exports what the command line and the tests use.
"""

from mtcheck.audit.batching import DOC_RUN_LIMIT, batches, commit_batch
from mtcheck.audit.job import AuditOptions, Interrupted, Outcome, command_line, run_audit
from mtcheck.audit.progress import rate_and_eta
from mtcheck.audit.work import RuleSpec

__all__ = [
    "DOC_RUN_LIMIT",
    "AuditOptions",
    "Interrupted",
    "Outcome",
    "RuleSpec",
    "batches",
    "command_line",
    "commit_batch",
    "rate_and_eta",
    "run_audit",
]
