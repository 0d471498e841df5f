"""A content-addressed cache of parse results, so that a second run over unchanged files skips
parsing (ruff's cache is the model): YAML and large JSON documents as located nodes.

HCL is not cached: a lark tree is rebuilt from any stored form no faster than the parse loop
builds it (measured on the corpus .tf files: parse 1.09 s; unpickling 1.65 s; rebuilding the
tree from marshalled tuples 1.11 s), since making its tokens is most of the parse.

A parser decorated with `@cached("kind")` maps text (plus plain arguments such as a path) to a
located tree. With the cache on (`enable`, which the command line does unless `--no-cache`),
each result is stored under `<user cache dir>/fglint/parse/<environment>/`, named by the SHA-256
of its kind, arguments and text. The environment digest covers what a result depends on beyond
its text: fglint's version and code (the size and time of every module), Python, lark,
python-hcl2 and PyYAML, and `settings`, which names the settings that
change what a parser returns (limits, for example).

An entry is written to a private file and renamed into place, so concurrent runs never read half
an entry. Each entry carries the SHA-256 of its body, checked before it is read, and is read with
an unpickler that builds only the tree classes (never a function or any other global): a
damaged, truncated or foreign entry is a miss, and the text is parsed again.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

MAGIC = b"fglint-parse-1\n"
MIN_TEXT = 512  # shorter texts (embedded snippets) parse faster than an entry is read
# modules whose classes an entry may hold: the located values
TREE_MODULES = ("fglint.nodes", "fglint.evaluate")


class _Store:
    def __init__(self, base: Path, settings: str) -> None:
        self.base = base
        self.settings = settings

    @functools.cached_property
    def folder(self) -> Path:
        """Named by the environment, found when the cache is first used (a run that parses
        nothing cacheable pays nothing)."""
        return self.base / "parse" / environment(self.settings)[:24]

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def get(self, key: str) -> Any:
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return _MISSING
        head = len(MAGIC) + 32
        body = data[head:]
        if data[: len(MAGIC)] != MAGIC or hashlib.sha256(body).digest() != data[len(MAGIC) : head]:
            return _MISSING
        try:
            return _TreeUnpickler(io.BytesIO(body)).load()
        except Exception:  # a foreign entry: parse again
            return _MISSING

    def put(self, key: str, value: Any) -> None:
        try:
            body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + hashlib.sha256(body).digest() + body)
            os.replace(scratch, target)
        except OSError:
            pass
        finally:
            if os.path.exists(scratch):
                os.unlink(scratch)


class _TreeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if not module.startswith(TREE_MODULES) or module not in sys.modules:
            raise pickle.UnpicklingError(f"{module}.{name} is not a tree class")
        found = getattr(sys.modules[module], name, None)
        if not isinstance(found, type) or found.__module__ != module:
            raise pickle.UnpicklingError(f"{module}.{name} is not a tree class")
        return found


_MISSING = object()
_store: _Store | None = None


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
    """The digest of everything beyond the text that a parse result depends on."""
    from importlib.metadata import PackageNotFoundError, version

    import fglint

    parts = [fglint.__version__, sys.version, settings]
    for package in ("lark", "python-hcl2", "PyYAML"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} absent")
    package_dir = Path(fglint.__file__).parent
    for folder, dirs, files in os.walk(package_dir):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                stat = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name} {stat.st_size} {stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def enable(on: bool = True, settings: str = "", folder: Path | None = None) -> None:
    """Turn the cache on (in `folder`, by default the user cache dir) or off for this process."""
    global _store
    _store = None
    if not on:
        return
    base = folder or user_cache_dir()
    if base is not None:
        _store = _Store(base, settings)


def enabled() -> bool:
    return _store is not None


def cached(
    kind: str, min_text: int = MIN_TEXT, variant: Callable[[], str] = str
) -> Callable[[F], F]:
    """Cache a parser `fn(text, *plain_args)` by content, for texts of `min_text` characters or
    more; `variant()` names what else its result depends on (PyYAML with or without libyaml).
    Calls with an argument that is not a str, int, bool or None (a position index, say) are not
    cached."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def run(text: str, *args: Any, **kwargs: Any) -> Any:
            store = _store
            plain = all(
                isinstance(a, (str, int, bool, type(None))) for a in (*args, *kwargs.values())
            )
            if store is None or len(text) < min_text or not plain:
                return fn(text, *args, **kwargs)
            named = repr((kind, variant(), args, sorted(kwargs.items())))
            call = named.encode("utf-8", "surrogatepass")
            digest = hashlib.sha256(call + b"\0" + text.encode("utf-8", "surrogatepass"))
            key = digest.hexdigest()
            found = store.get(key)
            if found is not _MISSING:
                return found
            result = fn(text, *args, **kwargs)
            store.put(key, result)
            return result

        return run  # type: ignore[return-value]

    return wrap
