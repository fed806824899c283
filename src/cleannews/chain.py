"""The cleaner chain: an ordered list of cleaners, each a plain callable over a :class:`Document`.

Cleaners are found through the ``cleannews.cleaners`` entry-point group — the built-in ones exactly as a
plugin's. A TOML config picks, orders and tunes them::

    [tool.cleannews]                 # in pyproject.toml, or top level in a --config file
    cleaners = ["ads", "teasers", "title"]
    [tool.cleannews.options.teasers]
    min_pairs = 3
"""

from __future__ import annotations

import json
import math
import sys
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

import attrs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .cleaners.base import Cleaner
from .document import Document
from .errors import CleannewsError, ConfigError, UnknownCleanerError

ENTRY_POINT_GROUP = "cleannews.cleaners"

#: the default order (see the comments inside); plugins and configs may reorder
DEFAULT_CLEANERS: tuple[str, ...] = (
    # block-local rules first: their decisions do not depend on the neighbours
    "ads",
    "prompts",
    "comment_form",
    "forum",
    "metadata_lines",
    # then cleaners that read runs and neighbours among the blocks still free
    "related",
    "donations",
    "teasers",
    "category_tag",
    "author_bio",
    "comments",
    # text mode: the whole-page model labels the chrome no rule named (menus, footers, teasers)
    "page_model",
    "title",
    "byline",
    "story",
)


