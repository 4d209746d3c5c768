"""Unit tests of hooks/catalog.py — no MkDocs build involved."""

from __future__ import annotations

from pathlib import Path

import pytest

from guide import catalog
from guide.catalog import CatalogError

ANSWER = "\n/// answer | Answer\n\n" + " ".join(["word"] * 45) + "\n///\n"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def group(title: str, order: int = 1, series: str = "") -> str:
    return f"---\ntitle: {title}\norder: {order}\n{f'series: {series}' + chr(10) if series else ''}---\nIntro.\n"


def question(qid, title="A question", body="", **extra) -> str:
    meta = {"id": qid, "title": title, "difficulty": "junior", "tags": "[test]", **extra}
    lines = "\n".join(f"{k}: {v}" for k, v in meta.items())
    return f"---\n{lines}\n---\n{body}"


@pytest.fixture
def docs(tmp_path) -> Path:
    tmp_path = tmp_path / "docs"
    for lang in ("ru", "en"):
        write(tmp_path, f"index.{lang}.md", "---\ntitle: Home\n---\n# Home\n")
        write(tmp_path, f"p/index.{lang}.md", group("Part"))
        write(tmp_path, f"p/s/index.{lang}.md", group("Section"))
        write(tmp_path, f"p/t/index.{lang}.md", group("Second", 2, series="e"))
        write(tmp_path, f"p/s/first.{lang}.md", question(2, body=ANSWER))
        write(tmp_path, f"p/s/second.{lang}.md", question(1))
        write(tmp_path, f"p/t/third.{lang}.md", question("e1", related="[1]"))
    return tmp_path


def test_valid_tree_loads_in_order(docs):
    cat = catalog.load_catalog(docs)
    assert [p.key for p in cat.parts] == ["p"]
    assert [s.key for s in cat.sections] == ["s", "t"]
    assert [q.id for q in cat.questions_in(cat.sections[0])] == ["1", "2"]
    assert cat.progress(cat.questions_in(), "ru") == (1, 3)
    assert [q.id for q in cat.related(cat.questions["1"])] == ["e1"]


def test_missing_translation_is_not_answered(docs):
    (docs / "p/s/first.en.md").unlink()
    cat = catalog.load_catalog(docs)
    assert cat.questions["2"].answered("ru") and not cat.questions["2"].answered("en")


def test_json_contract(docs):
    data = catalog.load_catalog(docs).to_json("en")
    first = data["questions"][0]
    assert set(first) == {"id", "part", "section", "title", "url", "answered", "difficulty", "tags", "notebook"}
    assert first["url"] == "en/p/s/second/"
    assert data["parts"] == [{"key": "p", "title": "Part", "url": "en/p/", "sections": [
        {"key": "s", "title": "Section", "url": "en/p/s/"}, {"key": "t", "title": "Second", "url": "en/p/t/"}]}]


@pytest.mark.parametrize("body,answered", [
    (ANSWER, True),
    ("", False),
    ("\n/// answer | Answer\n\nToo short.\n///\n", False),
    ("\n/// details | Answer\n\n" + " ".join(["word"] * 45) + "\n///\n", False),            # not an answer block
    ("\n/// answer | Answer\n\n```\n///\n```\n" + " ".join(["w"] * 45) + "\n///\n", True),
])
def test_answered_rule(body, answered):
    assert catalog.is_answered(body) is answered


def test_words_skip_code_math_and_links():
    assert catalog.count_words("one $x^2 + y$ two ```python\nx = 1\n``` [three](http://a.b/c)") == 3


