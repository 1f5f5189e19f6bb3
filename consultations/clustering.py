"""Suggested themes: group a consultation's ideas by the words they share, and name each group.

This module is plain Python and scikit-learn: no Django, no network, nothing leaves the
server. `consultations.tasks` feeds it published ideas and stores what it returns as
`ThemeSuggestion` rows for a moderator to accept, rename or discard.

How it works
------------

1. **Words.** Each text is Unicode-normalised (NFKC) and case-folded, and apostrophes are
   dropped ("GP's" and "don't" become "gps" and "dont"). A word is two or more letters or
   digits with at least one letter ("8pm" counts, "2024" does not; any script counts).
   Stop words go: scikit-learn's English list plus `DOMAIN_STOP_WORDS`, words that say
   nothing about what an idea is *about* in a PCN consultation: opinion and politeness
   ("think", "please", "need", "idea") and the setting every idea shares ("gp", "practice",
   "surgery", "nhs"). Words that tell topics apart stay, however common in health
   ("appointment", "pharmacy", "mental", "parking"). Plurals fold onto their singular
   ("appointments", "buses", "surgeries"); there is no other stemming.
2. **Deduplication.** Ideas whose words are identical are clustered once, weighted by how
   many ideas share them, so a pasted campaign text costs nothing extra and forms one point.
3. **TF-IDF** over words and two-word phrases, with sublinear term frequency. Terms in more
   than 80% of the texts are dropped (from 10 texts up), and so are rare ones: `min_df` is 1
   below 50 distinct texts, 2 below 1,000, then 3. At most 10,000 terms are kept. A text
   left with no terms joins no cluster.
4. **LSA for larger corpora.** Above 300 distinct texts the TF-IDF matrix is reduced to 100
   dimensions with truncated SVD and re-normalised: k-means is then fast and sees topics
   rather than individual words. Smaller corpora are clustered on TF-IDF directly.
5. **k-means** on the L2-normalised vectors (so Euclidean distance ranks like cosine
   similarity), seeded by `random_state`: the same input always gives the same output,
   whatever order the documents come in.
6. **How many clusters.** Candidates run from 2 to an upper bound: `max_clusters` when given,
   otherwise about the square root of half the number of distinct texts, kept within
   2..12. The candidate with the best silhouette score (cosine, on at most 1,000 texts)
   wins. Up to 1,000 texts every candidate gets ten k-means starts; above that candidates
   are scanned on a sample of 2,000 texts with one start each and the winner is fitted on
   everything with three. Empty clusters are dropped, so fewer may come back.
7. **Names.** A cluster's terms are ranked by coverage (the share of its ideas that use the
   term) times precision (the share of the term's users that are in this cluster), with
   mean TF-IDF weight breaking ties; only terms used by at least two of its ideas count. A
   phrase replaces the single words it contains ("evening appointments" rather than
   "appointments, evening"), and each word is shown as residents most often spelt it. The
   top three terms make the name ("Evening appointments, saturday, weekend"), capitalised,
   at most 120 characters, and unique among the clusters returned (a clash takes the next
   term, then a number).

Results are ordered by size, largest first; idea ids within a cluster are sorted. Ideas
whose text has no usable words (empty, only stop words, or only words too rare to count)
belong to no cluster. Fewer than two ideas with usable words give no clusters at all.

Bag-of-words clustering groups ideas that share words, not meaning: two ideas about the
same thing in entirely different words ("bus" and "car park") may land apart, and the
moderator, who accepts, renames or discards each suggestion, stays the judge.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

MAX_NAME_LENGTH = 120
MIN_CLUSTERS = 2
MAX_AUTOMATIC_CLUSTERS = 12
TERMS_PER_CLUSTER = 8
TERMS_PER_NAME = 3
MAX_FEATURES = 10_000
LSA_ABOVE = 300  # distinct texts
LSA_COMPONENTS = 100
SILHOUETTE_SAMPLE = 1_000
SCAN_SAMPLE = 2_000  # texts the choice of cluster count looks at

# Words that say nothing about what an idea is about: opinion, politeness, filler, and the
# setting every idea in a PCN consultation shares. Topic words stay, however common.
DOMAIN_STOP_WORDS = frozenset(
    [
        # Talking about the idea rather than its subject.
        *("idea", "ideas", "suggest", "suggested", "suggestion", "suggestions", "think"),
        *("thought", "thoughts", "feel", "believe", "like", "liked", "know", "wish"),
        *("need", "needs", "needed", "want", "wanted", "important", "improve", "improved"),
        *("improvement", "make", "makes", "making", "use", "used", "using", "able"),
        # Politeness, emphasis and filler.
        *("please", "thank", "thanks", "hi", "hello", "dear", "ok", "okay", "yes", "sure"),
        *("really", "just", "actually", "definitely", "maybe", "perhaps", "possibly"),
        *("lot", "lots", "thing", "things", "way", "ways", "good", "great", "better", "best"),
        *("nice", "lovely", "get", "getting", "got", "etc"),
        # Contractions once their apostrophe is gone ("don't" is tidied to "dont").
        *("dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt"),
        *("wouldnt", "shouldnt", "wont", "im", "ive", "id", "youre", "theyre", "thats"),
        *("theres", "weve"),
        # The setting every idea in a PCN consultation shares.
        *("gp", "gps", "practice", "practices", "surgery", "surgeries", "nhs", "pcn", "pcns"),
    ]
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)

# A word is two or more letters or digits, at least one a letter ("8pm" yes, "2024" no).
_WORD = re.compile(r"[^\W_]{2,}")
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")


@dataclass(frozen=True)
class Cluster:
    """A group of ideas that share words: a proposed theme."""

    name: str
    terms: tuple[str, ...]
    idea_ids: tuple[int, ...]


def suggest_clusters(
    documents: Sequence[tuple[int, str]],
    *,
    max_clusters: int | None = None,
    random_state: int = 0,
) -> list[Cluster]:
    """Group `(idea id, text)` pairs into named clusters, largest first.

    `max_clusters` caps how many clusters are tried (the best-separated count up to it wins);
    without it the cap follows the corpus size, within 2..12. The same input and
    `random_state` always give the same result.
    """
    if max_clusters is not None and max_clusters < 1:
        raise ValueError("max_clusters must be at least 1")

    texts, ids_by_text, surfaces = _analyse(documents)
    if sum(len(ids) for ids in ids_by_text) < 2:
        return []
    matrix, terms = _tfidf(texts)
    if matrix is None:
        return []

    # Texts whose words were all pruned join no cluster; identical vectors count once.
    rows, row_ids = _unique_rows(matrix, ids_by_text)
    weights = np.array([len(ids) for ids in row_ids], dtype=float)
    if weights.sum() < 2:
        return []
    matrix = matrix[rows]
    if len(rows) == 1:  # several ideas, all saying the same thing: one cluster
        labels = np.zeros(1, dtype=int)
    else:
        vectors = _reduce(matrix, random_state=random_state)
        labels = _cluster(vectors, weights, max_clusters=max_clusters, random_state=random_state)
    display = {term: " ".join(surfaces[stem] for stem in term.split()) for term in terms}
    return _describe(matrix, weights, labels, row_ids, [display[term] for term in terms])


def _stem(word: str) -> str:
    """Fold plurals onto their singular ("appointments", "buses", "surgeries"); no more."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "uses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _useful_stem(word: str) -> str | None:
    """The word's stem, or None for a stop word or a word without a letter."""
    stem = _stem(word)
    if word in STOP_WORDS or stem in STOP_WORDS or not any(c.isalpha() for c in word):
        return None
    return stem


