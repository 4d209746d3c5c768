"""scripts/new_question.py on a small, valid docs tree built in tmp_path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "new_question.py"
sys.path.insert(0, str(ROOT / "hooks"))

from guide import catalog  # noqa: E402

ANSWER = {
    "ru": "/// answer | Ответ\n\n## Коротко {#short}\n\n"
          + "Короткий ответ из простых слов, которых здесь заведомо больше сорока. " * 6 + "\n///\n",
    "en": "/// answer | Answer\n\n## In short {#short}\n\n"
          + "A short answer made of plain words, well over forty of them in total. " * 6 + "\n///\n",
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def question(qid: str, title: str, answer: str = "") -> str:
    return f"---\nid: {qid}\ntitle: {title}\ndifficulty: junior\ntags: [metrics]\n---\n\n{answer}"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """One part, one section, two questions (ids 3 and 7) in both languages."""
    root = tmp_path / "docs"
    write(root / "index.ru.md", "---\ntitle: Главная\n---\n\nПривет.\n")
    write(root / "index.en.md", "---\ntitle: Home\n---\n\nHello.\n")
    write(root / "basics/index.ru.md", "---\ntitle: Основы\norder: 1\n---\n")
    write(root / "basics/index.en.md", "---\ntitle: Basics\norder: 1\n---\n")
    write(root / "basics/metrics/index.ru.md", "---\ntitle: Метрики\norder: 1\n---\n")
    write(root / "basics/metrics/index.en.md", "---\ntitle: Metrics\norder: 1\n---\n")
    write(root / "basics/metrics/bleu.ru.md", question("3", "Что такое BLEU", ANSWER["ru"]))
    write(root / "basics/metrics/bleu.en.md", question("3", "What BLEU is", ANSWER["en"]))
    write(root / "basics/metrics/rouge.ru.md", question("7", "Что такое ROUGE"))
    write(root / "basics/metrics/rouge.en.md", question("7", "What ROUGE is"))
    catalog.load_catalog(root)      # the fixture itself must be valid
    return root


def run(docs: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--docs", str(docs), *args],
                          capture_output=True, text=True, timeout=60)


def base_args(**over: str) -> list[str]:
    values = {"section": "basics/metrics", "difficulty": "middle",
              "title-ru": "Чем BLEU отличается от ROUGE", "title-en": "How BLEU differs from ROUGE"}
    values.update(over)
    out = []
    for key, value in values.items():
        out += [f"--{key}", value]
    return out


def snapshot(docs: Path) -> dict[str, str]:
    return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}


def test_success_writes_both_pages_with_next_id(docs: Path) -> None:
    result = run(docs, *base_args(), "--tags", "metrics,bleu,rouge")
    assert result.returncode == 0, result.stderr

    ru = docs / "basics/metrics/how-bleu-differs-from-rouge.ru.md"
    en = docs / "basics/metrics/how-bleu-differs-from-rouge.en.md"
    assert ru.is_file() and en.is_file()
    for path in (ru, en):
        assert path.name in result.stdout
    assert "http://127.0.0.1:8000/basics/metrics/how-bleu-differs-from-rouge/" in result.stdout
    assert "http://127.0.0.1:8000/en/basics/metrics/how-bleu-differs-from-rouge/" in result.stdout

    for path, title in ((ru, "Чем BLEU отличается от ROUGE"), (en, "How BLEU differs from ROUGE")):
        meta, body = catalog.split_front_matter(path.read_text(encoding="utf-8"), path.name)
        parsed = catalog.QuestionMeta.model_validate(meta)
        assert parsed.id == "8"                         # max(3, 7) + 1
        assert parsed.title == title
        assert parsed.difficulty == "middle"
        assert parsed.tags == ["metrics", "bleu", "rouge"]
        assert "<!--" in body and "/// answer |" in body   # skeleton, commented out
        assert not catalog.is_answered(body)

    cat = catalog.load_catalog(docs)
    q = cat.questions["8"]
    assert (q.part, q.section, q.slug) == ("basics", "metrics", "how-bleu-differs-from-rouge")
    assert not q.answered("ru") and not q.answered("en")
    assert cat.questions["3"].answered("en")            # the fixture's answered page is untouched


def test_explicit_id_slug_and_default_tags(docs: Path) -> None:
    result = run(docs, *base_args(difficulty="senior"), "--id", "42", "--slug", "bleu-vs-rouge")
    assert result.returncode == 0, result.stderr
    q = catalog.load_catalog(docs).questions["42"]
    assert q.slug == "bleu-vs-rouge" and q.difficulty == "senior"
    assert q.tags == ["metrics"]                        # defaults to the section name


def test_lettered_series_continue(docs: Path) -> None:
    write(docs / "more-questions/index.ru.md", "---\ntitle: Ещё вопросы\norder: 2\nseries: e\n---\n")
    write(docs / "more-questions/index.en.md", "---\ntitle: More questions\norder: 2\nseries: e\n---\n")
    write(docs / "more-questions/applied/index.ru.md", "---\ntitle: Прикладное\norder: 1\n---\n")
    write(docs / "more-questions/applied/index.en.md", "---\ntitle: Applied\norder: 1\n---\n")
    write(docs / "more-questions/applied/spam.ru.md", question("e25", "Спам-фильтр"))
    write(docs / "more-questions/applied/spam.en.md", question("e25", "A spam filter"))
    result = run(docs, *base_args(section="more-questions/applied"))
    assert result.returncode == 0, result.stderr
    assert "e26" in catalog.load_catalog(docs).questions


def test_unknown_section_is_refused(docs: Path) -> None:
    before = snapshot(docs)
    result = run(docs, *base_args(section="basics/metricz"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "basics/metricz" in lines[0] and "basics/metrics" in lines[0]   # names it and lists the known ones
    assert snapshot(docs) == before


def test_taken_id_is_refused(docs: Path) -> None:
    before = snapshot(docs)
    result = run(docs, *base_args(), "--id", "7")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "7" in lines[0] and "basics/metrics/rouge.ru.md" in lines[0]
    assert snapshot(docs) == before


def test_existing_slug_is_refused(docs: Path) -> None:
    before = snapshot(docs)
    result = run(docs, *base_args(), "--slug", "rouge")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "rouge" in lines[0] and "exists" in lines[0]
    assert snapshot(docs) == before


@pytest.mark.parametrize("over, needle", [
    ({"difficulty": "expert"}, "difficulty"),
    ({"title-ru": "  "}, "--title-ru"),
    ({"title-en": ""}, "--title-en"),
])
def test_bad_arguments_are_refused(docs: Path, over: dict, needle: str) -> None:
    before = snapshot(docs)
    result = run(docs, *base_args(**over), "--slug", "some-slug")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert snapshot(docs) == before
