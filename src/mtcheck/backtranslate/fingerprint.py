"""Content fingerprint of a local model directory, memoised per file.

A file's SHA-256 is reused only while its (size, mtime_ns, ctime_ns, inode) are unchanged;
``ctime`` cannot be set back by ``touch``, so an edited or replaced file is always re-hashed
and a changed model never gets the fingerprint (and the cache entries) of the old one.
File times have a coarse clock (a few milliseconds), so a file changed less than
:data:`RACY_NS` ago is hashed but not remembered: a second change within the same clock tick
would leave its stamp unchanged (git's "racily clean" problem).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

# Files that decide what the model computes: weights, configs, tokenizer.
MODEL_FILE_NAMES = frozenset(
    {
        "config.json",
        "generation_config.json",
        "vocab.json",
        "target_vocab.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "added_tokens.json",
        "model.safetensors.index.json",
    }
)
MODEL_FILE_SUFFIXES = (".safetensors", ".spm")

_MEMO_VERSION = 1
_MEMO_LIMIT = 512  # entries kept in the memo file
_CHUNK = 1 << 20
RACY_NS = 2_000_000_000  # files changed more recently than this are not memoised


def model_files(directory: Path) -> list[Path]:
    """The files of ``directory`` (top level) that the fingerprint covers, sorted by name."""
    files = []
    for path in directory.iterdir():
        name = path.name
        if (name in MODEL_FILE_NAMES or name.endswith(MODEL_FILE_SUFFIXES)) and path.is_file():
            files.append(path)
    return sorted(files, key=lambda p: p.name)


def fingerprint(directory: Path, memo_path: Path | None = None) -> str:
    """40 hex digits of SHA-256 over the names and contents of the model files."""
    memo = _load_memo(memo_path)
    changed = False
    digest = hashlib.sha256()
    for path in model_files(directory):
        real = os.path.realpath(path)
        st = os.stat(real)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        entry = memo.get(real)
        if entry is not None and entry[:4] == stamp:
            file_hash = entry[4]
        else:
            file_hash = _hash_file(real)
            memo.pop(real, None)
            if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
                memo[real] = [*stamp, file_hash]  # inserted last: newest last
            changed = True
        digest.update(path.name.encode("utf-8") + b"\0" + file_hash.encode("ascii") + b"\n")
    if changed and memo_path is not None:
        _save_memo(memo_path, memo)
    return digest.hexdigest()[:40]


def _hash_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _load_memo(memo_path: Path | None) -> dict[str, list]:
    if memo_path is None:
        return {}
    try:
        data = json.loads(memo_path.read_text(encoding="utf-8"))
        if data.get("version") == _MEMO_VERSION and isinstance(data.get("files"), dict):
            return {
                k: v
                for k, v in data["files"].items()
                if isinstance(v, list) and len(v) == 5 and isinstance(v[4], str)
            }
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def _save_memo(memo_path: Path, memo: dict[str, list]) -> None:
    """Write the memo atomically; a memo that cannot be written is simply not kept (and
    leaves no temporary file)."""
    from mtcheck.backtranslate.cache import make_cache_folder
    from mtcheck.io.write import write_text

    items = list(memo.items())[-_MEMO_LIMIT:]
    payload = json.dumps({"version": _MEMO_VERSION, "files": dict(items)})
    try:
        make_cache_folder(memo_path.parent)
        write_text(memo_path, payload)
    except OSError:
        pass
