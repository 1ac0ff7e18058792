"""Micro-benchmark of the Figure 2 LSTM: training samples/s and effective GFLOP/s per preset,
next to this machine's measured float32 matrix-multiply rate. Not part of the test suite.

    python bench/lstm_bench.py [--presets cpu paper] [--batches 32 256] [--steps 8] [--jit]

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


def bench_preset(
    preset: str, samples: int, steps: int, jit: bool, batch: int | None = None, vocab: int = 30000
) -> dict:
    import keras
    import numpy as np

    from dealerdetect.models.lstm import LSTMSettings, build_model

    s = LSTMSettings.from_config({"preset": preset, "batch_size": batch})
    samples = max(samples, steps * s.batch_size)
    model = build_model(vocab, 50, 15, ("text", "hashtags"), s)
    model.compile(
        optimizer=keras.optimizers.Adam(s.learning_rate),
        loss="binary_crossentropy",
        jit_compile=jit,
    )
    rng = np.random.default_rng(0)
    x = [rng.integers(2, vocab, (samples, 50)), rng.integers(2, vocab, (samples, 15))]
    y = rng.integers(0, 2, samples).astype("float32")
    model.fit(
        x, y, batch_size=s.batch_size, epochs=1, verbose=0, steps_per_epoch=2
    )  # trace/compile
    rates = []
    for _ in range(3):
        t = time.perf_counter()
        model.fit(x, y, batch_size=s.batch_size, epochs=1, verbose=0, steps_per_epoch=steps)
        rates.append(steps * s.batch_size / (time.perf_counter() - t))
    rate = statistics.median(rates)
    flops = train_flops_per_sample(s, 50, 15)
    return {
        "preset": preset,
        "batch": s.batch_size,
        "samples_per_s": rate,
        "gflops": rate * flops / 1e9,
        "shape_gflops": tf_shape_gflops(
            s.batch_size, s.embedding_dim + s.lstm_units, 4 * s.lstm_units
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presets", nargs="+", default=["cpu", "paper"])
    ap.add_argument(
        "--batches", nargs="+", type=int, default=[0], help="batch sizes; 0 = the preset's"
    )
    ap.add_argument("--samples", type=int, default=2048)
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--jit", action="store_true", help="compile the train step with XLA")
    args = ap.parse_args()
    # The machine is shared and noisy: the limit is measured before and after every preset
    # and the highest rate seen is the limit (the conservative ratio).
    limits: list[float] = []

    def measure_limit() -> float:
        np_rate, tf_rate = matmul_gflops(), tf_matmul_gflops()
        limits.append(max(np_rate, tf_rate))
        print(f"matmul float32 2048^3: numpy {np_rate:.1f}, tensorflow {tf_rate:.1f} GFLOP/s")
        return max(limits)

    measure_limit()
    results = []
    for preset in args.presets:
        for batch in args.batches:
            results.append(bench_preset(preset, args.samples, args.steps, args.jit, batch or None))
            limit = measure_limit()
    print(f"limit (highest matmul rate seen): {limit:.1f} GFLOP/s")
    for r in results:
        print(
            f"preset {r['preset']:5s} batch {r['batch']:4d}{' jit' if args.jit else ''}: "
            f"{r['samples_per_s']:8.1f} samples/s, {r['gflops']:7.2f} GFLOP/s effective = "
            f"{100 * r['gflops'] / limit:5.1f}% of the matmul limit; one step's matmul shape "
            f"runs at {r['shape_gflops']:.1f} GFLOP/s ({100 * r['gflops'] / r['shape_gflops']:.0f}% "
            "of that)"
        )


if __name__ == "__main__":
    main()
