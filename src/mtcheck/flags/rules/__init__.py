"""The rules: one module a rule, found here without a hand-kept list.

Adding a rule means adding one module to this package that registers exactly one rule
with :func:`mtcheck.flags.registry.rule` (and its row in the README's catalogue). Helpers
that several rules share live beside this package, in ``mtcheck.flags``.
"""

import pkgutil
from importlib import import_module

from mtcheck.flags.registry import RULES, claim_module

MODULES = tuple(sorted(info.name for info in pkgutil.iter_modules(__path__)))

for _module in MODULES:
    _before = len(RULES)
    import_module(f"{__name__}.{_module}")
    claim_module(f"{__name__}.{_module}", _before)
