"""The translation catalogs: find every translatable message, refresh the .po
files, compile the .mo files, with no gettext tools (`make messages`).

Messages are found the way xgettext finds them in Python, by reading the
source: calls of `_`, `gettext`, `gettext_lazy`, `ngettext` and
`ngettext_lazy` whose arguments are string literals (adjacent literals joined).
Placeholders are `%(name)s`, never f-strings, so a message is one literal. In
templates, `{% translate "..." %}` (or `trans`) with a literal.

    make messages    # every language of settings.LANGUAGES but LANGUAGE_CODE

Refreshing keeps each message's translation, adds new messages untranslated,
and drops messages the source no longer has; the tests fail until every
message has a translation (tests/i18n/).
"""

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
# The project's own code; tests and migrations say nothing to users.
SOURCE_DIRS = ("accounts", "config", "core", "polls", "schema", "staff", "twofa", "web")
SKIP_DIRS = {"migrations", "__pycache__", "node_modules", "static"}
LOCALE_DIR = BASE_DIR / "locale"

SINGULAR = {"_", "gettext", "gettext_lazy"}
TEMPLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')[^%]*%}""")
PLURAL = {"ngettext", "ngettext_lazy"}

PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}


@dataclass
class Message:
    msgid: str
    msgid_plural: str = ""
    occurrences: list[tuple[str, str]] = field(default_factory=list)


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def messages_in(path: Path, *, relative_to: Path = BASE_DIR) -> list[Message]:
    """The translatable messages of one Python file, in source order."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = str(path.relative_to(relative_to))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in SINGULAR and node.args:
            msgid = _literal(node.args[0])
            if msgid is not None:
                found.append(Message(msgid, occurrences=[(where, str(node.lineno))]))
        elif name in PLURAL and len(node.args) >= 2:
            singular, plural = _literal(node.args[0]), _literal(node.args[1])
            if singular is not None and plural is not None:
                found.append(Message(singular, plural, [(where, str(node.lineno))]))
    return sorted(found, key=lambda m: int(m.occurrences[0][1]))


def template_messages_in(path: Path, *, relative_to: Path = BASE_DIR) -> list[Message]:
    """The `{% translate %}` messages of one template."""
    where = str(path.relative_to(relative_to))
    text = path.read_text(encoding="utf-8")
    return [
        Message(
            m.group(1) or m.group(2), occurrences=[(where, str(text.count("\n", 0, m.start()) + 1))]
        )
        for m in TEMPLATE_TAG.finditer(text)
    ]


def messages_extract(base: Path = BASE_DIR) -> dict[str, Message]:
    """Every translatable message of the project, by msgid, with where it is used."""
    messages: dict[str, Message] = {}
    for folder in SOURCE_DIRS:
        paths = sorted((base / folder).rglob("*.py")) + sorted((base / folder).rglob("*.html"))
        for path in paths:
            if SKIP_DIRS & set(path.relative_to(base).parts):
                continue
            read = messages_in if path.suffix == ".py" else template_messages_in
            for message in read(path, relative_to=base):
                known = messages.setdefault(message.msgid, Message(message.msgid))
                known.msgid_plural = known.msgid_plural or message.msgid_plural
                known.occurrences.extend(message.occurrences)
    return messages


def po_path(language: str, base: Path = BASE_DIR) -> Path:
    return base / "locale" / language / "LC_MESSAGES" / "django.po"


def catalog_update(language: str, messages: dict[str, Message], *, base: Path = BASE_DIR):
    """Write the language's .po: the current messages, with the translations kept."""
    path = po_path(language, base)
    old = polib.pofile(str(path)) if path.exists() else None
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Project-Id-Version": "Pollstr",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(language, "nplurals=2; plural=(n != 1);"),
    }
    if old is not None:
        po.metadata.update({k: v for k, v in old.metadata.items() if k not in po.metadata})
    for message in messages.values():
        entry = polib.POEntry(
            msgid=message.msgid,
            msgid_plural=message.msgid_plural,
            occurrences=message.occurrences,
            flags=["python-format"] if "%(" in message.msgid else [],
        )
        before = old.find(message.msgid) if old is not None else None
        if before is not None and not before.obsolete:
            if message.msgid_plural:
                entry.msgstr_plural = dict(before.msgstr_plural) or {0: "", 1: ""}
            else:
                entry.msgstr = before.msgstr
            entry.flags.extend(f for f in before.flags if f not in entry.flags)
        elif message.msgid_plural:
            entry.msgstr_plural = {0: "", 1: ""}
        po.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return po


def catalog_compile(language: str, *, base: Path = BASE_DIR) -> Path:
    """Write the language's .mo from its .po (fuzzy and empty entries left out)."""
    path = po_path(language, base)
    mo = path.with_suffix(".mo")
    polib.pofile(str(path)).save_as_mofile(str(mo))
    return mo


def main() -> int:
    from django.conf import settings

    messages = messages_extract()
    for language, _name in settings.LANGUAGES:
        if language == settings.LANGUAGE_CODE:
            continue  # the source language: the messages are the text
        po = catalog_update(language, messages)
        catalog_compile(language)
        missing = len(po.untranslated_entries()) + len(po.fuzzy_entries())
        print(f"{language}: {len(po)} messages, {missing} to translate")
    return 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.exit(main())
