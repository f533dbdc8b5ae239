"""``mtcheck audit --engine ray``: the local engine's batches, computed on a Ray cluster
with a Ray Data pipeline, and committed by this process to the same store.

    source (one task, on this machine's node): batches(job_rows(...)), stored ones skipped
    -> model (actor pool: one actor per GPU, else one CPU actor; each loads the model once,
       in its constructor): back-translations and adequacy, as the local engine computes them
    -> flags (CPU tasks): run_task(), i.e. segment scores, corpus statistics and flags
    -> this process: one store transaction per finished batch, in the order batches finish

Batches are cut by the same :func:`mtcheck.audit.batching.batches` from the same rows
(:func:`~mtcheck.audit.batching.job_rows`: documents' rows from the store) and computed by
the same :func:`mtcheck.audit.work.run_task`, so the store holds the same results whichever engine
stored which batch: a job started by one engine can be finished by the other, and the
outputs are written from the store by the same code. The source is a generator that Ray
Data pulls from one batch at a time and holds back while the later stages lag, so the
inputs are never held whole.

Actors get :class:`ModelSettings` (what opens the translator), never a loaded translator.
On a cluster, every node needs mtcheck installed and the model, the configuration file and
the glossary at the same paths as here; the inputs are read on this machine's node only.

Only this module imports ray, and only when the engine runs.
"""

from __future__ import annotations

import bisect
import logging
import os
import pickle
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from mtcheck.audit.batching import batches, commit_batch, job_rows, model_task
from mtcheck.audit.progress import progress
from mtcheck.audit.store import Store
from mtcheck.audit.work import RuleSpec, Task, init_worker, run_task
from mtcheck.backtranslate.settings import DecodingSettings, RunIdentity
from mtcheck.backtranslate.translator import open_translator
from mtcheck.config import find_config
from mtcheck.errors import ConfigError, ModelNotAvailable, MtcheckError
from mtcheck.io.sources import expand_inputs

INSTALL_HINT = "pip install 'mtcheck[ray]'"
# The local Ray's object store: enough for many batches in flight, and never more than
# /dev/shm can hold (Ray would fall back to /tmp, slowly and with a warning).
OBJECT_STORE_CAP = 2 * 1024**3
OBJECT_STORE_FLOOR = 100 * 1024**2
# Object store memory that the pipeline's batches in flight may fill (then the source waits).
PIPELINE_MEMORY = 256 * 1024**2
CONNECT_TIMEOUT = 5.0  # seconds to reach --ray-address HOST:PORT


@dataclass(frozen=True)
class ModelSettings:
    """What a Ray actor needs to open the back-translation model itself: the run's
    identity as resolved where mtcheck runs, which the actor's translator must match."""

    name: str  # --model as given: a hub id or a directory (the same path on every node)
    identity: RunIdentity
    batch_size: int | None  # None: the backend's default for the device
    cache_path: str  # absolute; also where converted CTranslate2 models live
    use_cache: bool = True

    @property
    def device(self) -> str:
        return self.identity.device

    def open(self, device: str | None = None):
        expected = self.identity
        translator = open_translator(
            self.name,
            device=device or expected.device,
            settings=DecodingSettings(beams=expected.beams, batch_size=self.batch_size),
            cache_path=Path(self.cache_path),
            use_cache=self.use_cache,
            backend=expected.backend,
        )
        # The job's fingerprint and summary name the model as resolved where mtcheck runs:
        # an actor that would compute anything else stops the run.
        found = translator.identity
        if found.revision != expected.revision:
            translator.close()
            raise ModelNotAvailable(
                f"The model '{self.name}' on Ray node {os.uname().nodename} has revision "
                f"{found.revision}, not {expected.revision} as where mtcheck runs; "
                "install the same model on every node."
            )
        if found.decoding != expected.decoding:
            translator.close()
            raise ModelNotAvailable(
                f"The model on Ray node {os.uname().nodename} would decode as "
                f"'{found.decoding}', not '{expected.decoding}' as resolved where "
                "mtcheck runs (another device there); pass --device and --backend "
                "explicitly, e.g. --device cuda --backend marian."
            )
        return translator


def available() -> bool:
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


def require_ray() -> None:
    if not available():
        raise ConfigError(
            f"The ray engine needs Ray, which is not installed: {INSTALL_HINT}, or use "
            "--engine local."
        )


