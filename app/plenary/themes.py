"""Themes of the plenary merge: what many points are about ("health care", "solar power").

Points are near restatements of one claim; a theme gathers points on one subject though they
make different claims and share few words ("wellness coaches", "Blue Zones", "more doctors").
Each point (its answers taken together, so copies count once) is described by two parts:

- **its words**: TF-IDF of its content stems (wording.py: stop words, boilerplate, the
  meeting's common words and action words out; idf over points), expanded with the stems that
  keep company with them in this meeting: a stem's column is spread to every stem whose sets of
  points have a cosine of at least `ASSOCIATION_MIN` with its own, weighted `EXPANSION_WEIGHT`
  times that cosine. The meeting teaches its own vocabulary ("trolleys" go with "transit"
  where answers say both), in whatever language it is held;
- **its subjects**: which of the broad policy subjects of subjects.py its words name (health,
  public transport, housing …), in English, German and Bengali.

The two parts, each L2-normalised, are joined with `SUBJECT_WEIGHT` of the squared norm on the
subjects, and points are clustered by average linkage over the cosine, cut at `THEME_LINK`. Two
points that both name subjects, none of them shared, never share a theme (their distance is
made `CANNOT_LINK_DISTANCE`). A point with no content word is a theme of its own. The constants
were set on the evaluation set of bench/merge_quality.py (docs/merge.md); the themes formed are
the same for cuts from 0.85 to 0.99 there, the subjects doing most of the separating.

Above `LINKAGE_POINTS_MAX` points (a large meeting's long tail of single answers), the largest
points are clustered and each other point joins the theme of its most similar clustered point
when that similarity reaches the cut and their subjects allow it, or stays a theme of its own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.cluster import hierarchy

SUBJECT_WEIGHT = 0.4
EXPANSION_WEIGHT = 2.0
ASSOCIATION_MIN = 0.15
# Stems of a single point teach no association.
ASSOCIATION_MIN_POINTS = 2
THEME_LINK = 0.1  # the least average cosine inside a theme (cut at distance 1 - THEME_LINK)
CANNOT_LINK_DISTANCE = 1e6
# Average linkage holds every pair: 1,500 points are about 1.1 million pairs (tens of ms).
LINKAGE_POINTS_MAX = 1500
# Rows of the similarities computed at a time (a block of 250 by 1,500 is 3 MB).
SIMILARITY_BLOCK_ROWS = 250

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.int64]
SparseMatrix = Any


def theme_of_points(stems: SparseMatrix, subjects: SparseMatrix, point_of: IndexArray, n_points: int) -> IndexArray:
    """Theme number of each point (0..); `stems` and `subjects` have one row per text (1.0 for
    each content stem, or subject, it holds), `point_of` gives each text's point."""
    membership = sparse.csr_matrix(
        (np.ones(len(point_of)), (point_of, np.arange(len(point_of)))), shape=(n_points, len(point_of))
    )
    held = _binary(membership @ stems)
    named = _binary(membership @ subjects)
    features = _features(held, named)
    has_features = np.diff(features.indptr) > 0
    theme = np.full(n_points, -1, dtype=np.int64)
    candidates = np.flatnonzero(has_features)
    sizes = np.bincount(point_of, minlength=n_points)
    order = candidates[np.argsort(-sizes[candidates], kind="stable")]
    clustered, rest = np.sort(order[:LINKAGE_POINTS_MAX]), order[LINKAGE_POINTS_MAX:]
    if len(clustered):
        theme[clustered] = _clustered(features[clustered], named[clustered])
    if len(rest):
        theme[rest] = _joined(features, named, clustered, rest, theme)
    alone = theme < 0
    theme[alone] = int(theme.max(initial=-1)) + 1 + np.arange(int(alone.sum()))
    return np.unique(theme, return_inverse=True)[1].astype(np.int64)


def _binary(matrix: SparseMatrix) -> SparseMatrix:
    result = sparse.csr_matrix(matrix)
    result.data[:] = 1.0
    result.eliminate_zeros()
    return result


