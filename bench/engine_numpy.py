"""The NumPy baseline of `npm run bench engine`: the same work as the engine on the same safetensors files.

Gram through BLAS, the greedy cover on its rows, stable rank and orientation by subspace iteration on M^T M, the
heatmap from block sums (docs/metrics.md). Usage: engine_numpy.py REPEATS (summary|full|detail):FILE ... ; prints one
JSON object {"blas": library, "tasks": {task: {"ms": best, "clusters": n}}}.
"""
import json
import struct
import sys
import time

import numpy as np

THRESHOLD = 0.95
ACTIVE_FRACTION = 0.05
HEATMAP_MAX = 2048


def read_layer(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    name = next(k for k in header if k != "__metadata__")
    info = header[name]
    start, end = info["data_offsets"]
    return np.frombuffer(data[start:end], dtype=np.float32).reshape(info["shape"])


def top_two(m, weights, iterations=60):
    """Top two right singular vectors and values of diag(sqrt(w)) M by subspace iteration."""
    q = np.linalg.qr(np.random.default_rng(0).standard_normal((m.shape[1], 2)).astype(np.float32))[0]
    for _ in range(iterations):
        q = np.linalg.qr(m.T @ (weights[:, None] * (m @ q)))[0]
    g = q.T @ (m.T @ (weights[:, None] * (m @ q)))
    values, vectors = np.linalg.eigh(g)
    return values[::-1], (q @ vectors)[:, ::-1]


def cover(units):
    gram = units @ units.T
    n = len(units)
    cluster = np.full(n, -1)
    c = 0
    for leader in range(n):
        if cluster[leader] >= 0:
            continue
        joins = (cluster < 0) & (gram[leader] >= THRESHOLD)
        cluster[joins] = c
        cluster[leader] = c
        c += 1
    return cluster, c, gram


def summary(w):
    norms = np.sqrt(np.einsum("ij,ij->i", w, w, dtype=np.float64)).astype(np.float32)
    active = (norms > 0) & (norms >= ACTIVE_FRACTION * norms.max())
    order = np.lexsort((np.arange(len(w)), -norms))
    order = order[active[order]]
    units = np.divide(w, norms[:, None], out=np.zeros_like(w), where=norms[:, None] > 0)
    cluster, clusters, gram = cover(units[order])
    weights = np.where(active, norms.astype(np.float64) ** 2, 0).astype(np.float32)
    values, vectors = top_two(units, weights)
    stable_rank = float(weights.sum() / values[0])
    return units, order, cluster, clusters, gram, vectors, stable_rank


def heatmap(units, order, cluster, gram, full):
    members = order[np.argsort(cluster, kind="stable")]
    n = len(units)
    block = -(-n // HEATMAP_MAX)
    if block == 1 and full and len(members) == n:
        s = gram[np.argsort(cluster, kind="stable")][:, np.argsort(cluster, kind="stable")]
    else:
        inactive = np.setdiff1d(np.arange(n), members)
        ordered = units[np.concatenate([members, inactive])]
        size = -(-n // block)
        sums = np.zeros((size, units.shape[1]), dtype=np.float64)
        np.add.at(sums, np.arange(n) // block, ordered)
        counts = np.bincount(np.arange(n) // block).astype(np.float64)
        s = (sums.astype(np.float32) @ sums.astype(np.float32).T) / np.outer(counts, counts)
    return np.round((np.clip(s, -1, 1) + 1) / 2 * 255).astype(np.uint8)


def run(task, path):
    w = read_layer(path)
    units, order, cluster, clusters, gram, vectors, _ = summary(w)
    if task != "summary":
        x, y = units @ vectors[:, 0], units @ vectors[:, 1]
        np.arctan2(y, x)
        heatmap(units, order, cluster, gram, task == "full")
    return clusters


def main():
    repeats = int(sys.argv[1])
    out = {}
    for arg in sys.argv[2:]:
        task, path = arg.split(":", 1)
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            clusters = run(task, path)
            best = min(best, (time.perf_counter() - t0) * 1000)
        out[arg] = {"ms": best, "clusters": int(clusters)}
    try:
        blas = ",".join(np.__config__.get_info("blas_opt_info").get("libraries", [])) or "unknown"
    except AttributeError:
        blas = "unknown"
    print(json.dumps({"blas": blas, "tasks": out}))


if __name__ == "__main__":
    main()
