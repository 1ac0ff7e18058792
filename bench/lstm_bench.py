"""Micro-benchmark of the Figure 2 LSTM: training samples/s and effective GFLOP/s per preset,
next to this machine's measured float32 matrix-multiply rate. Not part of the test suite.

    python bench/lstm_bench.py [--configs cpu paper paper:256:jit] [--repeats 3] [--steps 8]

Besides the square 2048^3 matmul (the machine's limit), it times one matmul of the shape an LSTM
step multiplies, (batch, input + units) x (input + units, 4 units), which bounds what a step
of that batch size can reach.

FLOPs are counted analytically for the forward pass (2 per multiply-add: each LSTM timestep is
4 gates x (input + units) x units, plus the dense layers) and tripled for forward + backward.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def matmul_gflops(n: int = 2048, repeats: int = 5) -> float:
    import numpy as np

    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = np.random.default_rng(1).random((n, n), dtype=np.float32)
    a @ b  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return 2 * n**3 / statistics.median(times) / 1e9


def tf_matmul_gflops(n: int = 2048, repeats: int = 5) -> float:
    return tf_shape_gflops(n, n, n, repeats)


def tf_shape_gflops(m: int, k: int, n: int, repeats: int = 20) -> float:
    """TensorFlow's float32 matmul rate at one (m x k) @ (k x n) shape, median of ``repeats``."""
    import tensorflow as tf

    a = tf.random.uniform((m, k))
    b = tf.random.uniform((k, n))
    (a @ b).numpy()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        (a @ b).numpy()
        times.append(time.perf_counter() - t)
    return 2 * m * k * n / statistics.median(times) / 1e9


def train_flops_per_sample(s, text_len: int, tag_len: int) -> float:
    lstm = sum(
        length * 4 * (s.embedding_dim + s.lstm_units) * s.lstm_units * 2
        for length in (text_len, tag_len)
    )
    dense = 2 * (
        2 * s.lstm_units * s.dense_units + 2 * s.dense_units * s.dense_units + s.dense_units
    )
    return 3 * (lstm + dense)


def parse_config(text: str) -> tuple[str, int | None, bool]:
    """``preset[:batch][:jit]``, e.g. ``paper``, ``paper:256``, ``paper:256:jit``."""
    parts = text.split(":")
    batch = int(parts[1]) if len(parts) > 1 and parts[1] else None
    return parts[0], batch, "jit" in parts[2:]


def prepare(preset: str, batch: int | None, jit: bool, samples: int, steps: int, vocab=30000):
    """Build, compile and warm up (trace/compile) one configuration; return a timer of one
    ``steps``-step epoch, in samples/s, and the configuration's facts."""
    import numpy as np

    from dealerdetect.models.lstm import LSTMSettings, build_model

    s = LSTMSettings.from_config({"preset": preset, "batch_size": batch, "jit_compile": jit})
    samples = max(samples, steps * s.batch_size)
    model = build_model(vocab, 50, 15, ("text", "hashtags"), s)
    rng = np.random.default_rng(0)
    x = [rng.integers(2, vocab, (samples, 50)), rng.integers(2, vocab, (samples, 15))]
    y = rng.integers(0, 2, samples).astype("float32")
    fit = dict(batch_size=s.batch_size, epochs=1, verbose=0)
    model.fit(x, y, steps_per_epoch=2, **fit)  # trace / XLA compile

    def timed() -> float:
        t = time.perf_counter()
        model.fit(x, y, steps_per_epoch=steps, **fit)
        return steps * s.batch_size / (time.perf_counter() - t)

    facts = {
        "name": f"{preset} batch {s.batch_size}{' + XLA' if jit else ''}",
        "flops": train_flops_per_sample(s, 50, 15),
        "shape_gflops": tf_shape_gflops(
            s.batch_size, s.embedding_dim + s.lstm_units, 4 * s.lstm_units
        ),
    }
    return timed, facts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--configs",
        nargs="+",
        default=["cpu", "paper"],
        help="preset[:batch][:jit], e.g. paper:256:jit (batch omitted = the preset's)",
    )
    ap.add_argument("--repeats", type=int, default=3, help="timed epochs per configuration")
    ap.add_argument("--samples", type=int, default=2048)
    ap.add_argument("--steps", type=int, default=8, help="training steps per timed epoch")
    args = ap.parse_args()
    configs = []
    for text in args.configs:
        timed, facts = prepare(*parse_config(text), args.samples, args.steps)
        configs.append((timed, facts, []))

    # The machine is shared and its matmul rate drifts by up to 2x over minutes, so every timed
    # epoch sits between two limit measurements and is divided by the higher of the two; the
    # repeats go round the configurations so a slow spell does not hit one of them only.
    def measure_limit() -> float:
        return max(matmul_gflops(), tf_matmul_gflops())

    limit = measure_limit()
    limits = [limit]
    for _ in range(args.repeats):
        for timed, facts, shares in configs:
            rate = timed()
            after = measure_limit()
            limits.append(after)
            gflops = rate * facts["flops"] / 1e9
            shares.append((rate, gflops, gflops / max(limit, after)))
            limit = after
    print(
        f"matmul float32 2048^3 (numpy or tensorflow, the faster): "
        f"{min(limits):.1f}-{max(limits):.1f} GFLOP/s over {len(limits)} measurements"
    )
    for _, facts, shares in configs:
        rate = statistics.median(r for r, _, _ in shares)
        gflops = statistics.median(g for _, g, _ in shares)
        share = statistics.median(sh for _, _, sh in shares)
        print(
            f"{facts['name']:22s}: {rate:8.1f} samples/s, {gflops:7.2f} GFLOP/s effective; "
            f"{100 * share:5.1f}% of the adjacent matmul limit (median of {len(shares)}: "
            f"{', '.join(f'{100 * sh:.1f}' for _, _, sh in shares)}); one step's matmul shape "
            f"runs at {facts['shape_gflops']:.1f} GFLOP/s"
        )


if __name__ == "__main__":
    main()
