"""An order-preserving process pool with per-item deadlines, crash recovery and a bounded window.

Why not :class:`multiprocessing.Pool` or :class:`concurrent.futures.ProcessPoolExecutor`: neither can
time out one task (``Pool`` cannot kill a worker stuck in C code; the executor's timeout only stops
waiting), and a worker that dies takes the whole executor down (``BrokenProcessPool``) without saying
which task killed it. Here every worker has its own pipe, so the pool always knows which item each
worker is on and since when:

- items go out in small chunks (fewer round trips for small documents); a worker sends a reply per
  item, so the pool knows when each item starts (when the reply before it arrives);
- an item running longer than ``timeout`` gets its worker killed; a worker that dies (``os._exit``,
  a segfault, the OOM killer) is noticed through its sentinel. Either way that item becomes an error
  :class:`Outcome`, the rest of the chunk is sent again, and a new worker takes the dead one's place;
- results come back in input order; at most ``window`` items are read ahead of the oldest unfinished
  one, so memory stays flat however long the input is.

``jobs=1`` without a timeout runs in the calling process (:func:`serial_map`): no isolation, no IPC.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

import attrs

T = TypeVar("T")
R = TypeVar("R")

#: a worker that dies this many times in a row without having started an item means something is wrong
#: with the environment, not with the data: the pool gives up instead of restarting forever
MAX_IDLE_DEATHS = 5


@attrs.frozen
class Outcome(Generic[T, R]):
    """The result for the item at ``index``: ``value``, or ``error`` (then ``item`` is the input)."""

    index: int
    value: R | None = None
    error: str | None = None
    item: T | None = None


def describe(exc: BaseException) -> str:
    """``ValueError: message`` — the last line of the traceback, for an error record."""
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def serial_map(fn: Callable[[T], R], items: Iterable[T]) -> Iterator[Outcome[T, R]]:
    """``fn`` over ``items`` in this process; an exception becomes an error outcome."""
    for index, item in enumerate(items):
        try:
            yield Outcome(index, fn(item))
        except Exception as exc:
            yield Outcome(index, None, f"internal error: {describe(exc)}", item)


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_of(pid: int) -> int:
    """Resident memory of a process in bytes (Linux; 0 where /proc is missing)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _context() -> Any:
    # fork starts a worker in milliseconds with everything already imported (trafilatura takes ~1 s to
    # import); elsewhere spawn, which needs ``fn`` to be picklable (a module-level function or partial).
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return mp.get_context(method)


