"""One stored result of ``mtcheck audit``: the segment's record as ``check``'s JSON report
writes it (:func:`mtcheck.model.segment_to_dict`), with what the audit keeps beside it: the
row's metadata columns, its word count and the sacrebleu statistics behind the corpus scores.

The store holds these as JSON; segments.parquet, summary.json and report.html read them
back through :meth:`AuditRecord.from_dict`, field by field by name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from mtcheck.model import SegmentResult, segment_from_dict, segment_to_dict

# The version of the stored records, part of the audit's fingerprint: a store of another
# format is another job. 1: positional lists, before mtcheck's one record format; 2: results
# as records, kept document rows still lists; 3: both records.
RECORD_FORMAT = 3


@dataclass(frozen=True)
class AuditRecord:
    result: SegmentResult
    meta: dict  # the row's metadata columns, in table order, with their types
    words: int  # words of the German (mtcheck.report.summary.WORD)
    # sacrebleu statistics per corpus metric (mtcheck.score.segment_statistics); None for a
    # segment without scores.
    statistics: dict[str, list] | None

    def to_dict(self) -> dict:
        return {
            **segment_to_dict(self.result),
            "meta": dict(self.meta),
            "words": self.words,
            "stats": self.statistics,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, value: dict) -> AuditRecord:
        return cls(
            result=segment_from_dict(value),
            meta=value["meta"],
            words=value["words"],
            statistics=value["stats"],
        )
