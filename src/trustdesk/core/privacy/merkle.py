"""RFC 6962 Merkle tree hashing: tree heads, inclusion and consistency proofs, and their verifiers.

Leaf hash = SHA-256(0x00 || data), node hash = SHA-256(0x01 || left || right); the tree over n leaves splits
at the largest power of two below n (RFC 6962 section 2.1), so the roots match Certificate Transparency's.
Verifiers follow RFC 9162 sections 2.1.3.2 and 2.1.4.2. Functions take the leaf hashes (what storage keeps),
never the leaf data, so a log of any length is proven without re-reading its entries.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

HASH_BYTES = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def hash_leaf(data: bytes) -> bytes:
    """RFC 6962 leaf hash of ``data``."""
    return hashlib.sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split_point(size: int) -> int:
    # The largest power of two strictly below size (size >= 2).
    return 1 << ((size - 1).bit_length() - 1)


@dataclass(frozen=True)
class MerkleFrontier:
    """The roots of the perfect subtrees that make up a tree of ``size`` leaves, largest (leftmost) first.

    It holds at most log2(size) + 1 hashes, so storage can keep it next to the log and compute each new
    tree head in O(log n) per append instead of re-reading every leaf hash.
    """

    size: int = 0
    peaks: tuple[bytes, ...] = ()

    def root(self) -> bytes:
        """The tree head hash of the ``size`` leaves appended so far."""
        if not self.peaks:
            return EMPTY_ROOT
        result = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            result = hash_children(peak, result)
        return result


def append_leaf(frontier: MerkleFrontier, leaf_hash: bytes) -> MerkleFrontier:
    """The frontier after appending one leaf hash."""
    peaks = list(frontier.peaks)
    peaks.append(leaf_hash)
    # Each trailing 1 bit of the old size is a perfect subtree that the new leaf completes.
    size = frontier.size
    while size & 1:
        right = peaks.pop()
        peaks[-1] = hash_children(peaks[-1], right)
        size >>= 1
    return MerkleFrontier(size=frontier.size + 1, peaks=tuple(peaks))


def frontier_of(leaf_hashes: Sequence[bytes]) -> MerkleFrontier:
    """The frontier of a tree with these leaf hashes."""
    frontier = MerkleFrontier()
    for leaf_hash in leaf_hashes:
        frontier = append_leaf(frontier, leaf_hash)
    return frontier


def root_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """RFC 6962 MTH over the leaf hashes (SHA-256 of the empty string for an empty tree)."""
    if not leaf_hashes:
        return EMPTY_ROOT
    # Pairing level by level and lifting an odd last node unchanged gives the same tree as splitting at
    # the largest power of two, with one list per level instead of one frontier per leaf.
    level = list(leaf_hashes)
    while len(level) > 1:
        paired = [hash_children(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def _subtree_root(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    return root_hash(leaf_hashes[start:end])


def inclusion_path(leaf_hashes: Sequence[bytes], index: int) -> tuple[bytes, ...]:
    """RFC 6962 audit path for leaf ``index`` in the tree of all ``leaf_hashes``, leaf-side first."""
    size = len(leaf_hashes)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of {size} leaves")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        split = start + _split_point(end - start)
        if index < split:
            path.append(_subtree_root(leaf_hashes, split, end))
            end = split
        else:
            path.append(_subtree_root(leaf_hashes, start, split))
            start = split
    return tuple(reversed(path))


def consistency_proof(leaf_hashes: Sequence[bytes], first_size: int) -> tuple[bytes, ...]:
    """RFC 6962 proof that the tree of the first ``first_size`` leaves is a prefix of the whole tree."""
    size = len(leaf_hashes)
    if not 0 <= first_size <= size:
        raise ValueError(f"first size {first_size} is outside 0..{size}")
    if first_size in (0, size):
        return ()
    proof: list[bytes] = []
    start, end, boundary, is_whole_old_tree = 0, size, first_size, True
    while boundary != end - start:
        split = _split_point(end - start)
        if boundary <= split:
            proof.append(_subtree_root(leaf_hashes, start + split, end))
            end = start + split
        else:
            proof.append(_subtree_root(leaf_hashes, start, start + split))
            start, boundary, is_whole_old_tree = start + split, boundary - split, False
    if not is_whole_old_tree:
        proof.append(_subtree_root(leaf_hashes, start, end))
    return tuple(reversed(proof))


def _has_hash_size(*hashes: bytes) -> bool:
    return all(len(value) == HASH_BYTES for value in hashes)


def verify_inclusion(
    leaf_hash: bytes, *, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``path`` proves ``leaf_hash`` is leaf ``index`` of the ``size``-leaf tree with ``root``."""
    if not 0 <= index < size or not _has_hash_size(leaf_hash, root, *path):
        return False
    node, last, result = index, size - 1, leaf_hash
    for sibling in path:
        if last == 0:
            return False
        if node & 1 or node == last:
            result = hash_children(sibling, result)
            while not node & 1 and node != 0:
                node, last = node >> 1, last >> 1
        else:
            result = hash_children(result, sibling)
        node, last = node >> 1, last >> 1
    return last == 0 and result == root


def verify_consistency(
    *, first_size: int, second_size: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the ``first_size`` tree is a prefix of the ``second_size`` tree."""
    if not 0 <= first_size <= second_size or not _has_hash_size(first_root, second_root, *proof):
        return False
    if first_size == second_size:
        return not proof and first_root == second_root
    if first_size == 0:
        return not proof
    if not proof:
        return False
    nodes = list(proof)
    if first_size & (first_size - 1) == 0:
        # The old tree is a perfect subtree of the new one, so the proof leaves its root out.
        nodes.insert(0, first_root)
    node, last = first_size - 1, second_size - 1
    while node & 1:
        node, last = node >> 1, last >> 1
    first_result = second_result = nodes[0]
    for sibling in nodes[1:]:
        if last == 0:
            return False
        if node & 1 or node == last:
            first_result = hash_children(sibling, first_result)
            second_result = hash_children(sibling, second_result)
            while not node & 1 and node != 0:
                node, last = node >> 1, last >> 1
        else:
            second_result = hash_children(second_result, sibling)
        node, last = node >> 1, last >> 1
    return last == 0 and first_result == first_root and second_result == second_root
