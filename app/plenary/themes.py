"""Themes of the plenary merge: what many points are about ("health care", "solar power").

Points are made of near restatements; a theme gathers points that share a subject though not a
claim. Subjects are anchor stems: content stems (wording.py: stop words and boilerplate out) held
by at least `ANCHOR_MIN_POINTS` points and by at most `ANCHOR_MAX_SHARE` of them (a word in
every answer, such as the question's own subject, tells no themes apart). Anchors that keep
company are one subject ("wellness", "fitness", "health"): they are clustered by the cosine of
the sets of points holding them, with average linkage cut at `ANCHOR_LINK`. Each point joins the
subject whose anchors it holds weigh most (idf over points); a point with no anchor is a theme
of its own. Points, not answers, are counted everywhere, so copies of one answer do not make a
subject.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.cluster import hierarchy

ANCHOR_MIN_POINTS = 3
ANCHOR_MAX_SHARE = 0.3
ANCHOR_LINK = 0.1
# The commonest anchors only: bounds the anchor-by-anchor matrix and its linkage.
ANCHORS_MAX = 400

IndexArray = npt.NDArray[np.int64]
SparseMatrix = Any


def theme_of_points(stems: SparseMatrix, point_of: IndexArray, n_points: int) -> IndexArray:
    """Theme number of each point (0..); `stems` has one row per text, `point_of` its point."""
    membership = sparse.csr_matrix(
        (np.ones(len(point_of)), (point_of, np.arange(len(point_of)))), shape=(n_points, len(point_of))
    )
    held = (membership @ stems).tocsr()
    held.data[:] = 1.0
    points_per_stem = np.asarray(held.sum(axis=0)).ravel()
    eligible = np.flatnonzero(
        (points_per_stem >= ANCHOR_MIN_POINTS) & (points_per_stem <= max(ANCHOR_MAX_SHARE * n_points, 1.0))
    )
    own = np.arange(n_points, dtype=np.int64)
    if len(eligible) == 0:
        return own
    anchors = eligible[np.argsort(-points_per_stem[eligible], kind="stable")][:ANCHORS_MAX]
    anchors.sort()
    by_anchor = held[:, anchors].tocsc()
    frequency = points_per_stem[anchors]
    subject_of = _subjects(by_anchor, frequency)
    idf = np.log(n_points / frequency)
    to_subject = sparse.csr_matrix(
        (idf, (np.arange(len(anchors)), subject_of)), shape=(len(anchors), int(subject_of.max()) + 1)
    )
    scores = np.asarray((by_anchor.tocsr() @ to_subject).toarray())
    best = np.argmax(scores, axis=1)
    has_subject = scores[np.arange(n_points), best] > 0
    # Subjects first, then one theme per point with none.
    theme = np.where(has_subject, best, int(subject_of.max()) + 1 + own)
    return np.unique(theme, return_inverse=True)[1].astype(np.int64)


def _subjects(by_anchor: SparseMatrix, frequency: npt.NDArray[np.float64]) -> IndexArray:
    """Cluster number of each anchor: average linkage over the cosine of their point sets."""
    if by_anchor.shape[1] == 1:
        return np.zeros(1, dtype=np.int64)
    together = np.asarray((by_anchor.T @ by_anchor).toarray(), dtype=np.float64)
    cosine = together / np.sqrt(np.outer(frequency, frequency))
    distance = np.clip(1.0 - cosine[np.triu_indices(len(frequency), k=1)], 0.0, 1.0)
    tree = hierarchy.linkage(distance, method="average")
    labels = hierarchy.fcluster(tree, t=1.0 - ANCHOR_LINK, criterion="distance")
    return np.asarray(labels, dtype=np.int64) - 1