@pytest.mark.parametrize("mutate,message", [
    (lambda d: write(d, "p/s/first.ru.md", "---\nid: 2\ntitle: [broken\n---\n"), "docs/p/s/first.ru.md:4: front matter is not valid YAML"),
    (lambda d: write(d, "p/s/first.ru.md", "---\nid: 2\ntitle: x\n"), "docs/p/s/first.ru.md:1: front matter: opening '---' has no closing"),
    (lambda d: write(d, "p/s/first.ru.md", "No front matter\n"), "docs/p/s/first.ru.md:1: front matter is missing"),
    (lambda d: write(d, "p/s/first.ru.md", question(2, difficulty="expert")), "docs/p/s/first.ru.md:4: front matter: unknown difficulty 'expert'"),
    (lambda d: write(d, "p/s/first.ru.md", question(2, colour="red")), "unknown key 'colour'"),
    (lambda d: write(d, "p/x/q.ru.md", question(9)), "docs/p/x/q.ru.md: unknown section 'x' in part 'p'"),
    (lambda d: write(d, "z/s/q.ru.md", question(9)), "docs/z/s/q.ru.md: unknown part 'z'"),
    (lambda d: write(d, "p/t/dup.ru.md", question(1)), "duplicate id 1"),
    (lambda d: write(d, "p/s/first.en.md", question(3, body=ANSWER)), "docs/p/s/first.en.md:2: 'id' is '3' here but '2'"),
    (lambda d: [write(d, f"p/s/first.{lang}.md", question(2, related="[99]")) for lang in ("ru", "en")],
     "'related' names unknown question id 99"),
    (lambda d: write(d, "p/s/first.ru.md", question(2, body="<script>alert(1)</script>")), "docs/p/s/first.ru.md:7: raw <script> tags are not allowed"),
    (lambda d: write(d, "p/s/first.ru.md", question(2, body='<img src="x" onerror="alert(1)">')), "event-handler attributes"),
    (lambda d: write(d, "p/s/first.ru.md", question(2, body="[x](javascript:alert(1))")), "javascript: links are not allowed"),
    (lambda d: write(d, "p/s/first.ru.md", question(2, body="Text.\n\n```html\n<script>ok in code</script>\n```\n\n<iframe src=x>")),
     "docs/p/s/first.ru.md:13: embedded <iframe>"),
    (lambda d: [write(d, f"p/t/third.{lang}.md", question(7)) for lang in ("ru", "en")], "docs/p/t/third.ru.md:2: id 7 does not fit section 'p/t': its ids are 'e'"),
    (lambda d: write(d, "p/s/first.ru.md", question(2, body="/// details | Answer\n    type: answer\n\nText\n///\n")),
     "docs/p/s/first.ru.md:7: the answer block is now written '/// answer | <summary>'"),
    (lambda d: write(d, "p/s/notes.xx.md", question(9)), "docs/p/s/notes.xx.md: page names end in .<language>.md"),
])
def test_bad_input_names_the_file_and_the_problem(docs, mutate, message):
    mutate(docs)
    with pytest.raises(CatalogError) as err:
        catalog.load_catalog(docs)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_unknown_notebook_is_refused(docs):
    write(docs, "p/s/first.ru.md", question(2, notebook="nope"))
    write(docs, "p/s/first.en.md", question(2, notebook="nope"))
    with pytest.raises(CatalogError, match="'notebook: nope' names no notebook"):
        catalog.load_catalog(docs, notebooks={"tfidf"})


def test_id_sort_key_orders_series():
    ids = ["e2", "101", "a1", "9", "91", "e10"]
    assert sorted(ids, key=catalog.id_sort_key) == ["9", "91", "101", "a1", "e2", "e10"]


def test_a_page_in_one_language_only_loads(docs):
    """An English-only question: the Russian reader gets the English title, and it is not answered in Russian."""
    (docs / "p/s/first.ru.md").unlink()
    cat = catalog.load_catalog(docs)
    q = cat.questions["2"]
    assert q.title("ru") == q.title("en") == "A question"
    assert q.answered("en") and not q.answered("ru")
    assert q.url("ru") == "p/s/first/" and q.url("en") == "en/p/s/first/"


def test_languages_come_from_the_configuration(docs):
    three = catalog.Languages(("ru", "en", "de"), "ru")
    for rel in ("index", "p/index", "p/s/index", "p/t/index"):
        (docs / f"{rel}.de.md").write_text((docs / f"{rel}.en.md").read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "p/s/first.de.md").write_text((docs / "p/s/first.en.md").read_text(encoding="utf-8"), encoding="utf-8")
    cat = catalog.load_catalog(docs, three)
    assert cat.questions["2"].answered("de") and cat.questions["2"].url("de") == "de/p/s/first/"
    with pytest.raises(CatalogError, match="page names end in .<language>.md"):
        catalog.load_catalog(docs, ["ru", "en"])
