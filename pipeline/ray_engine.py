"""`bisum batch --engine ray`: the same batch run on Ray Data (the `bisum[ray]` extra), on a laptop, a Ray
cluster or Kubernetes (KubeRay) with the same code.

Records are read by a Ray Data datasource that wraps this package's own reader (every input format, the same
record errors, duplicate-id and `--resume` handling as the local engine), go through an actor pool in
batches (one BilingualSummarizer per actor, built once, so a model loads once per actor and translation stays
batched), and come back to the driver in input order, which writes them with the local engine's writer: same
output lines, same lock, same resume."""
from __future__ import annotations

import json
import logging
import socket
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .config import Config
from .errors import UsageError

INSTALL = "pip install 'bisum[ray]' (or pip install 'ray[data,client]>=2.40,<3')"
CONNECT_SECONDS = 10  # a cluster address that does not answer within this is an error, not a hang
# Object store of a Ray started for the run: blocks of text in flight need little, and a store of Ray's default
# size (30% of RAM) keeps every page it ever touched resident, so memory would grow with the input.
LOCAL_OBJECT_STORE = 96 * 1024 * 1024  # Ray's minimum is 75 MB
BLOCK_BYTES = 256 * 1024
RECORDS_PER_CALL = 64  # default: a Ray task costs far more to schedule than a local chunk


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide: `address` None starts a local Ray for the run; "auto" or "ray://host:10001" joins a
    running cluster. One pipeline per actor, `batch_size` records per call."""

    address: str | None = None
    actors: int = 2
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0
    batch_size: int | None = None  # None: RECORDS_PER_CALL, or the largest model batch size if larger


def require():
    """The ray module, or a one-line UsageError that says how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401 - the Data library is the part used
    except ImportError:
        raise UsageError(f"--engine ray needs Ray, which is not installed. How to fix: {INSTALL}, or use the local "
                         "engine (--engine local)") from None
    return ray


def results(source, id_field: str, text_field: str, limit: int | None, done: tuple[Counter, Counter],
            config: Config, options: RayOptions) -> Iterator[tuple[str, object]]:
    """("line", Encoded output line) for every record to process and ("skipped", {"failed": bool}) for every
    record already in the output, in input order. Lines arrive encoded, so the driver only writes them."""
    from .batch import Encoded

    ray = require()
    started = not ray.is_initialized()
    quiet()
    if started:
        reachable(options.address)
        try:
            local = {"object_store_memory": LOCAL_OBJECT_STORE} if options.address is None else {}
            ray.init(address=options.address, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.ERROR, configure_logging=False, **local)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise UsageError(f"cannot start or reach Ray at {options.address or 'a new local instance'}: "
                             f"{str(exc).strip().splitlines()[0][:200]}") from None
    try:
        _check_resources(ray.cluster_resources(), options)
        from ray.data import ActorPoolStrategy, DataContext

        context = DataContext.get_current()
        context.execution_options.preserve_order = True  # output in input order, as the local engine writes it
        context.enable_progress_bars = False  # the batch command shows its own
        # small blocks: else the one read task's output is a single block of up to 128 MB, which one actor gets
        # whole while the others wait
        context.target_max_block_size = BLOCK_BYTES
        config = config.model_copy(update={"threads": config.threads or max(1, int(options.cpus_per_actor))})
        # reading is light and sequential: it must not wait for a CPU that the actors hold
        dataset = ray.data.read_datasource(_datasource(source, id_field, text_field, limit, done,
                                                       options.batch_size),
                                          override_num_blocks=1, num_cpus=0)
        # the config travels as JSON: small enough to go inline with the actor, not through the object store
        dataset = dataset.map_batches(_Pipeline, fn_constructor_args=(config.model_dump_json(),),
                                      batch_size=options.batch_size,
                                      compute=ActorPoolStrategy(size=options.actors),
                                      num_cpus=options.cpus_per_actor,
                                      num_gpus=options.gpus_per_actor or None, batch_format="pyarrow")
        for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
            for kind, code, payload in zip(*(batch.column(c).to_pylist() for c in ("kind", "code", "payload"))):
                yield kind, Encoded(payload, code or None) if kind == "line" else json.loads(payload)
    finally:
        if started:
            ray.shutdown()


