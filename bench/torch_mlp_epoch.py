#!/usr/bin/env python3
"""The MLP epoch of bench/backends_bench.ts in PyTorch on CPU, as an outside reference.

Dense 784-128 (ReLU)-10, softmax cross-entropy, Adam 1e-3, batch 32, no shuffling, one epoch
over the committed Fashion-MNIST mini subset (3,000 images, pixels / 255).

Prints one JSON object: {"available": true, "torch": version, "threads": n, "runs_ms": [...]}
(one warm-up epoch first, not counted), or {"available": false, "reason": ...} when PyTorch is
not installed (Debian: `apt-get install python3-torch`, for /usr/bin/python3).
Usage: python3 bench/torch_mlp_epoch.py [RUNS [THREADS]]; THREADS defaults to the number of cores
(Debian's build otherwise starts with one OpenMP thread on some machines).
"""
import gzip
import json
import os
import pathlib
import struct
import sys
import time

MINI = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "fashion-mnist-mini"
BATCH_SIZE = 32


def read_idx(path):
    """Reads a gzipped IDX file: returns (shape, raw bytes)."""
    data = gzip.decompress(path.read_bytes())
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return shape, data[4 + 4 * dims:]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
    try:
        import torch
    except ImportError as error:
        print(json.dumps({"available": False, "reason": f"PyTorch not installed ({error})"}))
        return
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    shape, pixels = read_idx(MINI / "train-images-idx3-ubyte.gz")
    _, labels = read_idx(MINI / "train-labels-idx1-ubyte.gz")
    xs = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(shape[0], 784).float() / 255
    ys = torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch():
        start = time.perf_counter()
        for i in range(0, shape[0], BATCH_SIZE):
            optimizer.zero_grad()
            loss = loss_fn(model(xs[i:i + BATCH_SIZE]), ys[i:i + BATCH_SIZE])
            loss.backward()
            optimizer.step()
        return (time.perf_counter() - start) * 1000

    epoch()  # warm-up
    runs_ms = [epoch() for _ in range(runs)]
    print(json.dumps({
        "available": True,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "images": shape[0],
        "batch_size": BATCH_SIZE,
        "runs_ms": runs_ms,
    }))


if __name__ == "__main__":
    main()
