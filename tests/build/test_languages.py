"""Languages: a page in one language only, and a third language added by configuration alone."""

from __future__ import annotations

import json
import re

import yaml

from projects import ANSWER, error_lines, make_project, question, write


def test_a_question_in_a_non_default_language_only_builds(project, builder):
    """Only the English page exists: the Russian site shows it with the 'translation missing' notice."""
    (project / "docs/p/s/q.ru.md").unlink()
    write(project / "docs", "p/s/q.en.md", question(1, title="A question", body=ANSWER.replace("Ответ", "Answer")))
    code, log = builder.build(project)
    assert code == 0, log
    ru = (project / "site/p/s/q/index.html").read_text(encoding="utf-8")
    assert "Перевода пока нет" in ru and "new/main/docs/p/s?filename=q.ru.md" in ru
    assert "A question" in ru
    data = {lang: json.loads((project / path / "questions.json").read_text(encoding="utf-8"))["questions"][0]
            for lang, path in (("ru", "site"), ("en", "site/en"))}
    assert data["en"]["answered"] and not data["ru"]["answered"]
    assert data["ru"]["title"] == "A question"


GERMAN = {
    "answered": "beantwortet", "unanswered": "noch unbeantwortet", "total": "Insgesamt beantwortet",
    "answer_summary": "Antwort", "related": "Verwandte Fragen",
}


def add_german(root, strings: bool = True):
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    entry = "        - locale: en\n"
    assert entry in config
    config = config.replace(entry, "        - locale: de\n          name: Deutsch\n          build: true\n" + entry)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    if strings:
        english = yaml.safe_load((root / "hooks/strings/en.yml").read_text(encoding="utf-8"))
        english.update(GERMAN)
        (root / "hooks/strings/de.yml").write_text(yaml.safe_dump(english, allow_unicode=True), encoding="utf-8")


def test_a_third_language_needs_configuration_strings_and_content_only(tmp_path, builder):
    root = make_project(tmp_path, languages=("ru", "en", "de"), copy_hooks=True)
    add_german(root)
    write(root / "docs", "p/s/q.de.md", question(1, title="Eine Frage", body=ANSWER.replace("Ответ", "Antwort")))
    write(root / "docs", "p/s/r.ru.md", question(2, body=""))          # unanswered everywhere
    write(root / "docs", "p/s/r.en.md", question(2, body=""))
    write(root / "docs", "p/s/r.de.md", question(2, body=""))
    code, log = builder.build(root)
    assert code == 0, log
    home = (root / "site/de/index.html").read_text(encoding="utf-8")
    assert 'lang="de"' in home
    assert "Insgesamt beantwortet" in home and "(1/2)" in home
    section = (root / "site/de/p/s/index.html").read_text(encoding="utf-8")
    assert re.search(r'data-answered="1" data-total="2"', section) and "noch unbeantwortet" in section
    page = (root / "site/de/p/s/q/index.html").read_text(encoding="utf-8")
    assert "Eine Frage" in page and "<summary>Antwort</summary>" in page
    catalog = json.loads((root / "site/de/questions.json").read_text(encoding="utf-8"))
    assert catalog["language"] == "de" and [q["answered"] for q in catalog["questions"]] == [True, False]
    assert (root / "site/search/search_index.de.json").exists()
    alternates = set(re.findall(r'hreflang="([a-z]{2})"', page))
    assert alternates == {"ru", "en", "de"}


def test_a_third_language_without_strings_fails_with_one_clear_line(tmp_path, builder):
    root = make_project(tmp_path, languages=("ru", "en", "de"), copy_hooks=True)
    add_german(root, strings=False)
    code, log = builder.build(root)
    assert code != 0
    errors = error_lines(log)
    assert len(errors) == 1 and "hooks/strings/de.yml is missing" in errors[0], log
    assert "Traceback" not in log