def _analyse(
    documents: Sequence[tuple[int, str]],
) -> tuple[list[str], list[list[int]], dict[str, str]]:
    """Each distinct text as a string of stems, with its idea ids, and how to show each stem.

    Texts are ordered by their smallest idea id, so the order of `documents` does not matter.
    A stem is shown as the form of it residents wrote most often.
    """
    ids_by_text: dict[str, list[int]] = {}
    stems: dict[str, str | None] = {}  # word -> its stem, or None if it is no use
    spellings: Counter[str] = Counter()
    for idea_id, text in sorted(documents, key=lambda document: document[0]):
        text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text or "")).casefold()
        words = _WORD.findall(text)
        for word in words:
            if word not in stems:
                stems[word] = _useful_stem(word)
        kept = [stem for word in words if (stem := stems[word]) is not None]
        if kept:
            spellings.update(words)
            ids_by_text.setdefault(" ".join(kept), []).append(int(idea_id))
    surfaces: dict[str, str] = {}
    best: dict[str, tuple[int, str]] = {}
    for word, count in spellings.items():
        stem = stems[word]
        if stem is not None and (stem not in best or (-count, word) < best[stem]):
            best[stem] = (-count, word)
            surfaces[stem] = word
    return list(ids_by_text), list(ids_by_text.values()), surfaces