def reachable(address: str | None) -> None:
    """A UsageError in one line, within CONNECT_SECONDS, when `address` ("HOST:PORT" of a cluster's head, or
    "ray://HOST:PORT" of its client server) does not answer, or when the Ray client it needs is missing; ray.init
    itself would wait for ever. None (a local Ray for the run) and "auto" need no probe."""
    if address is None or address == "auto":
        return
    client = address.startswith("ray://")
    if client:
        try:
            import grpc  # noqa: F401 - what the Ray client needs
        except ImportError:
            raise UsageError(f"--ray-address {address} needs the Ray client, which is not installed. How to fix: "
                             f"{INSTALL}") from None
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--ray-address {address}: give auto, HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise UsageError(f"cannot reach Ray at {address} within {CONNECT_SECONDS} s: "
                         f"{exc.strerror or exc.__class__.__name__}") from None


def _check_resources(cluster: dict, options: RayOptions) -> None:
    """An actor that asks for more CPUs or GPUs than the whole cluster has would wait forever: say so now."""
    for name, wanted in (("CPU", options.cpus_per_actor), ("GPU", options.gpus_per_actor)):
        have = cluster.get(name, 0)
        if wanted > have:
            raise UsageError(f"each actor asks for {wanted:g} {name}(s) but the Ray cluster has {have:g}: lower "
                             f"--{name.lower()}s-per-actor (a machine without a GPU needs --gpus-per-actor 0)")


def quiet() -> None:
    """Ray Data's own progress logs and advice go to its log files, not to the command's terminal."""
    import warnings

    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"ray\..*")


def _datasource(*args):
    """The package's reader as one Ray Data read task: rows (kind, payload) where kind is "ok" (an Article),
    "error" (its error line) or "skipped" (already in the output). Defined here so that importing this module
    does not import Ray."""
    from ray.data.block import BlockMetadata
    from ray.data.datasource import Datasource, ReadTask

    class Records(Datasource):
        def estimate_inmemory_data_size(self):
            return None

        def get_read_tasks(self, parallelism, per_task_row_limit=None, data_context=None):
            metadata = BlockMetadata(num_rows=None, size_bytes=None, exec_stats=None, input_files=None)
            return [ReadTask(lambda: _blocks(*args), metadata)]

    return Records()


def _blocks(source, id_field: str, text_field: str, limit: int | None, done: tuple[Counter, Counter], rows: int):
    """Blocks of `rows` rows (one actor call each, so the actors share the work)."""
    import pyarrow as pa

    from .batch import BatchStats, read_tasks

    stats = BatchStats()
    kinds, payloads = [], []
    for kind, item in read_tasks(source, id_field, text_field, limit, (Counter(done[0]), Counter(done[1])), stats,
                             report_skipped=True):
        kinds.append(kind)
        payloads.append(_payload(kind, item))
        if len(kinds) >= rows:
            yield pa.table({"kind": kinds, "payload": payloads})
            kinds, payloads = [], []
    if kinds:
        yield pa.table({"kind": kinds, "payload": payloads})


def _payload(kind: str, item) -> str:
    """A task as JSON text for a pyarrow string column. Text that UTF-8 cannot hold (a lone surrogate from a
    broken \\u escape) travels as ASCII escapes, so the record reaches the pipeline and gets the local engine's
    error record instead of failing the whole read."""
    data = item.model_dump() if kind == "ok" else item
    try:
        return json.dumps(data, ensure_ascii=False).encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True)


class _Pipeline:
    """One actor: the pipeline built once, then batches of rows turned into output lines."""

    def __init__(self, config: str):
        from .core import BilingualSummarizer

        self.summarizer = BilingualSummarizer(Config.model_validate_json(config))

    def __call__(self, batch):
        import pyarrow as pa

        from .batch import run_tasks, encode
        from .schema import Article

        kinds = batch.column("kind").to_pylist()
        payloads = batch.column("payload").to_pylist()
        tasks = [("ok", Article.model_validate(json.loads(p))) if k == "ok" else ("error", json.loads(p))
                 for k, p in zip(kinds, payloads) if k != "skipped"]
        lines = iter(run_tasks(self.summarizer, tasks))
        out, codes = [], []
        for kind, payload in zip(kinds, payloads):
            if kind == "skipped":
                out.append(payload.encode("utf-8"))
                codes.append("")
            else:  # the output line as the driver will write it, and its error code for the run's summary
                line = next(lines)
                out.append(encode(line))
                codes.append(line["error"]["code"] if "error" in line else "")
        return pa.table({"kind": ["skipped" if k == "skipped" else "line" for k in kinds], "code": codes,
                         "payload": out})
