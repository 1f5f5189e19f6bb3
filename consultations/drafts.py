"""Drafts of "what we heard": a few residents' own sentences that cover what a theme's posts say.

This module is plain Python and scikit-learn: no Django, no network, nothing leaves the
server, and nothing is written that a resident did not write. `consultations.tasks` feeds it
the published ideas and comments of a theme (or a consultation) and stores what it returns
as a `SummaryDraft` for a moderator to pick from, reorder, trim and approve
(`consultations.summaries`). Like `consultations.clustering`, only the task worker imports
it: NumPy, SciPy and scikit-learn never load in a web process.

How it works
------------

1. **Spans.** Every text (an idea's title, an idea's body, a comment) is cut into sentences
   at ".", "!", "?", "…" followed by a space, at the full stops of scripts written without
   spaces (the ideographic full stop and its fellows) and at line breaks. A sentence longer than `MAX_POINT_CHARS` is cut
   at its clauses (";", ":", ",", a dash), and a clause still too long at the last space
   before the limit. Leading bullets and numbering and surrounding spaces are trimmed. Each
   span is `(start, end)` in the text as it stands, so `text[start:end]` *is* the point:
   nothing is rewritten, joined or tidied.
2. **Words.** Unicode-normalised (NFKC), case-folded, apostrophes dropped; a word is two or
   more letters or digits in any script, without the stop words of suggested themes
   (`consultations.clustering.STOP_WORDS`), plurals folded onto their singular. Runs of a
   script written without spaces (Chinese, Japanese, Korean, Thai) count as their
   overlapping character pairs. A span with fewer than `MIN_CONTENT_WORDS` words, or
   shorter than `MIN_POINT_CHARS`, cannot be quoted (a greeting, "Thank you.", a line of
   emoji); a post with no span that can be quoted is not "usable".
3. **Vectors.** TF-IDF over words and two-word phrases of each post (an idea's title and
   body together), sublinear term frequency. From 8 usable posts up they are reduced with
   LSA (truncated SVD, seeded, one dimension per two posts, at most 100), so that posts
   using related words count as similar; spans are put in the same space. Every vector
   has unit length and similarity is the cosine (negative counts as none).
4. **Which posts: greedy coverage (facility location).** The value of a set of chosen posts
   is the sum, over every usable post, of its similarity to the chosen post nearest to it.
   Posts are added one at a time, each the one that raises that value most. This is the
   classic objective of extractive summarising (Lin and Bilmes, 2011): the first choice is
   the most representative post, and each next one is worth most where the chosen ones say
   least, so a second post about the most common thing gains little and a post about
   something else gains a lot. We chose it over:

   - *Maximal Marginal Relevance*, which trades a candidate's similarity to the centre
     against its similarity to those chosen with a weight someone must tune, and says
     nothing of whom a point speaks for;
   - *k-means representatives* (as suggested themes do), whose clusters depend on the
     seed and the number of clusters asked for, and whose smallest clusters are often
     leftovers rather than a distinct thing people said.

   It needs no parameter but the number of points, and explains itself: every usable post
   is counted for the chosen post nearest to it (if their similarity is at least
   `MIN_SIMILARITY`), so each point says how many posts it stands for, and posts near none
   are counted as not represented. Choosing whole posts first, then a sentence, proved
   steadier than choosing among sentences directly, whose sparse vectors share few words.
   Above `MAX_EXEMPLAR_CANDIDATES` posts the choice is among a seeded sample of them
   (every post still counts towards the value).
5. **Which span.** Each chosen post is quoted by its span nearest to the centre of the
   posts it stands for.
6. **Refusals.** `accept(text)`, when given, is asked about each span of a post before the
   post is chosen (the task refuses personal data and the safety net's "[... removed]"
   marks); a post none of whose spans is accepted is passed over for the next best.

The same sources in the same order and the same `random_state` always give the same draft.
Fewer than `MIN_USABLE_POSTS` usable posts give no points and a plain reason ("Not enough
to summarise"). Empty texts, emoji, very long texts and any language give a draft or that
reason, never an error.
"""

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from consultations.clustering import STOP_WORDS

DEFAULT_POINTS = 5
MAX_POINTS = 10
MIN_USABLE_POSTS = 3
MAX_POINT_CHARS = 300
MIN_POINT_CHARS = 12
MIN_CONTENT_WORDS = 2
MAX_EXEMPLAR_CANDIDATES = 2_000
MIN_SIMILARITY = 0.05
LSA_MIN_COMPONENTS = 4
LSA_MAX_COMPONENTS = 100
LSA_POSTS_PER_COMPONENT = 2

