"""Wagtail's SQLite full-text search, made safe for whatever a person types (used by
`engage.search` on SQLite only: this module loads SQLite-only search models).

On PostgreSQL (production) and MySQL this is Wagtail's database backend, unchanged. On SQLite
(one laptop, the tests) that backend searches an FTS5 table, and two of its mistakes turn
ordinary typing in the admin's searches into a 500:

- It wraps each word in double quotes, so that FTS5 reads it as a word and not as query syntax
  (`*`, `(`, `OR`, `NEAR`, `-`, `:`), but it does not double the quotes inside a word, as FTS5
  requires: a search for `"` or `x"y` ends the string early ("unterminated string", or
  "fts5: syntax error"). A NUL byte also ends FTS5's reading of the query.
- `search(fields=[...])`, which every `SnippetViewSet` with `search_fields` uses, names model
  fields as columns of the FTS table, whose only columns are title, body and autocomplete:
  "no such column: name" for any search at all
  (https://github.com/wagtail/django-modelsearch/issues/47).

Both are fixed here, in the one place every search passes through (the page explorer and
chooser, snippet listings and choosers, the user listing, our own searches), rather than by
cleaning the words at each caller: Wagtail's admin views pass what was typed straight to the
backend. A field's words are searched in the FTS column that holds them (a field named "title"
in the title column, any other in the body column), which may find a little more than the one
field asked for, never less.
"""

from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import Phrase, PlainText


def fts5_string(text: str) -> str:
    """`text` as the inside of an FTS5 string: double quotes doubled, NUL bytes left out."""
    return text.replace("\x00", "").replace('"', '""')


class QuotedLexeme(Lexeme):
    """One word of a search, as an FTS5 string whatever characters it holds."""

    def as_sql(self, compiler, connection):
        return ('"%s"*' if self.prefix else '"%s"'), [fts5_string(self.value)]


class SafeQueryCompilerMixin:
    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            terms = query.query_string.split()
            if not terms:
                return None
            lexemes = QuotedLexeme(terms.pop(), prefix=self.LAST_TERM_IS_PREFIX)
            for term in terms:
                if query.operator.upper() == "AND":
                    lexemes &= QuotedLexeme(term)
                else:
                    lexemes |= QuotedLexeme(term)
            return SearchQueryExpression(lexemes, config=config)
        if isinstance(query, Phrase):
            return SearchQueryExpression(fts5_string(query.query_string))
        return super().build_search_query_content(query, config=config)

    def fts_columns(self, fields) -> list[str]:
        """The FTS columns that hold the words of these model fields."""
        return sorted({"title" if field == "title" else "body" for field in fields})

    def search(self, config, start, stop, score_field=None):
        fields = self.fields
        if fields:
            # Read by the base class's search() only to name the columns it matches.
            self.fields = self.fts_columns(fields)
        try:
            return super().search(config, start, stop, score_field=score_field)
        finally:
            self.fields = fields


class SafeSearchQueryCompiler(SafeQueryCompilerMixin, SQLiteSearchQueryCompiler):
    pass


class SafeAutocompleteQueryCompiler(SafeQueryCompilerMixin, SQLiteAutocompleteQueryCompiler):
    def fts_columns(self, fields) -> list[str]:
        return list(self.FTS_TABLE_FIELDS)


class SafeSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = SafeSearchQueryCompiler
    autocomplete_query_compiler_class = SafeAutocompleteQueryCompiler
