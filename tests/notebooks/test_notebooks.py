"""Every notebook runs from a clean kernel, offline, within the time budget.

Executing here also fills the cache the site build reuses, so a clean
`make test` runs each notebook once.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from guide import notebook_tools as tools
from guide import site

BUDGET_SECONDS = 120
NAMES = tools.names()


@pytest.fixture(scope="module")
def executed() -> dict:
    """Every notebook executed from a clean kernel, one per core at a time: {name: notebook or error},
    plus the wall time of the whole run. Each result also fills the cache the site build reuses."""
    def run(name):
        path = tools.source_path(name)
        try:
            nb = tools.execute(path)         # raises NotebookError naming file and cell
        except tools.NotebookError as exc:
            return name, exc
        tools.store(path, nb)
        return name, nb

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = dict(pool.map(run, NAMES))
    results["__seconds__"] = time.monotonic() - started
    return results


def test_there_are_notebooks():
    assert {"tfidf", "attention", "sampling", "metrics", "param-counts"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_executes_without_errors(executed, name):
    nb = executed[name]
    assert not isinstance(nb, Exception), str(nb)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert errors == []


def test_all_notebooks_fit_the_budget(executed):
    assert executed["__seconds__"] <= BUDGET_SECONDS, f"notebooks took {executed['__seconds__']:.1f} s"


@pytest.mark.parametrize("name", NAMES)
def test_every_language_gets_prose_and_the_same_code(name):
    nb = tools.read(tools.source_path(name))
    per_lang = {lang: tools.for_language(nb, lang) for lang in site.languages(tools.ROOT / "mkdocs.yml").codes}
    codes = {lang: [c.source for c in v.cells if c.cell_type == "code"] for lang, v in per_lang.items()}
    assert codes["ru"] == codes["en"]
    for lang, projected in per_lang.items():
        prose = [c for c in projected.cells if c.cell_type == "markdown"]
        assert prose, f"{name}: no {lang} text"
        assert tools.title(projected), f"{name}: no '# ' title in {lang}"
    ru_md = sum(c.cell_type == "markdown" and c.metadata.get("lang") == "ru" for c in nb.cells)
    en_md = sum(c.cell_type == "markdown" and c.metadata.get("lang") == "en" for c in nb.cells)
    assert ru_md == en_md, f"{name}: {ru_md} Russian vs {en_md} English markdown cells"


@pytest.mark.parametrize("name", NAMES)
def test_colab_copies_are_fresh(name):
    for lang in site.languages(tools.ROOT / "mkdocs.yml").codes:
        committed = tools.SOURCES / "ipynb" / f"{name}.{lang}.ipynb"
        assert committed.exists(), f"run `make notebooks` to create {committed.name}"
        assert committed.read_text(encoding="utf-8") == tools.colab_copy(name, lang), \
            f"{committed.name} is stale: run `make notebooks NB={name}`"


def test_failing_notebook_names_file_and_cell(tmp_path):
    src = tmp_path / "bad.py"
    src.write_text('# %% [markdown] lang="en"\n# # Bad\n\n# %%\nimport math\n\n# %%\nmath.sqrt(-1)\n', encoding="utf-8")
    with pytest.raises(tools.NotebookError) as err:
        tools.execute(src)
    message = str(err.value)
    assert "bad.py" in message and "code cell 2" in message and "ValueError" in message
    assert "\n" not in message
