"""What each command does, apart from its options: ``check``, ``gate`` and ``audit`` each take
small frozen choices (:mod:`mtcheck.commands.choices`) and return an
:class:`~mtcheck.commands.outcome.Outcome` that :mod:`mtcheck.cli` prints."""
