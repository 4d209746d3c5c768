"""UI strings: one file per language (hooks/strings/<lang>.yml), the same keys and placeholders in each,
every key the templates and hooks use defined, and the language list read from mkdocs.yml."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from guide import site

ROOT = Path(__file__).resolve().parents[2]
LANGS = site.languages(ROOT / "mkdocs.yml")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def flat(data: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in data.items():
        out.update(flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
    return out


def test_languages_come_from_the_i18n_configuration():
    assert LANGS.codes == ("ru", "en") and LANGS.default == "ru"
    assert LANGS.prefix("ru") == "" and LANGS.prefix("en") == "en/"


def test_every_language_has_a_strings_file_with_every_key():
    assert {p.stem for p in site.STRINGS_DIR.glob("*.yml")} >= set(LANGS.codes)
    assert site.missing_keys(LANGS.codes) == {}


def test_every_level_has_a_label_in_the_catalogs_order():
    from guide.catalog import DIFFICULTIES

    for lang in LANGS.codes:       # the filters list the levels from the strings file, in its order
        assert tuple(site.strings(lang)["difficulty"]) == DIFFICULTIES, f"{lang}.yml: difficulty"


@pytest.mark.parametrize("lang", LANGS.codes)
def test_placeholders_are_the_same_in_every_language(lang):
    reference = flat(site.strings(LANGS.default))
    for key, text in flat(site.strings(lang)).items():
        assert isinstance(text, str), f"{lang}.yml: {key} must be a string"
        assert placeholders(text) == placeholders(reference[key]), f"{lang}.yml: {key}"


def test_every_key_the_templates_and_hooks_use_is_defined():
    keys = site.keys(site.strings(LANGS.default))
    used = set()
    for template in (ROOT / "overrides" / "guide").glob("*"):
        used |= set(re.findall(r"strings\.([a-z_]+)", template.read_text(encoding="utf-8")))
        used |= {f"{a}.{b}" for a, b in re.findall(r"strings\.([a-z_]+)\[['\"]([\w-]+)['\"]\]", template.read_text(encoding="utf-8"))}
    for module in [*(ROOT / "hooks").glob("*.py"), *(ROOT / "hooks" / "guide").glob("*.py"), ROOT / "scripts" / "new_question.py"]:
        used |= set(re.findall(r"(?:strings|labels\([^)]*\))\[[\"']([a-z_]+)[\"']\]", module.read_text(encoding="utf-8")))
    nested = {k.split(".")[0] for k in keys}
    missing = sorted(k for k in used if k not in keys and k not in nested)
    assert missing == []


def test_a_missing_strings_file_is_named(tmp_path):
    with pytest.raises(site.StringsError, match=r"hooks/strings/de.yml is missing"):
        site.strings("de", tmp_path)
