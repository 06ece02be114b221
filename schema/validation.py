"""Limits on what one GraphQL document may ask for.

Depth, the number of fields and the number of aliases are counted per
operation with fragments expanded (each fragment counted once and multiplied by
its uses, so a "fragment bomb" can't hide its size). While introspection is
allowed (GRAPHIQL_ENABLED), its fields don't count towards depth and fields:
GraphiQL's own introspection query is deep by nature. While it is off, they
count like any other (the standard rules refuse them anyway, later). Aliases
are capped low because they turn one request into many operations (a login
brute force in one POST).
One field of the response (its path of names and aliases, fragments merged)
may be asked at most GRAPHQL_MAX_FIELD_REPEATS times: graphql-core compares
every pair of fields that share a path, so `{ me { id } }` a hundred times is
cheap to count but costly to validate. An operation may also hold at most one
field that hashes a password (each costs tens of milliseconds of CPU by
design, so ten aliased sign-ups would be a cheap way to burn a worker).

These limits are linear in the document and are checked on their own, before
graphql-core's standard rules run (schema/views.py): a document over a limit
never reaches the standard rules, one of which (overlapping fields) is
quadratic in the number of fields.
"""

from collections import Counter

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationRule,
)

INTROSPECTION_FIELDS = {"__schema", "__type"}
# Mutations that hash a password (Argon2id): at most one per operation.
PASSWORD_HASHING_FIELDS = frozenset({"register", "tokenAuth", "changePassword"})


class QueryTooComplex(GraphQLError):
    """A document over one of the limits; answered as QUERY_TOO_COMPLEX."""


class _Size:
    # password_fields counts only this selection set's own fields (fragments
    # included): password-hashing fields live on the root Mutation type.
    __slots__ = ("depth", "fields", "aliases", "password_fields")

    def __init__(self):
        self.depth = self.fields = self.aliases = self.password_fields = 0


def document_limits_check(document: DocumentNode, *, introspection: bool) -> list[QueryTooComplex]:
    """The limits of each operation in `document`: one error per operation over one.

    A plain walk of the syntax tree, not a graphql-core validation rule: the
    rule machinery's own traversal would cost more than the counting does.
    """
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    measure = _Measure(fragments, introspection_exempt=introspection)
    errors = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            problem = _operation_problem(measure.selection_set(definition.selection_set))
            if problem is None:
                # Only now: paths are as long as the operation is deep.
                problem = _repeats_problem(measure.paths(definition.selection_set))
            if problem:
                errors.append(QueryTooComplex(problem, definition))
    return errors


def _repeats_problem(paths: Counter) -> str | None:
    limit = settings.GRAPHQL_MAX_FIELD_REPEATS
    if not limit or not paths:
        return None
    path, count = paths.most_common(1)[0]
    if count <= limit:
        return None
    return _(
        "The operation asks for '%(field)s' %(count)s times; at most %(limit)s are allowed."
    ) % {"field": ".".join(path), "count": count, "limit": limit}


def _operation_problem(size: _Size) -> str | None:
    limits = (
        (
            _("The operation's depth is %(value)s; at most %(limit)s is allowed."),
            size.depth,
            settings.GRAPHQL_MAX_DEPTH,
        ),
        (
            _("The operation has %(value)s fields; at most %(limit)s are allowed."),
            size.fields,
            settings.GRAPHQL_MAX_FIELDS,
        ),
        (
            _("The operation has %(value)s aliases; at most %(limit)s are allowed."),
            size.aliases,
            settings.GRAPHQL_MAX_ALIASES,
        ),
    )
    for message, value, limit in limits:
        if limit and value > limit:
            return message % {"value": value, "limit": limit}
    if size.password_fields > 1:
        names = ", ".join(sorted(PASSWORD_HASHING_FIELDS))
        return _(
            "The operation has %(count)s fields that check a password (%(names)s); "
            "send one per request."
        ) % {"count": size.password_fields, "names": names}
    return None


class _Measure:
    """Sizes of selection sets, each fragment measured once and reused."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], *, introspection_exempt: bool):
        self._fragments = fragments
        self._exempt = INTROSPECTION_FIELDS if introspection_exempt else frozenset()
        self._sizes: dict[str, _Size] = {}
        self._paths: dict[str, Counter] = {}
        self._in_progress: set[str] = set()

    def selection_set(self, selection_set: SelectionSetNode | None) -> _Size:
        total = _Size()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in self._exempt:
                    continue
                inner = self.selection_set(selection.selection_set)
                total.depth = max(total.depth, inner.depth + 1)
                total.fields += inner.fields + 1
                total.aliases += inner.aliases + (1 if selection.alias else 0)
                if selection.name.value in PASSWORD_HASHING_FIELDS:
                    total.password_fields += 1
            else:
                if isinstance(selection, InlineFragmentNode):
                    inner = self.selection_set(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    inner = self._fragment(selection.name.value)
                else:
                    continue
                total.depth = max(total.depth, inner.depth)
                total.fields += inner.fields
                total.aliases += inner.aliases
                total.password_fields += inner.password_fields
        return total

    def paths(self, selection_set: SelectionSetNode | None) -> Counter:
        """How often each response path (names and aliases from here) is asked."""
        total: Counter = Counter()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                # Introspection fields count here too: repeats cost the same anywhere.
                key = (selection.alias or selection.name).value
                total[(key,)] += 1
                for path, count in self.paths(selection.selection_set).items():
                    total[(key, *path)] += count
            elif isinstance(selection, InlineFragmentNode):
                total.update(self.paths(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                total.update(self._fragment_paths(selection.name.value))
        return total

    def _fragment_paths(self, name: str) -> Counter:
        if name in self._paths:
            return self._paths[name]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._in_progress:
            return Counter()
        self._in_progress.add(name)
        paths = self.paths(fragment.selection_set)
        self._in_progress.discard(name)
        self._paths[name] = paths
        return paths

    def _fragment(self, name: str) -> _Size:
        if name in self._sizes:
            return self._sizes[name]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._in_progress:
            # Unknown or cyclic fragments are reported by the standard rules.
            return _Size()
        self._in_progress.add(name)
        size = self.selection_set(fragment.selection_set)
        self._in_progress.discard(name)
        self._sizes[name] = size
        return size


def text_is_storable(value: str) -> bool:
    """False for text no database can store: NUL characters or lone surrogates."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def variables_too_deep(variables: dict, *, limit: int) -> bool:
    """True if a variable's value nests lists and objects more than `limit` deep.

    Checked before anything recursive (graphql-core's input coercion, the
    storable-text walk) sees the value: deep nesting would exhaust Python's
    recursion limit there. Iterative, so any depth json.loads accepts is safe.
    """
    pending = [(value, 0) for value in variables.values()]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth >= limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


def variables_are_storable(value) -> bool:
    if isinstance(value, str):
        return text_is_storable(value)
    if isinstance(value, dict):
        return all(text_is_storable(k) and variables_are_storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(variables_are_storable(v) for v in value)
    return True


class StorableTextRule(ValidationRule):
    """String literals in the document must be text a database can store."""

    def enter_string_value(self, node: StringValueNode, *_args):
        if not text_is_storable(node.value):
            self.report_error(
                GraphQLError(_("Strings must not contain NUL characters or lone surrogates."), node)
            )