# A sentence ends at . ! ? … (with any closing quotes or brackets) before a space or the
# end, at the full stops of scripts without spaces, or at a line break.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)|[\u3002\uff01\uff1f]+|\n")
# Where a long sentence may be cut: after ; : or , and a space, or around a dash.
_CLAUSE_END = re.compile(r"[;:,](?=\s)|\s[\u2013\u2014-](?=\s)")
# What a span does not start with: spaces, bullets, quotation dashes, "1." or "2)".
_LEADING = re.compile(r"(?:\s|[-*\u2022\u00b7\u2013\u2014>]|\d{1,2}[.)](?=\s))+")
_WORD = re.compile(r"[^\W_]{2,}")
_SHORT_WORD = re.compile(r"[^\W_]")
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")
# Scripts written without spaces between words: their runs count as character pairs.
_UNSPACED = re.compile(
    "[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


@dataclass(frozen=True)
class Source:
    """One text to quote from: `key` names it to the caller (a post and a field), `post`
    names the post it belongs to (an idea's title and body are one post)."""

    key: Hashable
    post: Hashable
    text: str


@dataclass(frozen=True)
class Point:
    """A verbatim span of one source: `source.text[start:end] == text`, always."""

    key: Hashable
    post: Hashable
    start: int
    end: int
    text: str
    represents: int  # how many posts it stands for (those nearest to it), its own included
    coverage: float  # how much it added to the draft's coverage when it was chosen


@dataclass(frozen=True)
class Draft:
    points: tuple[Point, ...]
    usable_posts: int  # posts with at least one span worth quoting
    unrepresented: int  # usable posts near none of the points
    message: str = ""  # why there are no points, in plain words; blank otherwise

    @property
    def enough(self) -> bool:
        return bool(self.points)


# Spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences (and, in long ones, clauses) of `text`, as trimmed (start, end) spans."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() if match.group() == "\n" else match.end()
        spans += _fit(text, start, end)
        start = match.end()
    spans += _fit(text, start, len(text))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    leading = _LEADING.match(text, start, end)
    if leading:
        start = leading.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _fit(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The trimmed span, cut into clauses (then at spaces) if it is too long."""
    start, end = _trim(text, start, end)
    if end <= start:
        return []
    if end - start <= MAX_POINT_CHARS:
        return [(start, end)]
    # Clauses, joined back together while they fit.
    cuts = [match.end() for match in _CLAUSE_END.finditer(text, start, end)]
    pieces, piece_start = [], start
    for cut in [*cuts, end]:
        if cut - piece_start > MAX_POINT_CHARS and pieces and pieces[-1][0] == piece_start:
            piece_start = pieces[-1][1]
        if not pieces or pieces[-1][0] != piece_start:
            pieces.append((piece_start, cut))
        else:
            pieces[-1] = (piece_start, cut)
    spans = []
    for piece_start, piece_end in pieces:
        spans += _cut_at_spaces(text, *_trim(text, piece_start, piece_end))
    return spans


def _cut_at_spaces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    while end - start > MAX_POINT_CHARS:
        limit = start + MAX_POINT_CHARS
        space = text.rfind(" ", start + MAX_POINT_CHARS // 2, limit)
        cut = space if space > start else limit
        spans.append(_trim(text, start, cut))
        start, _ = _trim(text, cut, end)
    if end > start:
        spans.append((start, end))
    return [span for span in spans if span[1] > span[0]]


# Words


def content_words(text: str) -> list[str]:
    """The words of `text` that say what it is about (see the module's docstring)."""
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text)).casefold()
    words = []
    for word in _WORD.findall(text):
        if _UNSPACED.search(word):
            words += [word[i : i + 2] for i in range(len(word) - 1)]
        elif word not in STOP_WORDS and any(c.isalpha() for c in word):
            words.append(_singular(word))
    return words


def _singular(word: str) -> str:
    """Fold a plural onto its singular ("appointments", "buses", "surgeries"), as suggested
    themes do; no other stemming."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "uses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# The draft


def draft_points(
    sources: Sequence[Source],
    *,
    points: int = DEFAULT_POINTS,
    accept: Callable[[str], bool] | None = None,
    random_state: int = 0,
) -> Draft:
    """Up to `points` verbatim spans of `sources` that together cover what the posts say.

    The same sources in the same order, with the same `random_state`, always give the same
    draft.
    """
    if not 1 <= points <= MAX_POINTS:
        raise ValueError(f"points must be between 1 and {MAX_POINTS}")
    spans: list[tuple[int, int, int, str]] = []  # (source index, start, end, words)
    span_post: list[Hashable] = []
    post_words: dict[Hashable, list[str]] = {}
    quotable_posts: set[Hashable] = set()
    for index, source in enumerate(sources):
        text = source.text or ""
        post_words.setdefault(source.post, []).extend(content_words(text))
        for start, end in sentence_spans(text):
            if end - start < MIN_POINT_CHARS:
                continue
            words = content_words(text[start:end])
            if len(words) < MIN_CONTENT_WORDS:
                continue
            spans.append((index, start, end, " ".join(words)))
            span_post.append(source.post)
            quotable_posts.add(source.post)
    posts = [post for post in post_words if post in quotable_posts]
    if len(posts) < MIN_USABLE_POSTS:
        return Draft(
            (),
            len(posts),
            len(posts),
            f"Not enough to summarise: {_posts(len(posts))} with words to quote; "
            f"a draft needs at least {MIN_USABLE_POSTS}.",
        )

    row_of = {post: row for row, post in enumerate(posts)}
    vectorizer = TfidfVectorizer(
        lowercase=False,
        tokenizer=str.split,
        token_pattern=None,
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float64,
    )
    post_tfidf = vectorizer.fit_transform([" ".join(post_words[post]) for post in posts])
    span_tfidf = vectorizer.transform([words for *_, words in spans])
    post_vectors, span_vectors = _reduce(post_tfidf, span_tfidf, random_state=random_state)
    spans_of: list[list[int]] = [[] for _ in posts]
    for span_index, post in enumerate(span_post):
        spans_of[row_of[post]].append(span_index)

    # Which posts may be chosen: all of them, or a seeded sample of a very large set.
    columns = np.arange(len(posts))
    if len(posts) > MAX_EXEMPLAR_CANDIDATES:
        rng = np.random.default_rng(random_state)
        columns = np.sort(rng.choice(len(posts), size=MAX_EXEMPLAR_CANDIDATES, replace=False))
    similarity = np.maximum(post_vectors @ post_vectors[columns].T, 0.0).astype(np.float32)

    quotable: dict[int, list[int]] = {}  # chosen column -> its spans that may be quoted

    def may_choose(column: int) -> bool:
        mine = spans_of[columns[column]]
        if accept is not None:
            mine = [i for i in mine if accept(_span_text(sources, spans[i]))]
        quotable[column] = mine
        return bool(mine)

    chosen = _greedy_coverage(similarity, points=min(points, len(posts)), accept=may_choose)
    if not chosen:
        return Draft((), len(posts), len(posts), "Nothing here can be quoted.")

    # Every post counts for the chosen post nearest to it; each chosen post is quoted by its
    # span nearest to the posts it stands for.
    nearest = similarity[:, [column for column, _ in chosen]]
    best = nearest.argmax(axis=1)
    near_enough = nearest.max(axis=1) >= MIN_SIMILARITY
    result = []
    for position, (column, gain) in enumerate(chosen):
        members = np.flatnonzero((best == position) & near_enough)
        members = members if len(members) else np.array([columns[column]])
        centre = np.asarray(post_vectors[members].mean(axis=0)).ravel()
        candidates = quotable[column]
        scores = np.asarray(span_vectors[candidates] @ centre).ravel()
        source_index, start, end, _ = spans[candidates[int(np.argmax(scores))]]
        source = sources[source_index]
        text = _span_text(sources, spans[candidates[int(np.argmax(scores))]])
        assert text == source.text[start:end]
        result.append(
            Point(
                key=source.key,
                post=source.post,
                start=start,
                end=end,
                text=text,
                represents=len(members),
                coverage=round(float(gain), 4),
            )
        )
    # Largest first; among equals, in the order they were chosen.
    order = sorted(range(len(result)), key=lambda i: -result[i].represents)
    return Draft(
        tuple(result[i] for i in order),
        len(posts),
        int((~near_enough).sum()),
    )


def _span_text(sources: Sequence[Source], span: tuple[int, int, int, str]) -> str:
    index, start, end, _ = span
    return sources[index].text[start:end]


def _reduce(post_tfidf, span_tfidf, *, random_state: int):
    """Posts and spans as unit vectors: in the LSA space of the posts when there are enough
    posts for it (similar words then count as similar), as TF-IDF otherwise."""
    posts, features = post_tfidf.shape
    components = min(LSA_MAX_COMPONENTS, posts // LSA_POSTS_PER_COMPONENT, features - 1)
    if components < LSA_MIN_COMPONENTS:
        return post_tfidf.toarray(), span_tfidf.toarray()
    svd = TruncatedSVD(n_components=components, random_state=random_state)
    return normalize(svd.fit_transform(post_tfidf)), normalize(svd.transform(span_tfidf))


def _greedy_coverage(
    similarity: np.ndarray, *, points: int, accept: Callable[[int], bool]
) -> list[tuple[int, float]]:
    """Columns (and the gain of each) chosen greedily to maximise the sum over rows of each
    row's largest similarity to a chosen column. A column `accept` refuses is never asked
    about again; the next best is taken."""
    covered = np.zeros(similarity.shape[0], dtype=similarity.dtype)
    available = np.ones(similarity.shape[1], dtype=bool)
    chosen: list[tuple[int, float]] = []
    while len(chosen) < points and available.any():
        gains = np.maximum(similarity - covered[:, None], 0.0).sum(axis=0)
        gains[~available] = -1.0
        picked = None
        for column in np.argsort(-gains, kind="stable"):
            if gains[column] <= 0:
                break
            available[column] = False
            if accept(int(column)):
                picked = int(column)
                break
        if picked is None:
            break
        chosen.append((picked, float(gains[picked])))
        covered = np.maximum(covered, similarity[:, picked])
    return chosen


def _posts(count: int) -> str:
    return {0: "no post", 1: "only 1 post"}.get(count, f"only {count} posts")