def _tfidf(texts: list[str]) -> tuple[sparse.csr_matrix | None, np.ndarray]:
    count = len(texts)
    min_df = 1 if count < 50 else 2 if count < 1_000 else 3
    max_df = 0.8 if count >= 10 else 1.0
    # If pruning leaves nothing (a tiny or repetitive corpus), try again keeping every term.
    for attempt_min_df, attempt_max_df in dict.fromkeys([(min_df, max_df), (1, 1.0)]):
        vectorizer = TfidfVectorizer(
            lowercase=False,
            analyzer="word",
            tokenizer=str.split,  # `_analyse` has found, filtered and stemmed the words
            token_pattern=None,
            ngram_range=(1, 2),
            min_df=attempt_min_df,
            max_df=attempt_max_df,
            max_features=MAX_FEATURES,
            sublinear_tf=True,
            dtype=np.float64,
        )
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # nothing left after pruning
            continue
        return matrix.tocsr(), vectorizer.get_feature_names_out()
    return None, np.array([])


def _unique_rows(
    matrix: sparse.csr_matrix, ids_by_text: list[list[int]]
) -> tuple[list[int], list[list[int]]]:
    """Indices of the distinct non-empty rows, and the idea ids each stands for."""
    first_row: dict[tuple, int] = {}
    rows: list[int] = []
    row_ids: list[list[int]] = []
    for index in range(matrix.shape[0]):
        start, end = matrix.indptr[index], matrix.indptr[index + 1]
        if start == end:
            continue
        key = (
            matrix.indices[start:end].tobytes(),
            np.round(matrix.data[start:end], 10).tobytes(),
        )
        if key in first_row:
            row_ids[first_row[key]].extend(ids_by_text[index])
            continue
        first_row[key] = len(rows)
        rows.append(index)
        row_ids.append(list(ids_by_text[index]))
    return rows, row_ids


def _reduce(matrix: sparse.csr_matrix, *, random_state: int):
    """LSA for larger corpora; the (already L2-normalised) TF-IDF rows otherwise."""
    count, features = matrix.shape
    if count <= LSA_ABOVE or features <= LSA_COMPONENTS:
        return matrix
    svd = TruncatedSVD(n_components=LSA_COMPONENTS, random_state=random_state)
    return normalize(svd.fit_transform(matrix))


def _cluster(vectors, weights, *, max_clusters: int | None, random_state: int) -> np.ndarray:
    count = vectors.shape[0]
    if max_clusters is None:
        upper = round((count / 2) ** 0.5)
        upper = min(max(upper, MIN_CLUSTERS), MAX_AUTOMATIC_CLUSTERS)
    else:
        upper = max_clusters
    upper = min(upper, count)
    if upper < MIN_CLUSTERS:
        return np.zeros(count, dtype=int)
    # Small corpora are cheap: every candidate gets ten starts on every text. Large ones
    # scan the candidates on a sample with one start each, then the winner gets three
    # starts on every text.
    n_init, scan_init = (10, 10) if count <= 1_000 else (3, 1)
    scan_rows = np.arange(count)
    if count > SCAN_SAMPLE:
        rng = np.random.default_rng(random_state)
        scan_rows = np.sort(rng.choice(count, size=SCAN_SAMPLE, replace=False))

    def fit(k: int, starts: int, rows=None) -> np.ndarray:
        model = KMeans(n_clusters=k, n_init=starts, random_state=random_state)
        if rows is None:
            return model.fit_predict(vectors, sample_weight=weights)
        return model.fit_predict(vectors[rows], sample_weight=weights[rows])

    # The silhouette score needs 2 <= k <= count - 1.
    candidates = range(MIN_CLUSTERS, min(upper, len(scan_rows) - 1) + 1)
    if len(candidates) <= 1:
        return fit(upper, n_init)
    sample = min(len(scan_rows), SILHOUETTE_SAMPLE)
    best_k, best_labels, best_score = upper, None, -np.inf
    for k in candidates:
        labels = fit(k, scan_init, scan_rows)
        try:
            score = silhouette_score(
                vectors[scan_rows],
                labels,
                metric="cosine",
                sample_size=sample,
                random_state=random_state,
            )
        except ValueError:  # fewer than two clusters (in the sample)
            continue
        if score > best_score:
            best_k, best_labels, best_score = k, labels, score
    if best_labels is None or scan_init < n_init or len(scan_rows) < count:
        return fit(best_k, n_init)
    return best_labels