def _features(held: SparseMatrix, named: SparseMatrix) -> SparseMatrix:
    """Each point's words (expanded) and subjects, joined and L2-normalised (CSR)."""
    n_points = held.shape[0]
    points_per_stem = np.asarray(held.sum(axis=0)).ravel()
    idf = np.log((1.0 + n_points) / (1.0 + points_per_stem)) + 1.0
    words = (held @ sparse.diags(idf)).tocsr()
    learnable = sparse.diags((points_per_stem >= ASSOCIATION_MIN_POINTS).astype(np.float64))
    together = (learnable @ (held.T @ held) @ learnable).tocsr()
    norms = np.sqrt(np.maximum(points_per_stem, 1.0))
    association = (sparse.diags(1.0 / norms) @ together @ sparse.diags(1.0 / norms)).tocsr()
    # A stem's own column is the word itself, not an association (and no sparsity change here).
    association = (association - sparse.diags(association.diagonal())).tocsr()
    association.data[association.data < ASSOCIATION_MIN] = 0.0
    association.eliminate_zeros()
    words = words + EXPANSION_WEIGHT * (words @ association)
    joined = sparse.hstack(
        [_normalised(words) * np.sqrt(1.0 - SUBJECT_WEIGHT), _normalised(named) * np.sqrt(SUBJECT_WEIGHT)],
        format="csr",
    )
    return _normalised(joined)


def _normalised(matrix: SparseMatrix) -> SparseMatrix:
    matrix = sparse.csr_matrix(matrix, dtype=np.float64)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return (sparse.diags(scale) @ matrix).tocsr()


def _cannot_link(named_left: SparseMatrix, named_right: SparseMatrix) -> npt.NDArray[np.bool_]:
    """Pairs of points that both name subjects and share none."""
    shared = np.asarray((named_left @ named_right.T).toarray())
    left_named = np.diff(named_left.indptr) > 0
    right_named = np.diff(named_right.indptr) > 0
    result: npt.NDArray[np.bool_] = (shared <= 0) & left_named[:, None] & right_named[None, :]
    return result


def _clustered(features: SparseMatrix, named: SparseMatrix) -> IndexArray:
    if features.shape[0] == 1:
        return np.zeros(1, dtype=np.int64)
    upper = _upper_similarities(features, named)
    tree = hierarchy.linkage(np.maximum(1.0 - upper, 0.0), method="average")
    labels = hierarchy.fcluster(tree, t=1.0 - THEME_LINK, criterion="distance")
    return np.asarray(labels, dtype=np.int64) - 1


def _upper_similarities(features: SparseMatrix, named: SparseMatrix) -> FloatArray:
    """The upper triangle (row by row, as `np.triu_indices(n, k=1)` orders it) of
    `features @ features.T`, pairs that cannot link at `-CANNOT_LINK_DISTANCE`, from products of
    a block of rows with the rows from the block on: each entry (i, k), i < k, is computed as
    the full product computes it (row i's terms in row i's order), so the values are the same
    to the last bit, for half the work."""
    n_points = features.shape[0]
    upper = np.empty(n_points * (n_points - 1) // 2, dtype=np.float64)
    at = 0
    for start in range(0, n_points, SIMILARITY_BLOCK_ROWS):
        stop = min(start + SIMILARITY_BLOCK_ROWS, n_points)
        block = np.asarray((features[start:stop] @ features[start:].T).toarray(), dtype=np.float64)
        block[_cannot_link(named[start:stop], named[start:])] = -CANNOT_LINK_DISTANCE
        # Row i of the block holds columns start..n-1; its upper part starts at column i + 1.
        for i in range(start, stop):
            upper[at : at + n_points - i - 1] = block[i - start, i + 1 - start :]
            at += n_points - i - 1
    return upper


def _joined(
    features: SparseMatrix, named: SparseMatrix, clustered: IndexArray, rest: IndexArray, theme: IndexArray
) -> IndexArray:
    """Theme of each point of `rest`: that of its most similar clustered point, or -1."""
    result = np.full(len(rest), -1, dtype=np.int64)
    if len(clustered) == 0:
        return result
    block = 1000  # rows of the rest at a time: a block of similarities stays a few megabytes
    for start in range(0, len(rest), block):
        rows = rest[start : start + block]
        similarity = np.asarray((features[rows] @ features[clustered].T).toarray(), dtype=np.float64)
        similarity[_cannot_link(named[rows], named[clustered])] = -CANNOT_LINK_DISTANCE
        best = np.argmax(similarity, axis=1)
        close = similarity[np.arange(len(rows)), best] >= THEME_LINK
        result[start : start + block] = np.where(close, theme[clustered[best]], -1)
    return result
