"""Notebooks: execute the jupytext sources once, keep the results, split by language.

Sources live in ``notebooks/<name>.py`` (jupytext percent format).  Code cells
are shared; each markdown cell is written twice, marked ``lang="ru"`` or
``lang="en"`` in its cell header.  Executing a notebook is the slow part, so
the executed notebook (all languages) is cached under ``.cache/notebooks``
(``$GUIDE_CACHE_DIR/notebooks`` when that is set: test fixtures and parallel
builds keep their own caches) keyed by a hash of the source; every language is then a cheap projection.

No MkDocs imports: used by the build hook and by ``scripts/notebooks.py``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterable, Optional

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "notebooks"
CACHE = Path(os.environ.get("GUIDE_CACHE_DIR") or ROOT / ".cache") / "notebooks"
COLAB_DIR = SOURCES / "ipynb"
TIMEOUT = 120          # seconds per cell
CACHE_VERSION = "1"    # bump when the projection or execution settings change


class NotebookError(Exception):
    """A notebook that cannot be read or raises, named with file and cell."""


def names(sources: Path = SOURCES) -> list[str]:
    return sorted(p.stem for p in sources.glob("*.py"))


def source_path(name: str, sources: Path = SOURCES) -> Path:
    return sources / f"{name}.py"


def source_hash(path: Path) -> str:
    digest = hashlib.sha256(CACHE_VERSION.encode() + path.read_bytes()).hexdigest()
    return digest[:16]


def read(path: Path) -> nbformat.NotebookNode:
    try:
        nb = jupytext.read(path, fmt="py:percent")
    except Exception as exc:  # jupytext raises many kinds
        raise NotebookError(f"{_rel(path)}: cannot be read as a jupytext percent script: {exc}") from None
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def execute(path: Path, timeout: int = TIMEOUT) -> nbformat.NotebookNode:
    """Run a notebook from a clean kernel; raise NotebookError on the first failing cell."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = read(path)
    # IPC transport: a local kernel needs no TCP ports (and logs no TCP warning);
    # its sockets live in a private temporary folder.
    sockets = tempfile.mkdtemp(prefix="nb-kernel-")
    km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
    client = NotebookClient(nb, km=km, timeout=timeout, allow_errors=False, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        raise NotebookError(f"{_rel(path)}: {_failing_cell(nb)}raised {exc.ename}: {exc.evalue}") from None
    except CellTimeoutError:
        raise NotebookError(f"{_rel(path)}: {_failing_cell(nb)}ran longer than {timeout} s") from None
    except Exception as exc:
        raise NotebookError(f"{_rel(path)}: could not be executed: {type(exc).__name__}: {exc}") from None
    finally:
        if km.has_kernel:              # a kernel we pass in is ours to stop
            km.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)
    return nb


def _failing_cell(nb) -> str:
    """'code cell 3 (line 42) ' for the last cell that produced an error or was left unfinished."""
    code_no = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code_no += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            return f"code cell {code_no} (`{first[:60]}`) "
    return ""


def _cache_file(path: Path, cache: Path) -> Path:
    return cache / f"{path.stem}-{source_hash(path)}.ipynb"


def store(path: Path, nb: nbformat.NotebookNode, cache: Path = CACHE) -> None:
    """Remember an executed notebook so builds reuse it until the source changes."""
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob(f"{path.stem}-*.ipynb"):
        old.unlink()
    nbformat.write(nb, _cache_file(path, cache))


def cached_execution(path: Path, cache: Path = CACHE, log=None) -> nbformat.NotebookNode:
    """The executed notebook for ``path``, executing only when the source changed."""
    target = _cache_file(path, cache)
    if target.exists():
        return nbformat.read(target, as_version=4)
    started = time.monotonic()
    nb = execute(path)
    store(path, nb, cache)
    if log:
        log(f"executed {_rel(path)} in {time.monotonic() - started:.1f} s")
    return nb


def for_language(nb: nbformat.NotebookNode, lang: str, keep_outputs: bool = True) -> nbformat.NotebookNode:
    """The notebook a reader of ``lang`` gets: shared code + that language's prose."""
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        cell_lang = cell.metadata.get("lang")
        if cell.cell_type == "markdown" and cell_lang not in (None, lang):
            continue
        cell.metadata.pop("lang", None)
        if cell.cell_type == "code" and not keep_outputs:
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    out.cells = cells
    out.metadata.pop("jupytext", None)
    out.metadata["language"] = lang
    return out


def language_copy(name: str, lang: str, cache: Path = CACHE) -> Path:
    """Where the build keeps a language's executed notebook (see hooks/notebooks.py)."""
    return cache / lang / "notebooks" / f"{name}.ipynb"


def language_title(name: str, lang: str) -> str:
    """The notebook's '# ' heading in ``lang``, or its name before the first build."""
    path = language_copy(name, lang)
    found = title(nbformat.read(path, as_version=4)) if path.exists() else None
    return found or name


def title(nb: nbformat.NotebookNode) -> Optional[str]:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def dumps(nb: nbformat.NotebookNode) -> str:
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def colab_copy(name: str, lang: str, sources: Path = SOURCES) -> str:
    """Text of ``notebooks/ipynb/<name>.<lang>.ipynb``: the source without outputs.

    These files are committed so that "Open in Colab" can load them from the
    repository; ``make notebooks`` regenerates them and a test keeps them fresh.
    """
    nb = read(source_path(name, sources))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.pop("id", None)
    nb.nbformat_minor = 4          # no cell ids: stable text for review
    return dumps(for_language(nb, lang, keep_outputs=False))


def write_colab_copies(names_: Iterable[str], langs: Iterable[str], sources: Path = SOURCES) -> list[Path]:
    written = []
    target_dir = sources / "ipynb"
    target_dir.mkdir(exist_ok=True)
    for name in names_:
        for lang in langs:
            target = target_dir / f"{name}.{lang}.ipynb"
            text = colab_copy(name, lang, sources)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
                written.append(target)
    return written
