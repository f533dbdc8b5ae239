"""Finding a MarianMT model: a local directory or a hub id in the local Hugging Face cache.

Only :func:`download_model` may use the network. ``huggingface_hub`` reads ``HF_HOME`` and
``HF_HUB_CACHE`` once, when it is imported; this module reads them on every call and hands the
cache folder to ``huggingface_hub`` explicitly, so a changed environment is always honoured.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mtcheck.backtranslate.cache import default_cache_path
from mtcheck.backtranslate.extras import require_model
from mtcheck.backtranslate.fingerprint import fingerprint
from mtcheck.constants import DEFAULT_MODEL
from mtcheck.errors import ModelNotAvailable

# What a download fetches: weights as safetensors, configs and the tokenizer; never pickles.
DOWNLOAD_PATTERNS = [
    "config.json",
    "generation_config.json",
    "*.safetensors",
    "model.safetensors.index.json",
    "*.spm",
    "vocab.json",
    "target_vocab.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
]
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
# The Hub's conversion bot opens this pull request on repositories that lack safetensors.
_SAFETENSORS_PR_TITLE = "Adding `safetensors` variant of this model"
_SAFETENSORS_PR_AUTHOR = "SFconvertbot"

_HUB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?")
_MODEL_FILES_HINT = "config.json, model.safetensors, source.spm, target.spm and vocab.json"


@dataclass(frozen=True)
class ResolvedModel:
    """A model found on this machine.

    ``revision`` is the snapshot's commit hash for a hub model and a content fingerprint
    (40 hex digits of SHA-256 over the model files) for a local directory.
    """

    name: str  # as given
    path: Path  # local directory holding the model files
    revision: str
    source: Literal["directory", "hub"] = "directory"

    @property
    def cache_id(self) -> str:
        """What identifies the model in cache keys: the same files give the same id."""
        if self.source == "hub":
            return f"hub:{self.name}@{self.revision}"
        return f"dir@{self.revision}"


@dataclass(frozen=True)
class InstalledModel:
    """A MarianMT model in the local Hugging Face cache (``mtcheck model info``)."""

    name: str
    revision: str  # commit hash of the snapshot
    refs: tuple[str, ...]  # e.g. ("main",)
    size: int  # bytes on disk
    path: Path  # the snapshot directory
    problem: str | None = None  # why it cannot be loaded, or None when it can

    def __str__(self) -> str:
        refs = f" ({', '.join(self.refs)})" if self.refs else ""
        state = f"  not usable: {self.problem}" if self.problem else ""
        return (
            f"{self.name}  revision {self.revision[:12]}{refs}  "
            f"{self.size / 1e6:.1f} MB  {self.path}{state}"
        )


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, from the environment as it is now.

    ``HF_HUB_CACHE``, else ``HUGGINGFACE_HUB_CACHE``, else ``$HF_HOME/hub``, else
    ``$XDG_CACHE_HOME/huggingface/hub``, else ``~/.cache/huggingface/hub`` (the order
    ``huggingface_hub`` uses).
    """
    env = os.environ
    explicit = env.get("HF_HUB_CACHE") or env.get("HUGGINGFACE_HUB_CACHE")
    if explicit:
        return _expand(explicit)
    home = env.get("HF_HOME")
    if home:
        return _expand(home) / "hub"
    xdg = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return _expand(xdg) / "huggingface" / "hub"


def _expand(value: str) -> Path:
    return Path(os.path.expandvars(os.path.expanduser(value)))


def model_dir_problem(path: Path) -> str | None:
    """What keeps ``path`` from being loaded as a MarianMT model, or None."""
    config_file = path / "config.json"
    if not config_file.is_file():
        return "has no config.json"
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "has an unreadable config.json"
    if not isinstance(config, dict) or config.get("model_type") != "marian":
        return "does not hold a MarianMT model (config.json has no model_type 'marian')"
    if not any(p.suffix == ".safetensors" and p.is_file() for p in path.iterdir()):
        return "has no .safetensors weights (mtcheck loads safetensors only, never pickles)"
    missing = [name for name in TOKENIZER_FILES if not (path / name).is_file()]
    if missing:
        return f"lacks the tokenizer file(s) {', '.join(missing)}"
    return None