def _worker_main(conn: Connection, parent_end: Connection, fn: Callable[[Any], Any]) -> None:
    """A worker: receive chunks of (index, item), reply (index, value, error) per item."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent_end.close()
    parent = os.getppid()
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:  # the parent died without closing the pipe
                    return
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for index, item in chunk:
            try:
                reply: tuple[int, Any, str | None] = (index, fn(item), None)
            except Exception as exc:
                reply = (index, None, f"internal error: {describe(exc)}")
            try:
                conn.send(reply)
            except (EOFError, OSError):
                return
            except Exception as exc:  # the value could not be pickled
                conn.send((index, None, f"internal error: result not sendable: {describe(exc)}"))


class _Worker:
    def __init__(self, ctx: Any, fn: Callable[[Any], Any]) -> None:
        self.conn, child_end = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child_end, self.conn, fn), daemon=True)
        self.proc.start()
        child_end.close()
        self.inflight: deque[tuple[int, Any]] = deque()
        self.started = 0.0  # when the head of ``inflight`` started
        self.done = 0

    def exit_note(self) -> str:
        self.proc.join(1.0)
        code = self.proc.exitcode
        if code is None:
            return "worker stopped responding"
        if code < 0:
            try:
                return f"worker crashed (killed by {signal.Signals(-code).name})"
            except ValueError:
                return f"worker crashed (killed by signal {-code})"
        return f"worker crashed (exit code {code})"

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5.0)
        self.conn.close()


class OrderedPool(Generic[T, R]):
    """Map ``fn`` over items in ``jobs`` worker processes; see the module docstring.

    ``weight(item)`` is an item's size in bytes, used to keep chunks small (``chunk_bytes``).
    ``max_tasks`` restarts a worker after that many items, ``max_rss`` (bytes) once its resident memory
    is above that between items: a page that made a worker's heap balloon does not keep it big for
    the rest of the run, and slow leaks in parsers cannot add up.
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        fn: Callable[[T], R],
        jobs: int,
        *,
        timeout: float | None = None,
        window: int | None = None,
        chunk: int = 8,
        chunk_bytes: int = 1 << 20,
        weight: Callable[[T], int] | None = None,
        max_tasks: int | None = None,
        max_rss: int | None = None,
    ) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.fn = fn
        self.jobs = jobs
        self.timeout = timeout if timeout and timeout > 0 else None
        self.chunk = max(1, chunk)
        self.window = max(window or jobs * self.chunk * 8, jobs * self.chunk)
        self.chunk_bytes = chunk_bytes
        self.weight = weight
        self.max_tasks = max_tasks
        self.max_rss = max_rss
        self.restarts = 0
        self._ctx = _context()
        self._workers: list[_Worker] = []
        self._idle_deaths = 0

    def __enter__(self) -> OrderedPool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers: idle ones are told to exit, busy ones are killed."""
        for worker in self._workers:
            if not worker.inflight and worker.proc.is_alive():
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        deadline = time.monotonic() + 2.0
        for worker in self._workers:
            if not worker.inflight:
                worker.proc.join(max(0.0, deadline - time.monotonic()))
            worker.kill()
        self._workers = []

    def _start(self) -> _Worker:
        return _Worker(self._ctx, self.fn)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._workers[self._workers.index(worker)] = self._start()
        self.restarts += 1

    def imap(self, items: Iterable[T]) -> Iterator[Outcome[T, R]]:
        """Outcomes in input order, reading ``items`` lazily."""
        while len(self._workers) < self.jobs:
            self._workers.append(self._start())
        feed = enumerate(items)
        exhausted = False
        taken = 0  # items read from ``feed``
        emitted = 0  # outcomes yielded
        retry: deque[tuple[int, T]] = deque()
        ready: dict[int, Outcome[T, R]] = {}

        def take() -> list[tuple[int, T]]:
            nonlocal exhausted, taken
            out: list[tuple[int, T]] = []
            size = 0
            while len(out) < self.chunk and size < self.chunk_bytes:
                if retry:
                    entry = retry.popleft()
                elif not exhausted and taken - emitted < self.window:
                    try:
                        entry = next(feed)
                    except StopIteration:
                        exhausted = True
                        break
                    taken += 1
                else:
                    break
                out.append(entry)
                size += self.weight(entry[1]) if self.weight else 1
            return out

        def fail_head(worker: _Worker, error: str) -> None:
            if worker.inflight:
                index, item = worker.inflight.popleft()
                ready[index] = Outcome(index, None, error, item)
                self._idle_deaths = 0
            else:
                self._idle_deaths += 1
                if self._idle_deaths >= MAX_IDLE_DEATHS:
                    raise RuntimeError(f"cleannews workers keep dying before doing any work: {error}")
            retry.extendleft(reversed(worker.inflight))
            worker.inflight.clear()
            self._replace(worker)

        def drain(worker: _Worker) -> bool:
            """Receive every reply waiting; False when the worker is gone."""
            try:
                while worker.inflight and worker.conn.poll():
                    index, value, error = worker.conn.recv()
                    head_index, item = worker.inflight.popleft()
                    if index != head_index:  # pragma: no cover - protocol error
                        raise RuntimeError(f"worker replied for item {index}, expected {head_index}")
                    ready[index] = Outcome(index, value, error, item if error else None)
                    worker.started = time.monotonic()
                    worker.done += 1
            except (EOFError, OSError):
                return False
            return True

        while True:
            while emitted in ready:
                yield ready.pop(emitted)
                emitted += 1
            while (worker := self._pick_idle()) is not None:
                if worker.done and (
                    (self.max_tasks and worker.done >= self.max_tasks)
                    or (self.max_rss and rss_of(worker.proc.pid) > self.max_rss)
                ):
                    self._replace(worker)  # recycled: the new worker is idle and picked next
                    continue
                chunk = take()
                if not chunk:
                    break
                worker.inflight.extend(chunk)
                worker.started = time.monotonic()
                try:
                    worker.conn.send(chunk)
                except (EOFError, OSError):  # it died while idle: the chunk is not to blame
                    worker.inflight.clear()
                    retry.extendleft(reversed(chunk))
                    fail_head(worker, worker.exit_note())
                except Exception:  # an item that cannot be pickled (nothing was written)
                    worker.inflight.clear()
                    sendable = []
                    for index, item in chunk:
                        try:
                            pickle.dumps(item)
                            sendable.append((index, item))
                        except Exception as exc:
                            ready[index] = Outcome(index, None, f"cannot hand to a worker: {describe(exc)}", item)
                    retry.extendleft(reversed(sendable))
            busy = [w for w in self._workers if w.inflight]
            if not busy:
                if exhausted and not retry:
                    if ready:  # pragma: no cover - cannot happen: the oldest item is always busy or ready
                        raise RuntimeError("pool lost track of an item")
                    return
                continue
            timeout = None
            if self.timeout is not None:
                nearest = min(w.started for w in busy) + self.timeout
                timeout = max(0.0, nearest - time.monotonic())
            wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout)
            now = time.monotonic()
            for worker in busy:
                alive = drain(worker)
                if alive and not worker.proc.is_alive():
                    drain(worker)  # replies it sent just before dying
                    alive = False
                if not alive:
                    if worker.inflight:
                        fail_head(worker, worker.exit_note())
                    else:
                        self._replace(worker)
                elif self.timeout is not None and worker.inflight and now - worker.started >= self.timeout:
                    worker.proc.kill()
                    fail_head(worker, f"timed out after {self.timeout:g} s (worker killed and replaced)")

    def _pick_idle(self) -> _Worker | None:
        for worker in self._workers:
            if not worker.inflight:
                return worker
        return None
