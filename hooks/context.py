"""What every hook needs to know about the current build: language and catalog.

mkdocs-static-i18n builds the site once per language and runs every hook
event once per build, so hooks ask here instead of remembering state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from mkdocs.exceptions import PluginError

import catalog as _catalog

LABELS = {
    "ru": {
        "answered": "есть ответ", "unanswered": "ответа пока нет",
        "difficulty": {"junior": "junior", "middle": "middle", "senior": "senior"},
        "question": "Вопрос", "status": "Статус", "level": "Уровень",
        "section": "Раздел", "progress": "Прогресс", "total": "Всего отвечено",
        "no_answer": "Ответа пока нет",
        "no_answer_text": "Этот вопрос ждёт своего автора. Напишите ответ и пришлите pull request — "
                          "как это сделать, рассказано в [руководстве для авторов]({contributing}).",
        "edit": "Написать ответ на GitHub",
        "related": "Связанные вопросы",
        "notebook": "Запустить код",
        "notebook_text": "К ответу есть исполняемый ноутбук: [{title}]({url}).",
        "missing_translation": "Перевода пока нет",
        "missing_translation_text": "Эта страница ещё не переведена на русский язык, ниже — английская версия. "
                                    "[Помогите перевести её]({edit}).",
        "contributing_file": "CONTRIBUTING.ru.md",
        "description_suffix": "вопрос с собеседования по NLP и разбор ответа",
        "learned_off": "Отметить как изученный", "learned_on": "Изучено ✓", "learned_mark": "изучено",
        "learned_summary": "Вы отметили как изученные {n} из {total} вопросов (хранится только в этом браузере).",
        "nb_download": "Скачать .ipynb", "nb_colab": "Открыть в Colab", "nb_section": "Ноутбуки",
        "nb_questions": "Вопросы с этим ноутбуком",
        "nb_intro": "Код выполнен при сборке сайта; все числа проверяются в ноутбуке через assert.",
        "outdated": "Перевод мог устареть",
        "outdated_text": "Английская версия этой страницы менялась после русской. [Сравните и обновите]({edit}).",
    },
    "en": {
        "answered": "answered", "unanswered": "not answered yet",
        "difficulty": {"junior": "junior", "middle": "middle", "senior": "senior"},
        "question": "Question", "status": "Status", "level": "Level",
        "section": "Section", "progress": "Progress", "total": "Answered overall",
        "no_answer": "Not answered yet",
        "no_answer_text": "This question is waiting for its author. Write an answer and open a pull request — "
                          "the [contributor guide]({contributing}) explains how.",
        "edit": "Write an answer on GitHub",
        "related": "Related questions",
        "notebook": "Run the code",
        "notebook_text": "This answer comes with a runnable notebook: [{title}]({url}).",
        "missing_translation": "Translation missing",
        "missing_translation_text": "This page has not been translated into English yet; the Russian version is shown below. "
                                    "[Help translate it]({edit}).",
        "contributing_file": "CONTRIBUTING.md",
        "description_suffix": "an NLP interview question with a worked answer",
        "learned_off": "Mark as learned", "learned_on": "Learned ✓", "learned_mark": "learned",
        "learned_summary": "You have marked {n} of {total} questions as learned (kept in this browser only).",
        "nb_download": "Download .ipynb", "nb_colab": "Open in Colab", "nb_section": "Notebooks",
        "nb_questions": "Questions that use it",
        "nb_intro": "The code was executed when the site was built; every number is checked inside the notebook with an assert.",
        "outdated": "Translation may be out of date",
        "outdated_text": "The Russian version of this page changed after the English one. [Compare and update]({edit}).",
    },
}


def language(config) -> str:
    """The language of the build that is running now."""
    i18n = config.plugins.get("i18n")
    lang = getattr(i18n, "current_language", None) if i18n else None
    return lang or _catalog.DEFAULT_LANGUAGE


def notebooks_dir(config) -> Path:
    return Path(config.config_file_path).parent / "notebooks"


def notebook_names(config) -> set[str]:
    return {p.stem for p in notebooks_dir(config).glob("*.py")}


_current: dict[str, _catalog.Catalog] = {}


def refresh_catalog(config) -> _catalog.Catalog:
    """(Re)load the catalog if any page changed; called once at the start of each build."""
    try:
        cat = _catalog.cached_catalog(config.docs_dir, notebook_names(config))
    except _catalog.CatalogError as exc:
        _current.pop(config.docs_dir, None)
        raise PluginError(f"content error: {exc}") from None
    _current[config.docs_dir] = cat
    return cat


def catalog(config) -> _catalog.Catalog:
    """The validated catalog of the build that is running."""
    cat = _current.get(config.docs_dir)
    return cat if cat is not None else refresh_catalog(config)


def source_language(src_uri: str) -> Optional[str]:
    """'ru' for 'a/b.ru.md'; None for files without a language suffix."""
    suffixes = Path(src_uri).suffixes
    if len(suffixes) >= 2 and suffixes[-2][1:] in _catalog.LANGUAGES:
        return suffixes[-2][1:]
    return None


def repo_url(config, path: str, action: str = "blob") -> str:
    """GitHub URL of a repository path (action: blob, edit, new)."""
    return f"{(config.repo_url or '').rstrip('/')}/{action}/main/{path}"


def labels(lang: str) -> dict:
    return LABELS.get(lang, LABELS["en"])


def default_language(config) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "default_language", None) or _catalog.DEFAULT_LANGUAGE


def language_dir(config) -> Path:
    """Where the current language's pages are written (site/ or site/en/).

    i18n keeps ``site_dir`` at the site root and prefixes the destination
    of every file of a non-default language instead.
    """
    lang = language(config)
    root = Path(config.site_dir)
    return root if lang == default_language(config) else root / lang
