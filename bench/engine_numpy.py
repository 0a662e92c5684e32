"""The NumPy baseline of `npm run bench engine`: the same work as the engine on the same safetensors files.

Gram through BLAS, the greedy cover on its rows, stable rank and orientation by subspace iteration on M^T M, the
heatmap from block sums (docs/metrics.md). Usage: engine_numpy.py REPEATS (summary|full|detail):FILE ... ; prints one
JSON object {"blas": library, "tasks": {task: {"ms": best, "clusters": n}}, "usage": {"cpuMs", "peakRss"}}. The task
layers:PLAN summarises every layer a JSON plan lists (views of the tensors of one checkpoint, as the engine discovered
them: axis order, neuron rows, bias, next layer) from that checkpoint's file; its "clusters" is then each layer's
figures (clusters, effective, largest, stableRank).
"""
import json
import resource
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


def tensors_of(path):
    """Every tensor of a safetensors file, mapped from the file (read as it is used)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + length)
    return {
        name: data[info["data_offsets"][0] : info["data_offsets"][1]].view(np.float32).reshape(info["shape"])
        for name, info in header.items()
        if name != "__metadata__"
    }


def view(tensors, v):
    """A layer's view of a stored tensor: axes reordered to neuron-major, then the neuron rows kept."""
    a = tensors[v["tensor"]]
    if v["order"]:
        a = np.transpose(a, v["order"])
    if v["rows"]:
        a = np.concatenate([a[start : start + count] for start, count in v["rows"]])
    return np.ascontiguousarray(a, dtype=np.float32)


def layer_summary(tensors, layer):
    """docs/metrics.md's clusters, effective clusters, largest cluster and stable rank of one planned layer."""
    w = view(tensors, layer["weight"])
    n = len(w)
    w = w.reshape(n, -1)
    if layer["bias"]:
        w = np.hstack([w, view(tensors, layer["bias"]).reshape(n, 1)])
    norms = np.sqrt(np.einsum("ij,ij->i", w, w, dtype=np.float64)).astype(np.float32)
    amplitude = norms.astype(np.float64)
    if layer["next"]:
        nxt = view(tensors, layer["next"])
        nxt = nxt.reshape(nxt.shape[0], nxt.shape[1], -1).astype(np.float64)
        amplitude = amplitude * np.sqrt(np.einsum("mkr,mkr->k", nxt, nxt))
    active = (norms > 0) & (amplitude > 0) & (amplitude >= ACTIVE_FRACTION * amplitude.max())
    order = np.lexsort((np.arange(n), -amplitude))
    order = order[active[order]]
    if len(order) == 0:
        return {"clusters": 0, "effective": 0.0, "largest": 0, "stableRank": 0.0}
    units = np.divide(w, norms[:, None], out=np.zeros_like(w), where=norms[:, None] > 0)
    cluster, clusters, _ = cover(units[order])
    mass = np.bincount(cluster, weights=amplitude[order])
    p = mass / mass.sum()
    effective = float(np.exp(-np.sum(p[p > 0] * np.log(p[p > 0]))))
    weights = np.where(active, amplitude**2, 0).astype(np.float32)
    values, _ = top_two(units, weights)
    stable_rank = float(weights.sum() / values[0])
    return {"clusters": int(clusters), "effective": effective, "largest": int(np.bincount(cluster).max()), "stableRank": stable_rank}


def run_plan(path):
    with open(path) as f:
        plan = json.load(f)
    tensors = tensors_of(plan["file"])
    return [layer_summary(tensors, layer) for layer in plan["layers"]]


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
            clusters = run_plan(path) if task == "layers" else run(task, path)
            best = min(best, (time.perf_counter() - t0) * 1000)
        out[arg] = {"ms": best, "clusters": clusters if task == "layers" else int(clusters)}
    try:
        blas = ",".join(np.__config__.get_info("blas_opt_info").get("libraries", [])) or "unknown"
    except AttributeError:
        blas = "unknown"
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
    print(json.dumps({"blas": blas, "tasks": out, "usage": {"cpuMs": cpu_ms, "peakRss": usage.ru_maxrss * 1024}}))


if __name__ == "__main__":
    main()
