"""On-server TF-IDF similarity between themes of different PCNs (consultations/clustering.py)."""

from consultations.clustering import similar_documents


def test_alike_documents_of_different_groups_are_paired_most_alike_first():
    documents = [
        (1, "Evening appointments after work"),
        (2, "Appointments in the evening after work"),
        (3, "Parking at the surgery is full"),
        (4, "Evening appointments for people who work"),
    ]
    pairs = similar_documents(documents, groups={1: 10, 2: 20, 3: 20, 4: 10})
    assert [(a, b) for a, b, _ in pairs] == [(1, 2), (2, 4)]
    assert pairs[0][2] >= pairs[1][2]


def test_documents_of_one_group_are_never_paired():
    documents = [(1, "Evening appointments"), (2, "Evening appointments")]
    assert similar_documents(documents, groups={1: 10, 2: 10}) == []


def test_nothing_alike_means_no_pairs():
    documents = [(1, "Evening appointments"), (2, "Parking spaces")]
    assert similar_documents(documents, groups={1: 10, 2: 20}) == []
