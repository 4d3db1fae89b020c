"""RFC 6962 hashing against the Certificate Transparency reference vectors, plus proof properties."""
from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustdesk.core.privacy.merkle import (
    EMPTY_ROOT,
    MerkleFrontier,
    append_leaf,
    consistency_proof,
    frontier_of,
    hash_children,
    hash_leaf,
    inclusion_path,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

# Leaves and tree heads of the RFC 6962 test vectors used by Certificate Transparency implementations
# (transparency-dev/merkle testonly, Trillian); typed as data, roots for sizes 0..8.
CT_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
)]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [  # (leaf index, tree size, audit path)
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CT_CONSISTENCY = [  # (first size, second size, proof)
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
LEAF_HASHES = [hash_leaf(leaf) for leaf in CT_LEAVES]


def naive_root(leaf_hashes: list[bytes]) -> bytes:
    """RFC 6962 section 2.1 MTH written as the recursion reads, to cross-check the iterative one."""
    if not leaf_hashes:
        return hashlib.sha256(b"").digest()
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    split = 1
    while split * 2 < len(leaf_hashes):
        split *= 2
    return hash_children(naive_root(leaf_hashes[:split]), naive_root(leaf_hashes[split:]))


def leaves(count: int) -> list[bytes]:
    return [hash_leaf(f"entry-{index}".encode()) for index in range(count)]


@pytest.mark.parametrize("size", range(9))
def test_root_matches_the_reference_vectors(size: int) -> None:
    assert root_hash(LEAF_HASHES[:size]).hex() == CT_ROOTS[size]
    assert naive_root(LEAF_HASHES[:size]).hex() == CT_ROOTS[size]


def test_empty_root_is_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_inclusion_path_matches_the_reference_vectors(index: int, size: int, path: list[str]) -> None:
    assert [node.hex() for node in inclusion_path(LEAF_HASHES[:size], index)] == path
    root = bytes.fromhex(CT_ROOTS[size])
    assert verify_inclusion(LEAF_HASHES[index], index=index, size=size,
                            path=[bytes.fromhex(node) for node in path], root=root)


@pytest.mark.parametrize(("first", "second", "proof"), CT_CONSISTENCY)
def test_consistency_proof_matches_the_reference_vectors(first: int, second: int, proof: list[str]) -> None:
    assert [node.hex() for node in consistency_proof(LEAF_HASHES[:second], first)] == proof
    assert verify_consistency(first_size=first, second_size=second, first_root=bytes.fromhex(CT_ROOTS[first]),
                              second_root=bytes.fromhex(CT_ROOTS[second]),
                              proof=[bytes.fromhex(node) for node in proof])


@pytest.mark.parametrize(
    ("index", "size"), [(-1, 8), (8, 8), (1, 8), (2, 8), (0, 4), (0, 16), (0, 0)],
)
def test_reference_inclusion_proof_fails_for_other_positions(index: int, size: int) -> None:
    path = [bytes.fromhex(node) for node in CT_INCLUSION[0][2]]
    assert not verify_inclusion(LEAF_HASHES[0], index=index, size=size, path=path,
                                root=bytes.fromhex(CT_ROOTS[8]))


@pytest.mark.parametrize(
    ("first", "second", "first_root", "second_root", "proof", "expected"),
    [
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [], True),
        (0, 5, EMPTY_ROOT, bytes.fromhex(CT_ROOTS[5]), [], True),
        (3, 3, bytes.fromhex(CT_ROOTS[3]), bytes.fromhex(CT_ROOTS[3]), [], True),
        (3, 3, bytes.fromhex(CT_ROOTS[3]), bytes.fromhex(CT_ROOTS[4]), [], False),
        (3, 3, bytes.fromhex(CT_ROOTS[3]), bytes.fromhex(CT_ROOTS[3]), [EMPTY_ROOT], False),
        (5, 2, bytes.fromhex(CT_ROOTS[5]), bytes.fromhex(CT_ROOTS[2]), [], False),
        (2, 5, bytes.fromhex(CT_ROOTS[2]), bytes.fromhex(CT_ROOTS[5]), [], False),
        (2, 5, bytes.fromhex(CT_ROOTS[5]), bytes.fromhex(CT_ROOTS[2]), [LEAF_HASHES[1]], False),
    ],
)
def test_consistency_edge_cases(first, second, first_root, second_root, proof, expected) -> None:
    assert verify_consistency(first_size=first, second_size=second, first_root=first_root,
                              second_root=second_root, proof=proof) is expected


def test_frontier_stays_logarithmic_and_matches_the_root() -> None:
    frontier = MerkleFrontier()
    hashes = leaves(100)
    for count, leaf_hash in enumerate(hashes, start=1):
        frontier = append_leaf(frontier, leaf_hash)
        assert len(frontier.peaks) == bin(count).count("1")
        assert frontier.root() == naive_root(hashes[:count])
    assert frontier_of(hashes) == frontier


def flip_first_bit(value: bytes) -> bytes:
    return bytes([value[0] ^ 1]) + value[1:]


@given(size=st.integers(min_value=1, max_value=64), data=st.data())
def test_every_inclusion_proof_verifies_and_any_tampering_fails(size: int, data: st.DataObject) -> None:
    hashes = leaves(size)
    root = root_hash(hashes)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    path = list(inclusion_path(hashes, index))
    assert verify_inclusion(hashes[index], index=index, size=size, path=path, root=root)
    assert not verify_inclusion(flip_first_bit(hashes[index]), index=index, size=size, path=path, root=root)
    assert not verify_inclusion(hashes[index], index=index, size=size, path=path, root=flip_first_bit(root))
    assert not verify_inclusion(hashes[index], index=index, size=size, path=[*path, root], root=root)
    if path:
        position = data.draw(st.integers(min_value=0, max_value=len(path) - 1))
        tampered = path.copy()
        tampered[position] = flip_first_bit(tampered[position])
        assert not verify_inclusion(hashes[index], index=index, size=size, path=tampered, root=root)
        assert not verify_inclusion(hashes[index], index=index, size=size, path=path[:-1], root=root)
    if size > 1:
        other = (index + 1) % size
        assert not verify_inclusion(hashes[index], index=other, size=size, path=path, root=root)


@given(second=st.integers(min_value=1, max_value=64), data=st.data())
def test_every_consistency_proof_verifies_and_any_tampering_fails(second: int, data: st.DataObject) -> None:
    first = data.draw(st.integers(min_value=1, max_value=second))
    hashes = leaves(second)
    first_root, second_root = root_hash(hashes[:first]), root_hash(hashes)
    proof = list(consistency_proof(hashes, first))
    assert verify_consistency(first_size=first, second_size=second, first_root=first_root,
                              second_root=second_root, proof=proof)
    assert not verify_consistency(first_size=first, second_size=second, first_root=flip_first_bit(first_root),
                                  second_root=second_root, proof=proof)
    assert not verify_consistency(first_size=first, second_size=second, first_root=first_root,
                                  second_root=flip_first_bit(second_root), proof=proof)
    if proof:
        position = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        tampered = proof.copy()
        tampered[position] = flip_first_bit(tampered[position])
        assert not verify_consistency(first_size=first, second_size=second, first_root=first_root,
                                      second_root=second_root, proof=tampered)
        assert not verify_consistency(first_size=first, second_size=second, first_root=first_root,
                                      second_root=second_root, proof=proof[:-1])
    # A log that rewrote an old entry cannot prove consistency with its earlier head.
    rewritten = [flip_first_bit(hashes[0]), *hashes[1:]]
    assert not verify_consistency(first_size=first, second_size=second, first_root=first_root,
                                  second_root=root_hash(rewritten),
                                  proof=list(consistency_proof(rewritten, first)))


@pytest.mark.parametrize(("index", "size"), [(-1, 3), (3, 3), (0, 0)])
def test_inclusion_path_rejects_positions_outside_the_tree(index: int, size: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        inclusion_path(leaves(size), index)
