"""The optional packages back-translation needs, checked before any of them is imported.

``pip install mtcheck`` brings flags, scores of given back-translations, readers, reports,
gate and audit; the model comes with the extras ``mtcheck[model]`` (transformers and torch)
and ``mtcheck[fast]`` (CTranslate2 on top). A run that asks for the model without them ends
with one sentence naming the extra (exit 2) instead of an ``ImportError`` deep in a backend.
Presence is looked up with ``importlib.util.find_spec``, which imports nothing, so a run
whose back-translations are all cached still never loads torch.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable

from mtcheck.errors import ModelNotAvailable

# Import names (not distribution names) of what pyproject.toml's extras install.
MODEL_MODULES = (
    "torch",
    "transformers",
    "sentencepiece",
    "sacremoses",
    "safetensors",
    "huggingface_hub",
)
FAST_MODULES = ("ctranslate2",)
# The torch build the project is tested with; the CPU index keeps pip from pulling CUDA.
TORCH_CPU = "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"
NO_MODEL = ", or run with --no-backtranslation"


class MissingExtra(ModelNotAvailable):
    """Back-translation was asked for, but the packages of its extra are not installed."""


def missing_modules(names: Iterable[str]) -> list[str]:
    """Those of ``names`` that cannot be imported here (without importing any of them)."""
    missing = []
    for name in names:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a blocked import, or a module without a spec
            found = False
        if not found:
            missing.append(name)
    return missing


def require_model(backend: str = "marian", alternative: str = NO_MODEL) -> None:
    """Raise :class:`MissingExtra` when the packages of ``backend`` are not installed.

    ``backend``: ``marian`` needs ``mtcheck[model]``; ``ctranslate2`` needs
    ``mtcheck[fast]`` (its tokenizer and the model's one-time conversion use transformers
    and torch too). ``alternative`` ends the sentence (what else the user can do).
    """
    missing = missing_modules(MODEL_MODULES)
    extra = "model"
    if backend == "ctranslate2":
        missing, extra = [*missing, *missing_modules(FAST_MODULES)], "fast"
    if not missing:
        return
    raise MissingExtra(
        f"Back-translation needs the {extra} packages, and {', '.join(missing)} "
        f"{'is' if len(missing) == 1 else 'are'} not installed: run `{TORCH_CPU}` and then "
        f"`pip install 'mtcheck[{extra}]'`{alternative}."
    )
