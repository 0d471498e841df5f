"""Where the model cache keeps its entries, and how one is read back safely (ruff's cache is the
model; what an entry holds and when it is used: `fglint.saved`).

With the cache on (`enable`, which the command line does unless `--no-cache`), entries live
under `<user cache dir>/fglint/model/<environment>/`, each named by a key its caller makes. The
environment digest covers what a result depends on beyond the files it read: fglint's version
and code, and lark's, python-hcl2's and PyYAML's (the size and time of every module, libyaml's
binding included), Python, and `settings`.

An entry is written to a private file and renamed into place, so concurrent runs never read half
an entry. Each entry carries the SHA-256 of its body, checked before it is read, and is read with
an unpickler that builds only fglint's value and model classes (never a function or any other
global): a damaged, truncated or foreign entry is a miss, and the file is loaded again.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import io
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAGIC = b"fglint-model-1\n"
# modules whose classes an entry may hold: the located values and the model
TREE_MODULES = ("fglint.nodes", "fglint.evaluate", "fglint.model")


class Store:
    def __init__(self, base: Path, settings: str) -> None:
        self.base = base
        self.settings = settings

    @functools.cached_property
    def folder(self) -> Path:
        """Named by the environment, found when the cache is first used. Using it marks it
        used and removes the folders of environments unused for `UNUSED_DAYS` (an older
        fglint, other settings), so the cache does not grow with every upgrade."""
        folder = self.base / "model" / environment(self.settings)[:24]
        prune(folder)
        return folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def get(self, key: str) -> bytes | None:
        """The entry's body, when it is there and whole."""
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + 32
        body = data[head:]
        if data[: len(MAGIC)] != MAGIC or hashlib.sha256(body).digest() != data[len(MAGIC) : head]:
            return None
        return body

    def put(self, key: str, body: bytes) -> None:
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        write_whole(target, MAGIC + hashlib.sha256(body).digest() + body)


UNUSED_DAYS = 30
USED = "used"  # a file in each environment's folder, touched by each run that uses it


def prune(folder: Path, now: float | None = None) -> None:
    """Mark `folder` used now, and remove its siblings unused for `UNUSED_DAYS`. Never fails:
    a folder another run removes or writes meanwhile is only a cache miss."""
    now = time.time() if now is None else now
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / USED).touch()
        os.utime(folder / USED, (now, now))
        siblings = [entry for entry in folder.parent.iterdir() if entry.name != folder.name]
    except OSError:
        return
    for sibling in siblings:
        try:
            used = (sibling / USED).stat().st_mtime
        except OSError:
            try:
                used = sibling.stat().st_mtime
            except OSError:
                continue
        if (
            now - used > UNUSED_DAYS * 86400
            and os.path.isdir(sibling)
            and not os.path.islink(sibling)
        ):
            shutil.rmtree(sibling, ignore_errors=True)


def write_whole(target: Path, data: bytes) -> None:
    """`data` written to a private file beside `target`, then moved in place, so that parallel
    runs never read half a file; nothing is written when the folder refuses it."""
    try:
        handle, scratch = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(scratch, target)
    except OSError:
        pass
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)


def dumps(value: Any, name: Callable[[Any], str | None] | None = None) -> bytes | None:
    """`value` pickled, or None when it cannot be. An object `name` names is stored as that
    name, for `loads` to find again."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    if name is not None:
        pickler.persistent_id = name  # type: ignore[method-assign]
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return out.getvalue()


def loads(body: bytes, find: Callable[[str], Any] | None = None) -> Any:
    """An entry's value, built from fglint's value and model classes only (and what `find`
    returns for a name `dumps` stored); raises `pickle.UnpicklingError` (or another error)
    for anything else."""
    reader = _TreeUnpickler(io.BytesIO(body))
    reader.find = find
    return reader.load()


class _TreeUnpickler(pickle.Unpickler):
    find: Callable[[str], Any] | None = None

    def persistent_load(self, pid: Any) -> Any:
        found = self.find(pid) if self.find is not None and isinstance(pid, str) else None
        if found is None:
            raise pickle.UnpicklingError(f"{pid!r} is not here")
        return found

    def find_class(self, module: str, name: str) -> Any:
        # a tree module the run has not imported yet (a warm run evaluates nothing, so
        # `fglint.evaluate.values` is not loaded) is imported: it is fglint's own code
        if not any(module == tree or module.startswith(tree + ".") for tree in TREE_MODULES):
            raise pickle.UnpicklingError(f"{module}.{name} is not a tree class")
        try:
            importlib.import_module(module)
        except ImportError:
            raise pickle.UnpicklingError(f"{module}.{name} is not a tree class") from None
        found = getattr(sys.modules[module], name, None)
        if not isinstance(found, type) or found.__module__ != module:
            raise pickle.UnpicklingError(f"{module}.{name} is not a tree class")
        return found


_store: Store | None = None


def user_cache_dir() -> Path | None:
    """`$XDG_CACHE_HOME/fglint` or `~/.cache/fglint`; None when it cannot be made."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "fglint"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def environment(settings: str = "") -> str:
    """The digest of everything beyond the files read that a result depends on."""
    from importlib.util import find_spec

    import fglint

    parts = [fglint.__version__, sys.version, settings, *_code(Path(fglint.__file__).parent)]
    # the parsers' installed code, file by file (their versions without importlib.metadata,
    # which costs a warm run a tenth of its time), and whether PyYAML's libyaml binding is there
    for module in ("lark", "hcl2", "yaml"):
        spec = find_spec(module)  # without importing it
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        parts.append(f"{module} {'found' if folders else 'absent'}")
        parts += [line for folder in folders for line in _code(Path(folder))]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _code(package: Path) -> list[str]:
    """Each code or data file of a package folder, with its size and time."""
    found = []
    for folder, dirs, files in os.walk(package):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".py", ".json", ".lark", ".so", ".pyd")):
                stat = os.stat(os.path.join(folder, name))
                found.append(f"{folder}/{name} {stat.st_size} {stat.st_mtime_ns}")
    return found


def enable(on: bool = True, settings: str = "", folder: Path | None = None) -> None:
    """Turn the cache on (in `folder`, by default the user cache dir) or off for this process."""
    global _store
    _store = None
    if not on:
        return
    base = folder or user_cache_dir()
    if base is not None:
        _store = Store(base, settings)


def store() -> Store | None:
    """Where entries go, or None when the cache is off."""
    return _store


def enabled() -> bool:
    return _store is not None