def _fingerprint_memo_path() -> Path:
    return default_cache_path().parent / "fingerprints.json"


def resolve_model(name: str) -> ResolvedModel:
    """Find ``name`` on this machine without touching the network.

    An existing directory is used as it is; anything else is looked up as a hub id in the
    local Hugging Face cache. Raises :class:`ModelNotAvailable` with one sentence otherwise.
    """
    if not name or not name.strip():
        raise ModelNotAvailable(
            "No model was named: pass --model with a Hugging Face model id such as "
            f"{DEFAULT_MODEL} or a local model directory."
        )
    path = Path(name).expanduser()
    if path.exists():
        return _resolve_directory(name, path)
    if not _HUB_ID.fullmatch(name) or ".." in name:
        raise ModelNotAvailable(
            f"Model directory '{name}' does not exist: pass --model with the path of a local "
            f"MarianMT model directory ({_MODEL_FILES_HINT}) or a Hugging Face model id such as "
            f"{DEFAULT_MODEL}."
        )
    return _resolve_hub(name)


def _resolve_directory(name: str, path: Path) -> ResolvedModel:
    if not path.is_dir():
        raise ModelNotAvailable(
            f"Model path '{name}' is a file, not a directory: pass --model with the directory "
            f"that holds {_MODEL_FILES_HINT}."
        )
    try:
        problem = model_dir_problem(path)
        revision = None if problem else fingerprint(path, _fingerprint_memo_path())
    except OSError as exc:
        raise ModelNotAvailable(
            f"Model directory '{name}' cannot be read ({exc.strerror or exc}): check its "
            "permissions or pass --model with another directory."
        ) from exc
    if problem:
        raise ModelNotAvailable(
            f"Model directory '{name}' {problem}: pass --model with a directory that holds "
            f"{_MODEL_FILES_HINT}, or run `mtcheck model download` to fetch {DEFAULT_MODEL}."
        )
    return ResolvedModel(name=name, path=path.resolve(), revision=revision, source="directory")


def _not_installed(name: str, cache: Path) -> ModelNotAvailable:
    command = (
        "mtcheck model download" if name == DEFAULT_MODEL else f"mtcheck model download {name}"
    )
    return ModelNotAvailable(
        f"Model '{name}' is not installed (searched the Hugging Face cache {cache}): run "
        f"`{command}` on a machine with network access, or pass --model PATH to a local model "
        "directory (or use --no-backtranslation)."
    )


def _resolve_hub(name: str) -> ResolvedModel:
    require_model()
    from huggingface_hub import snapshot_download

    cache = hub_cache_dir()
    try:
        snapshot = Path(snapshot_download(name, cache_dir=cache, local_files_only=True))
    except Exception as exc:  # LocalEntryNotFoundError, IncompleteSnapshotError, bad id, ...
        raise _not_installed(name, cache) from exc
    problem = model_dir_problem(snapshot)
    if problem and "safetensors" in problem:
        # ``download_model`` may have fetched the Hub's safetensors conversion of the repo
        # (a refs/pr/N branch) because main holds pickled weights only.
        alternative = _safetensors_snapshot(cache, name)
        if alternative is not None:
            snapshot, problem = alternative, None
    if problem:
        raise ModelNotAvailable(
            f"The installed copy of '{name}' ({snapshot}) {problem}: run `mtcheck model download` "
            "again on a machine with network access, or pass --model PATH to a local model "
            "directory."
        )
    return ResolvedModel(name=name, path=snapshot, revision=snapshot.name, source="hub")


def _repo_folder(cache: Path, name: str) -> Path:
    return cache / ("models--" + name.replace("/", "--"))


