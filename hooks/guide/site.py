"""What the site's configuration says, read once: languages and their strings.

The language list is the i18n plugin's (``plugins: i18n: languages`` in
mkdocs.yml): adding a language means adding it there, a strings file
``hooks/strings/<code>.yml`` and content — nothing in Python or JavaScript.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import yaml

from guide.catalog import Languages

STRINGS_DIR = Path(__file__).parent.parent / "strings"


class StringsError(Exception):
    """A missing strings file or key, named so a contributor can fix it."""


def languages_from(entries: Iterable[Mapping]) -> Languages:
    """Languages from the i18n plugin's ``languages`` entries (locale, default).

    Every configured language counts, built or not (``build: false`` only skips
    its build); the ``null`` pseudo-locale of the language switcher does not.
    """
    entries = [e for e in entries if e.get("locale") != "null"]
    codes = tuple(e["locale"] for e in entries)
    default = next((e["locale"] for e in entries if e.get("default")), codes[0])
    return Languages(codes, default)


def languages(mkdocs_yml: Path) -> Languages:
    """The languages of a project, read from its mkdocs.yml without building it."""
    return _languages(str(Path(mkdocs_yml).resolve()))


@lru_cache(maxsize=8)
def _languages(path: str) -> Languages:
    from mkdocs.utils.yaml import get_yaml_loader        # knows !ENV and the python tags

    with open(path, encoding="utf-8") as f:
        config = yaml.load(f, Loader=get_yaml_loader())
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            return languages_from(plugin["i18n"]["languages"])
    raise StringsError(f"{path}: no i18n plugin with a list of languages")


def strings(lang: str, directory: Path = STRINGS_DIR) -> dict:
    """The UI strings of one language (``hooks/strings/<lang>.yml``)."""
    return _strings(lang, str(directory))


@lru_cache(maxsize=16)
def _strings(lang: str, directory: str) -> dict:
    path = Path(directory) / f"{lang}.yml"
    if not path.exists():
        raise StringsError(f"hooks/strings/{lang}.yml is missing: copy hooks/strings/en.yml and translate it")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise StringsError(f"hooks/strings/{lang}.yml{f':{mark.line + 1}' if mark else ''}: not valid YAML") from None
    if not isinstance(data, dict):
        raise StringsError(f"hooks/strings/{lang}.yml: must be a mapping of keys to strings")
    return data


def keys(data: Mapping, prefix: str = "") -> set[str]:
    """Dotted keys of a strings mapping ('difficulty.junior', ...)."""
    out = set()
    for key, value in data.items():
        out |= keys(value, f"{prefix}{key}.") if isinstance(value, Mapping) else {f"{prefix}{key}"}
    return out


def missing_keys(langs: Iterable[str], directory: Path = STRINGS_DIR) -> dict[str, list[str]]:
    """{language: keys another language has and it lacks}."""
    per_lang = {lang: keys(strings(lang, directory)) for lang in langs}
    every = set().union(*per_lang.values()) if per_lang else set()
    return {lang: sorted(every - have) for lang, have in per_lang.items() if every - have}
