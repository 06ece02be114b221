"""The translation catalogs are complete and current: every message the code can
show has a translation in every language, and the compiled .mo says what the .po
says. Refresh them with `make messages` (core/messages.py)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

from core.messages import BASE_DIR, catalog_compile, catalog_update, messages_extract, po_path

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.fixture(scope="module")
def messages():
    return messages_extract()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_catalog_is_translated(language):
    po = polib.pofile(str(po_path(language)))

    missing = [e.msgid for e in po if e.fuzzy or not e.translated()]

    assert po.percent_translated() == 100 and not missing, missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_code_is_in_the_catalog(language, messages):
    po = polib.pofile(str(po_path(language)))
    known = {e.msgid for e in po if not e.obsolete}

    untranslated = sorted(set(messages) - known)

    assert not untranslated, f"run `make messages` and translate: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_says_what_the_po_says(language, tmp_path):
    po_file = po_path(language)
    copy = tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(po_file.read_bytes())

    fresh = polib.mofile(str(catalog_compile(language, base=tmp_path)))
    committed = polib.mofile(str(po_file.with_suffix(".mo")))

    def entries(mo):
        return {
            (e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in mo
        }

    assert entries(committed) == entries(fresh)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    po = polib.pofile(str(po_path(language)))
    for entry in po:
        for translation in [entry.msgstr, *entry.msgstr_plural.values()]:
            if translation:
                assert _placeholders(translation) == _placeholders(entry.msgid), entry.msgid


def _placeholders(text: str) -> set[str]:
    import re

    return set(re.findall(r"%\(\w+\)s", text))


def test_the_extractor_finds_literals_and_refuses_nothing_silently(tmp_path):
    app = tmp_path / "accounts"
    app.mkdir()
    (app / "example.py").write_text(
        "from django.utils.translation import gettext as _, gettext_lazy, ngettext\n"
        "A = _('One %(name)s.')\n"
        "B = gettext_lazy('Two ' 'joined.')\n"
        "C = ngettext('%(n)s day', '%(n)s days', 2)\n"
    )

    found = messages_extract(tmp_path)

    assert set(found) == {"One %(name)s.", "Two joined.", "%(n)s day"}
    assert found["%(n)s day"].msgid_plural == "%(n)s days"


def test_refreshing_a_catalog_keeps_translations_and_adds_new_messages(tmp_path, messages):
    language = LANGUAGES[0]
    target = po_path(language, tmp_path)
    target.parent.mkdir(parents=True)
    target.write_bytes(po_path(language).read_bytes())
    sample = next(iter(messages))
    before = polib.pofile(str(target)).find(sample).msgstr

    new = {**messages, "A brand new message.": type(messages[sample])("A brand new message.")}
    po = catalog_update(language, new, base=tmp_path)

    assert po.find(sample).msgstr == before != ""
    assert po.find("A brand new message.").msgstr == ""
    assert Path(target).exists()


def test_the_catalogs_are_in_locale_paths():
    assert BASE_DIR / "locale" in [Path(p) for p in settings.LOCALE_PATHS]