def _describe(matrix, weights, labels, row_ids, terms) -> list[Cluster]:
    """Turn labels into clusters: ids, ranked terms and a unique name for each."""
    cluster_labels = np.unique(labels)
    membership = sparse.csr_matrix(
        (weights, (labels, np.arange(len(labels)))), shape=(labels.max() + 1, len(labels))
    )
    sizes = np.asarray(membership.sum(axis=1)).ravel()
    # How many ideas in each cluster use each term, and its mean weight there.
    users = np.asarray((membership @ (matrix > 0).astype(np.float64)).todense())
    centroids = np.asarray((membership @ matrix).todense()) / np.maximum(sizes, 1)[:, None]
    # A good name term is used by many of the cluster's ideas (coverage) and by few others
    # (precision); mean TF-IDF weight breaks ties.
    coverage = users / np.maximum(sizes, 1)[:, None]
    precision = users / np.maximum(users.sum(axis=0, keepdims=True), 1)
    scores = coverage * precision

    groups = []
    for label in cluster_labels:
        members = np.flatnonzero(labels == label)
        idea_ids = tuple(sorted(i for member in members for i in row_ids[member]))
        if not idea_ids:
            continue
        order = np.lexsort((-centroids[label], -scores[label]))
        # Only words shared by two or more of the cluster's ideas describe it.
        shared = min(2.0, sizes[label])
        ranked = [terms[i] for i in order if users[label, i] >= shared]
        groups.append((idea_ids, _distinct_terms(ranked[: TERMS_PER_CLUSTER * 4])))
    groups.sort(key=lambda group: (-len(group[0]), group[0][0]))

    clusters: list[Cluster] = []
    used: set[str] = set()
    for idea_ids, ranked_terms in groups:
        name = _unique_name(ranked_terms, used)
        used.add(name.casefold())
        clusters.append(Cluster(name, tuple(ranked_terms[:TERMS_PER_CLUSTER]), idea_ids))
    return clusters


def _distinct_terms(ranked: list[str]) -> list[str]:
    """Ranked terms without repeats: a phrase replaces the single words it contains."""
    chosen: list[str] = []
    for term in ranked:
        words = term.split()
        if len(set(words)) < len(words):
            continue  # "phone phone"
        phrase_words = {
            word for chosen_term in chosen if " " in chosen_term for word in chosen_term.split()
        }
        if phrase_words & set(words):
            continue  # "appointments weekend" after "evening appointments"
        singles = [chosen_term for chosen_term in chosen if chosen_term in words]
        if len(words) == 1:
            if not singles:
                chosen.append(term)
            continue
        if singles:  # "evening appointments" replaces "appointments" (and "evening")
            position = chosen.index(singles[0])
            chosen[position] = term
            chosen = [chosen_term for chosen_term in chosen if chosen_term not in singles[1:]]
        else:
            chosen.append(term)
    return chosen


def _unique_name(terms: list[str], used: set[str]) -> str:
    """The top terms as a short capitalised name not already in `used` (case-insensitive)."""
    if not terms:
        name = "Other ideas"
    else:
        count = min(TERMS_PER_NAME, len(terms))
        name = _join(terms[:count])
        while name.casefold() in used and count < len(terms):
            count += 1
            name = _join(terms[:count])
    base, number = name, 2
    while name.casefold() in used:
        suffix = f" ({number})"
        name = base[: MAX_NAME_LENGTH - len(suffix)].rstrip(", ") + suffix
        number += 1
    return name


def _join(terms: list[str]) -> str:
    name = terms[0]
    for term in terms[1:]:
        if len(name) + 2 + len(term) > MAX_NAME_LENGTH:
            break
        name = f"{name}, {term}"
    if len(name) > MAX_NAME_LENGTH:
        name = name[: MAX_NAME_LENGTH - 1].rstrip() + "\u2026"
    return name[:1].upper() + name[1:]


def similar_documents(
    documents: Sequence[tuple[int, str]],
    *,
    groups: dict[int, int],
    threshold: float = 0.15,
) -> list[tuple[int, int, float]]:
    """Pairs of documents of different groups whose words are alike: (id, id, cosine
    similarity of their TF-IDF vectors), most alike first, each pair once (smaller id first).

    Used to suggest which themes of different PCNs of a Place may be about the same thing
    (a document is a theme's name, summary and idea titles; its group is its PCN). Words are
    found, filtered and folded as for clustering; nothing leaves the server.
    """
    texts, ids_by_text, _ = _analyse(documents)
    if len(texts) < 1:
        return []
    matrix, _ = _tfidf(texts)
    if matrix is None:
        return []
    similarity = (matrix @ matrix.T).toarray()
    pairs: dict[tuple[int, int], float] = {}
    for row in range(len(texts)):
        for column in range(row, len(texts)):
            score = float(similarity[row, column])
            if score < threshold:
                continue
            for first in ids_by_text[row]:
                for second in ids_by_text[column]:
                    if first == second or groups.get(first) == groups.get(second):
                        continue
                    pair = (min(first, second), max(first, second))
                    pairs[pair] = max(score, pairs.get(pair, 0.0))
    return sorted(
        ((a, b, round(score, 3)) for (a, b), score in pairs.items()),
        key=lambda item: (-item[2], item[0], item[1]),
    )