@lru_cache(maxsize=1)
def registry() -> Mapping[str, EntryPoint]:
    """Every registered cleaner by name (built-in and plugins)."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available() -> list[str]:
    return sorted(registry())


def load(name: str, options: Mapping[str, Any] | None = None) -> Cleaner:
    """Make the cleaner registered as ``name`` with ``options``; unknown names and options are errors."""
    found = registry().get(name)
    if found is None:
        valid = ", ".join(available()) or "none (is cleannews installed? try `pip install -e .`)"
        raise UnknownCleanerError(
            f"unknown cleaner {name!r}; valid cleaners: {valid}. "
            f"Plugins register under the {ENTRY_POINT_GROUP!r} entry-point group."
        )
    factory = found.load()
    opts = dict(options or {})
    if attrs.has(factory):
        valid_opts = {f.name for f in attrs.fields(factory) if f.init}
        unknown = sorted(set(opts) - valid_opts)
        if unknown:
            raise ConfigError(
                f"cleaner {name!r} has no option(s) {', '.join(unknown)}; "
                f"its options are: {', '.join(sorted(valid_opts)) or 'none'}"
            )
        check_options(name, factory, opts)
    try:
        cleaner = factory(**opts)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"cleaner {name!r} rejected its options {opts}: {exc}") from None
    if not callable(cleaner):
        raise ConfigError(f"entry point {name!r} ({found.value}) did not make a callable cleaner")
    return cleaner  # type: ignore[no-any-return]


_TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string", type(None): "none"}


def _accepted(annotation: Any) -> tuple[type, ...] | None:
    """The plain types an option's annotation allows (``int``, ``str | None`` …); ``None`` when it is
    something else, which is then not checked here (the cleaner checks it)."""
    if isinstance(annotation, type) and annotation in _TYPE_NAMES:
        return (annotation,)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        parts = [_accepted(arg) for arg in typing.get_args(annotation)]
        if all(part is not None for part in parts):
            return tuple(t for part in parts if part is not None for t in part)
    return None


def _toml(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, str) else repr(value)


def check_options(name: str, factory: type, options: Mapping[str, Any]) -> None:
    """:class:`ConfigError` unless each option's value has its field's type (an int is a float too; a
    bool is not a number), numbers are not negative, and shares (``*_share``) are at most 1: a config
    is wrong when it is loaded, not once per document."""
    try:
        attrs.resolve_types(factory)
    except Exception:  # pragma: no cover - a plugin's annotation that cannot be resolved: not checked
        return
    for field in attrs.fields(factory):
        if field.name not in options:
            continue
        value = options[field.name]
        accepted = _accepted(field.type)
        if accepted is None:
            continue
        fits = any(
            isinstance(value, t) and not (t in (int, float) and isinstance(value, bool))
            for t in (*accepted, *((int,) if float in accepted else ()))
        )
        what = " or ".join(_TYPE_NAMES[t] for t in accepted if t is not type(None))
        default = f" (its default: {field.name} = {_toml(field.default)})" if field.default is not attrs.NOTHING else ""
        if not fits:
            raise ConfigError(
                f"cleaner {name!r}: option {field.name} must be {what}, not {value!r} ({type(value).__name__}){default}"
            )
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value) or value < 0:
                raise ConfigError(f"cleaner {name!r}: option {field.name} must be at least 0, not {value!r}{default}")
            if field.name.endswith("_share") and value > 1:
                raise ConfigError(f"cleaner {name!r}: option {field.name} is a share, 0 to 1, not {value!r}{default}")


class Chain:
    """Runs cleaners in order over a document.

    A cleaner that raises on some document does not stop the chain: its labels for that document are
    dropped, and a warning names it (like spaCy's per-component error handler).
    """

    def __init__(self, cleaners: Sequence[Cleaner]) -> None:
        if isinstance(cleaners, str):
            raise TypeError(f"Chain() takes a list of cleaners, not a string: Chain.from_names([{cleaners!r}])")
        self.cleaners: tuple[Cleaner, ...] = tuple(cleaners)
        names = [c for c in self.cleaners if isinstance(c, str)]
        if names:
            raise TypeError(
                f"Chain() takes cleaners, not their names ({', '.join(map(repr, names))}): "
                f"Chain.from_names({[getattr(c, 'name', c) for c in self.cleaners]!r}) makes the registered "
                "cleaners by name"
            )
        for cleaner in self.cleaners:
            if not callable(cleaner):
                raise TypeError(
                    f"Chain() takes cleaners, callables over a Document; {cleaner!r} ({type(cleaner).__name__}) "
                    "is not one (see docs/plugins.md)"
                )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(getattr(c, "name", type(c).__name__) for c in self.cleaners)

    def __repr__(self) -> str:
        return f"Chain({list(self.names)!r})"

    @classmethod
    def from_names(cls, names: Iterable[str], options: Mapping[str, Mapping[str, Any]] | None = None) -> Chain:
        names = list(names)
        options = dict(options or {})
        stray = sorted(set(options) - set(names))
        if stray:
            raise ConfigError(f"options given for cleaner(s) not in the chain: {', '.join(stray)}")
        return cls([load(n, options.get(n)) for n in names])

    @classmethod
    def default(cls) -> Chain:
        return _default_chain()

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | str | Path) -> Chain:
        """A chain from a config mapping, or from a TOML file (``[tool.cleannews]`` or top level)."""
        if not isinstance(config, Mapping):
            config = read_config(Path(config))
        allowed = {"cleaners", "options"}
        unknown = sorted(set(config) - allowed)
        if unknown:
            raise ConfigError(f"unknown config key(s) {', '.join(unknown)}; allowed: cleaners, options")
        names = config.get("cleaners", DEFAULT_CLEANERS)
        if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
            raise ConfigError("'cleaners' must be a list of cleaner names")
        options = config.get("options", {})
        if not isinstance(options, Mapping):
            raise ConfigError("'options' must be a table of tables, one per cleaner")
        return cls.from_names(names, options)

    def __call__(self, doc: Document) -> Document:
        for cleaner in self.cleaners:
            before = list(doc.labels)
            try:
                cleaner(doc)
            except CleannewsError:
                raise
            except Exception as exc:  # a cleaner's bug must not lose the document
                doc.labels = before
                doc.warn(f"cleaner {getattr(cleaner, 'name', cleaner)!r} failed and was skipped: {exc!r}")
        return doc


@lru_cache(maxsize=1)
def _default_chain() -> Chain:
    return Chain.from_names(DEFAULT_CLEANERS)


def read_config(path: Path) -> Mapping[str, Any]:
    """The cleannews table of a TOML file: ``[tool.cleannews]`` if present, else the top level."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {str(path)!r} does not exist") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {str(path)!r} is not UTF-8 (byte {exc.start}): TOML files are UTF-8; save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {str(path)!r}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {str(path)!r} is not valid TOML: {exc}") from None
    section = data.get("tool", {}).get("cleannews")
    return section if isinstance(section, Mapping) else data


def project_config(start: Path | None = None) -> Mapping[str, Any] | None:
    """``[tool.cleannews]`` of the nearest pyproject.toml above ``start`` (the working directory)."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        file = candidate / "pyproject.toml"
        if file.is_file():
            try:
                data = tomllib.loads(file.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError):
                return None
            section = data.get("tool", {}).get("cleannews")
            return section if isinstance(section, Mapping) else None
    return None
