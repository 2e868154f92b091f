"""Where the batch's work runs: one interface, three engines.

    with make_executor("local") as run:            # processes on this machine (the default)
        results = list(run.map(function, items))    # in the order of ``items``

- ``serial``: this process, one item after the other (small batches, debugging).
- ``local``: a process pool on this machine, one worker per core.
- ``dask-local``: a Dask LocalCluster started for the run; ``dask://host:port``: an existing
  Dask distributed scheduler. Dask is for folders one machine cannot hold; its workers need
  plancheck installed, not the documents: the batch sends each document as bytes with its
  name (``plans.loading.SourceDocument``), so no file system is shared. A task whose worker
  is lost is run again by Dask (its inputs travel with it), so the result is the same.

Every engine returns results in the order of the items, so the reports are the same bytes
whichever engine built them. ``function`` must be a module-level function (it is pickled).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from plancheck.errors import ConfigError

EXECUTOR_HELP = "local (processes, default) | serial | dask-local | dask://host:port"


class SerialExecutor:
    """Runs every item in this process."""

    name = "serial"

    def map(self, function: Callable, items: Iterable) -> Iterator:
        return map(function, items)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ProcessExecutor(SerialExecutor):
    """A pool of worker processes on this machine, one per core (started on first use)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def map(self, function: Callable, items: Iterable) -> Iterator:
        items = list(items)
        if len(items) <= 1 or self.workers <= 1:
            return map(function, items)  # not worth starting processes
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        # contiguous chunks: neighbouring items (the counties of one city) share a parent,
        # and a worker's memoised work on that parent is reused within its chunk
        chunk = max(1, len(items) // (self.workers * 4))
        return self._pool.map(function, items, chunksize=chunk)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskExecutor(SerialExecutor):
    """A Dask distributed client: a LocalCluster it starts (``address`` None) or a scheduler."""

    def __init__(self, address: str | None = None, *, workers: int = 2, processes: bool = True):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError(
                "the Dask executor needs dask[distributed]; install it (pip install 'dask[distributed]')"
            ) from None
        self.name = f"dask://{address}" if address else "dask-local"
        self._cluster = None
        if address is None:
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=processes,
                dashboard_address=None,
            )  # fmt: skip
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(f"tcp://{address}", timeout="10s")
            except OSError as err:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {address} ({err}); start it or check the address"
                ) from None

    def map(self, function: Callable, items: Iterable) -> Iterator:
        futures = self._client.map(function, list(items), pure=False)
        return (future.result() for future in futures)  # in the order of the items

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(spec: str | None = None, **options: Any) -> SerialExecutor:
    """An executor from its name (see EXECUTOR_HELP); a bad name raises ConfigError."""
    spec = (spec or "local").strip()
    if spec == "local":
        return ProcessExecutor(options.get("workers"))
    if spec == "serial":
        return SerialExecutor()
    if spec == "dask-local":
        return DaskExecutor(None, **options)
    if spec.startswith("dask://") and ":" in spec[len("dask://") :]:
        return DaskExecutor(spec[len("dask://") :])
    raise ConfigError(f"--executor {spec!r} is not one of: {EXECUTOR_HELP}")