def _safetensors_snapshot(cache: Path, name: str) -> Path | None:
    """A loadable snapshot of ``name`` named by a refs/pr/* ref, newest PR first."""
    refs = _repo_folder(cache, name) / "refs" / "pr"
    if not refs.is_dir():
        return None
    candidates = []
    for ref in refs.iterdir():
        if ref.is_file() and ref.name.isdigit():
            commit = ref.read_text(encoding="utf-8").strip()
            candidates.append((int(ref.name), commit))
    for _, commit in sorted(candidates, reverse=True):
        snapshot = _repo_folder(cache, name) / "snapshots" / commit
        if snapshot.is_dir() and model_dir_problem(snapshot) is None:
            return snapshot
    return None


def download_model(name: str = DEFAULT_MODEL) -> ResolvedModel:
    """Fetch ``name`` (safetensors weights, configs, tokenizer) into the Hugging Face cache.

    The only function of mtcheck that uses the network. When the repository's main branch has
    no safetensors weights, the Hub's own conversion (the pull request of the
    ``SFconvertbot`` account) is fetched instead, as ``transformers`` does.
    """
    if Path(name).expanduser().exists() or not _HUB_ID.fullmatch(name):
        raise ModelNotAvailable(
            f"'{name}' is not a Hugging Face model id: pass an id such as {DEFAULT_MODEL} to "
            "`mtcheck model download`, or use --model PATH for a local directory."
        )
    require_model(alternative="")  # a model is only of use with its packages
    from huggingface_hub import snapshot_download

    cache = hub_cache_dir()
    try:
        snapshot = Path(snapshot_download(name, cache_dir=cache, allow_patterns=DOWNLOAD_PATTERNS))
        problem = model_dir_problem(snapshot)
        if problem and "safetensors" in problem:
            reference = _conversion_pr_reference(name)
            if reference is not None:
                snapshot_download(
                    name, cache_dir=cache, revision=reference, allow_patterns=DOWNLOAD_PATTERNS
                )
    except ModelNotAvailable:
        raise
    except Exception as exc:
        raise ModelNotAvailable(
            f"Could not download '{name}' from the Hugging Face Hub "
            f"({type(exc).__name__}: {_first_line(exc)}): check the network connection and the "
            "model id, or copy a model directory to this machine and pass --model PATH."
        ) from exc
    return resolve_model(name)


def _conversion_pr_reference(name: str) -> str | None:
    """``refs/pr/N`` of the Hub bot's safetensors conversion of ``name``, if there is one."""
    from huggingface_hub import HfApi

    api = HfApi()
    for discussion in api.get_repo_discussions(
        repo_id=name, author=_SAFETENSORS_PR_AUTHOR, discussion_type="pull_request"
    ):
        if discussion.title == _SAFETENSORS_PR_TITLE and discussion.status in ("open", "merged"):
            return discussion.git_reference
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else "no details"


def installed_models() -> list[InstalledModel]:
    """MarianMT models in the local Hugging Face cache, sorted by name; never the network."""
    require_model(alternative="")  # `mtcheck model info` says which extra is missing
    cache = hub_cache_dir()
    if not cache.is_dir():
        return []
    from huggingface_hub import scan_cache_dir

    try:
        info = scan_cache_dir(cache)
    except Exception:  # an unreadable cache lists nothing rather than failing `model info`
        return []
    found = []
    for repo in info.repos:
        if repo.repo_type != "model":
            continue
        for revision in repo.revisions:
            snapshot = Path(revision.snapshot_path)
            if not _is_marian(snapshot):
                continue
            found.append(
                InstalledModel(
                    name=repo.repo_id,
                    revision=revision.commit_hash,
                    refs=tuple(sorted(revision.refs)),
                    size=revision.size_on_disk,
                    path=snapshot,
                    problem=model_dir_problem(snapshot),
                )
            )
    found.sort(key=lambda m: (m.name, "main" not in m.refs, m.revision))
    return found


def _is_marian(snapshot: Path) -> bool:
    try:
        config = json.loads((snapshot / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "opus-mt" in str(snapshot).lower()
    return isinstance(config, dict) and config.get("model_type") == "marian"