# -- the pipeline's stages (they run in Ray workers) ----------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What the source needs to cut the same batches as the local engine."""

    inputs: tuple
    pairs: tuple
    store: str  # the job's store: documents' rows are read from it, as the local engine does
    considered: int
    chosen: frozenset[int] | None
    batch_rows: int
    stored: tuple[tuple[int, int], ...]  # (first, last) ordinals already in the store
    columns: object = None  # how the tables' columns are read (layout.TableColumns)

    def stored_between(self, first: int, last: int) -> int:
        """How many ordinals from ``first`` to ``last`` (inclusive) the store holds."""
        count = 0
        k = bisect.bisect_right(self.stored, (last, last)) - 1
        while k >= 0 and self.stored[k][1] >= first:
            low, high = self.stored[k]
            count += min(high, last) - max(low, first) + 1
            k -= 1
        return count


@dataclass(frozen=True)
class _Failure:
    """An mtcheck error (one sentence for the user) met in a stage, passed on as the batch's
    payload for this process to raise. Raised in a stage, Ray would report it as its own
    error with tracebacks, without the original exception."""

    error: MtcheckError


def _pack(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _rows(first: list[int], fresh: list[int], payloads: list[bytes]) -> dict:
    """A Ray Data batch: ordinal of each batch's first row, how many of its rows the store
    lacks, and the pickled Task, results or _Failure."""
    import numpy as np

    column = np.empty(len(payloads), dtype=object)
    column[:] = payloads
    return {
        "first": np.asarray(first, dtype=np.int64),
        "fresh": np.asarray(fresh, dtype=np.int64),
        "payload": column,
    }


def _source(_batch, plan: _Plan):
    """Every batch the store lacks, one Ray Data row (and block) each, with the
    :class:`Task` as the local engine has it before the model."""
    try:
        sources = expand_inputs(plan.inputs, plan.pairs, plan.columns)
        store = Store(Path(plan.store))  # read here only: the driver commits
        try:
            rows = job_rows(sources, store)
            for first, batch, runs in batches(rows, plan.considered, plan.chosen, plan.batch_rows):
                stored = plan.stored_between(first, first + len(batch) - 1)
                if stored == len(batch):
                    continue
                task = Task(first, tuple(batch), tuple(runs), None, None)
                yield _rows([first], [len(batch) - stored], [_pack(task)])
        finally:
            store.close()
    except MtcheckError as error:
        yield _rows([-1], [0], [_pack(_Failure(error))])


class _Model:
    """A Ray Data actor: the translator, opened and loaded once, for every batch it gets."""

    def __init__(self, settings: ModelSettings) -> None:
        device = settings.device
        if device.startswith("cuda:"):
            device = "cuda"  # Ray gave this actor its GPU; it is the only one it sees
        self._failure: _Failure | None = None
        try:
            self._translator = settings.open(device)
            self._translator.load()
        except MtcheckError as error:
            # Passed on with every batch: Ray reports a failed constructor as a dead actor.
            self._failure = _Failure(error)

    def __call__(self, batch):
        payloads = []
        for payload in batch["payload"]:
            task = pickle.loads(payload)
            if self._failure is not None and not isinstance(task, _Failure):
                task = self._failure
            if not isinstance(task, _Failure):
                try:
                    task = model_task(
                        task.first, list(task.rows), list(task.documents), self._translator
                    )
                except MtcheckError as error:
                    task = _Failure(error)
            payloads.append(_pack(task))
        return _rows(batch["first"], batch["fresh"], payloads)


_RULES_FOR: RuleSpec | None = None


def _flags(batch, spec: RuleSpec):
    """A Ray Data task: :func:`run_task` for each batch, giving the ``[(ordinal, JSON)]``
    to store. The rule settings are built once per worker process."""
    global _RULES_FOR
    payloads = []
    for payload in batch["payload"]:
        task = pickle.loads(payload)
        if not isinstance(task, _Failure):
            try:
                if _RULES_FOR != spec:
                    init_worker(spec)
                    _RULES_FOR = spec
                task = run_task(task)
            except MtcheckError as error:
                task = _Failure(error)
        payloads.append(_pack(task))
    return _rows(batch["first"], batch["fresh"], payloads)


# -- the driver ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Resources of each stage on the cluster."""

    model_actors: int
    model_cpus: float
    model_gpus: float
    flag_cpus: float


def layout(cpus: float, gpus: float, largest_node_cpus: float, device: str | None) -> Layout:
    """One model actor per GPU (1 GPU and 1 CPU each) when the cluster has GPUs and the model
    may use them; else one CPU actor with half the CPUs (at most one node's). The flags get
    1 CPU per task, in as many tasks as the CPUs left allow."""
    cpus = max(cpus, 0.01)
    if device is None:
        return Layout(0, 0, 0, min(1.0, cpus))
    if gpus >= 1 and device != "cpu":
        actors = int(gpus)
        each = 1.0 if cpus >= actors + 1 else cpus / (actors + 1)
        return Layout(actors, each, 1, min(1.0, cpus - actors * each))
    if cpus >= 2:
        each = float(max(1, min(int(largest_node_cpus), int(cpus // 2))))
    else:
        each = cpus / 2
    return Layout(1, each, 0, min(1.0, cpus - each))


def process(store, options, selected, show_progress) -> int:
    """Compute every batch the store lacks on Ray and commit each as it finishes; the number
    of segments computed (as the local engine's :func:`~mtcheck.audit.local.process`).
    ``selected``: the rows audited (:class:`~mtcheck.audit.local.Selection`)."""
    require_ray()
    import ray

    if store.done() == selected.expected:
        return 0  # every result is stored (the outputs were not written yet): no Ray needed
    started = _connect(ray, options)
    try:
        dataset = _pipeline(ray, store, options, selected.considered, selected.chosen)
        computed = 0
        with progress(selected.expected, show_progress, stored=store.done()) as shown:
            for row in dataset.iter_rows():
                results = pickle.loads(row["payload"])
                if isinstance(results, _Failure):
                    raise results.error
                commit_batch(store, results)
                computed += len(results)
                shown.advance(int(row["fresh"]))
        return computed
    finally:
        if started:
            ray.shutdown()


def _connect(ray, options) -> bool:
    """Connect to --ray-address, or start a local Ray; False when this process already had
    a Ray (then it is left running)."""
    _quiet_logs()
    if ray.is_initialized():
        return False
    common = {
        "log_to_driver": False,
        "logging_level": logging.ERROR,
        "include_dashboard": False,
    }
    if options.ray_address:
        _check_reachable(options.ray_address)
    try:
        if options.ray_address:
            common.pop("include_dashboard")
            ray.init(address=options.ray_address, **common)
        else:
            ray.init(
                address="local",
                num_cpus=options.workers,
                object_store_memory=_object_store_memory(),
                **common,
            )
    except (ConnectionError, ValueError, RuntimeError) as error:
        where = f"the Ray cluster at {options.ray_address}" if options.ray_address else "Ray"
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        raise ConfigError(
            f"Cannot start or reach {where} ({message}); check --ray-address, or leave it "
            "out to run a local Ray."
        ) from None
    return True


def _check_reachable(address: str) -> None:
    """Fail at once on a HOST:PORT nobody listens on (Ray itself retries for minutes)."""
    import socket

    host, colon, port = address.rpartition(":")
    if not colon or not port.isdigit() or "://" in address:
        return  # 'auto', ray://...: Ray's own checks
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as error:
        raise ConfigError(
            f"Cannot reach the Ray cluster at {address} ({error.strerror or error}); check "
            "--ray-address (the head node's HOST:6379, or 'auto' on a node of the cluster)."
        ) from None


def _quiet_logs() -> None:
    """Ray Data's warnings and errors only (no execution plans, no statistics)."""
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    # "Progress bars disabled": this command shows its own.
    logging.getLogger("ray.data._internal.progress").setLevel(logging.ERROR)


def _object_store_memory() -> int:
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        memory = 8 * 1024**3
    size = min(OBJECT_STORE_CAP, int(memory * 0.3))
    try:
        shm = shutil.disk_usage("/dev/shm").free
    except OSError:
        return max(size, OBJECT_STORE_FLOOR)
    if shm * 0.8 >= OBJECT_STORE_FLOOR:
        size = min(size, int(shm * 0.8))
    return max(size, OBJECT_STORE_FLOOR)


def _pipeline(ray, store, options, considered, chosen):
    """The dataset of finished batches, built under a DataContext of its own (a dataset
    keeps a copy of the context it was made under):

    - blocks of one batch each: Ray Data would otherwise pack the source's batches into
      one block and hand it whole to one task;
    - at most :data:`PIPELINE_MEMORY` of batches in flight: past that, Ray Data stops
      pulling from the source until the driver has taken finished batches;
    - no progress bars (the command has its own) and no statistics in the log.
    """
    import copy

    import ray.data

    context = ray.data.DataContext.get_current()
    changes = {
        "target_max_block_size": 1,  # byte: every batch is a block of its own
        "execution_options": copy.deepcopy(context.execution_options),
        "enable_progress_bars": False,
        "print_on_execution_start": False,
        "enable_auto_log_stats": False,
    }
    execution = changes["execution_options"]
    limits = execution.resource_limits
    execution.resource_limits = type(limits).for_limits(
        cpu=limits.cpu, gpu=limits.gpu, object_store_memory=PIPELINE_MEMORY
    )
    saved = {name: getattr(context, name) for name in changes if hasattr(context, name)}
    try:
        for name in saved:
            setattr(context, name, changes[name])
        return _stages(ray, store, options, considered, chosen)
    finally:
        for name, value in saved.items():
            setattr(context, name, value)


def _stages(ray, store, options, considered, chosen):
    from ray.data import ActorPoolStrategy

    plan = _Plan(
        inputs=_absolute(options.inputs),
        pairs=tuple(options.pairs),
        store=str(store.path.absolute()),
        considered=considered,
        chosen=frozenset(chosen) if chosen is not None else None,
        batch_rows=options.batch_rows,
        stored=tuple(store.ranges()),
        columns=options.columns,
    )
    settings = options.model_settings
    resources = ray.cluster_resources()
    nodes = [node for node in ray.nodes() if node.get("Alive")]
    largest = max((node["Resources"].get("CPU", 0) for node in nodes), default=0)
    plan_layout = layout(
        resources.get("CPU", 0),
        resources.get("GPU", 0),
        largest or resources.get("CPU", 0),
        settings.device if settings is not None else None,
    )
    dataset = ray.data.from_items([{"start": 0}]).map_batches(
        _source,
        fn_kwargs={"plan": plan},
        batch_size=1,
        batch_format="numpy",
        num_cpus=0,
        **_on_this_node(ray),  # the inputs are files of this machine: read them here
    )
    if settings is not None:
        dataset = dataset.map_batches(
            _Model,
            fn_constructor_kwargs={"settings": settings},
            batch_size=1,
            batch_format="numpy",
            compute=ActorPoolStrategy(size=plan_layout.model_actors),
            num_cpus=plan_layout.model_cpus,
            num_gpus=plan_layout.model_gpus or None,
        )
    return dataset.map_batches(
        _flags,
        fn_kwargs={"spec": _pinned(options.rules)},
        batch_size=1,
        batch_format="numpy",
        num_cpus=plan_layout.flag_cpus,
    )


def _on_this_node(ray) -> dict:
    """map_batches() arguments that run a stage on this process's node."""
    import inspect

    from ray.data import Dataset

    here = ray.get_runtime_context().get_node_id()
    if "label_selector" in inspect.signature(Dataset.map_batches).parameters:
        return {"label_selector": {"ray.io/node-id": here}}
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    return {"scheduling_strategy": NodeAffinitySchedulingStrategy(here, soft=False)}


def _absolute(inputs: tuple) -> tuple:
    """Input paths that mean the same in a Ray worker (whose working folder is another)."""
    return tuple(path.absolute() if isinstance(path, Path) else path for path in inputs)


def _pinned(spec: RuleSpec) -> RuleSpec:
    """``spec`` with the configuration file found here and absolute paths, so that a Ray
    worker (whose working folder is another) builds the same rules."""
    config_file = spec.config_file
    if config_file is None and not spec.isolated:
        found = find_config()
        config_file = str(found) if found is not None else None
        if config_file is None:
            return replace(spec, isolated=True, glossary=_absolute_name(spec.glossary))
    return replace(
        spec, config_file=_absolute_name(config_file), glossary=_absolute_name(spec.glossary)
    )


def _absolute_name(name: str | None) -> str | None:
    return None if name is None else str(Path(name).absolute())
