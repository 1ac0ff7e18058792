"""What limits the `cpu` LSTM: one graph change at a time, plain Keras, on a few paper folds.

    python bench/lstm_probe.py --study /tmp/sms --variant no_hashtags base act=relu dense=64

Each argument after the options is a probe: ``name`` or ``key=value[,key=value]`` changes to the
`cpu` preset's graph and training (keys: emb, units, dense, act, drop, rdrop, lr, bs, ep, mid;
``mid=0`` drops the two hidden dense layers). Text block only (``no_hashtags``-style variants),
masked full-length inputs, 30% validation split as the study, a fixed number of epochs and no
stopping rule, so a probe isolates the graph. Prints mean test F1 at 0.5, mean PR AUC, the
lowest validation loss and its epoch, per probe. A diagnosis tool: it reads test folds, so it
must not choose settings (bench/lstm_candidates.py does that on the training folds).
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import pandas as pd

BASE = dict(
    emb=32, units=32, dense=16, act="sigmoid", drop=0.2, rdrop=0.2, lr=3e-3, bs=512, ep=30, mid=1
)


def probe(x, y, assign, vocab, cfg, folds, seed):
    import keras
    import tensorflow as tf
    from keras import layers
    from sklearn.metrics import average_precision_score, f1_score
    from sklearn.model_selection import train_test_split

    tf.config.threading.set_intra_op_parallelism_threads(1)  # as the study's LSTM jobs
    tf.config.threading.set_inter_op_parallelism_threads(1)
    rows = []
    for fold in folds:
        keras.utils.set_random_seed(seed + fold)
        train, test = np.where(assign != fold)[0], np.where(assign == fold)[0]
        fit, val = train_test_split(
            train, test_size=0.3, random_state=seed + fold, stratify=y[train]
        )
        inp = keras.Input((None,), dtype="int32")
        h = layers.Embedding(vocab, cfg["emb"], mask_zero=True)(inp)
        h = layers.LSTM(cfg["units"], dropout=cfg["drop"], recurrent_dropout=cfg["rdrop"])(h)
        for _ in range(2 if cfg["mid"] else 0):  # dense 1 and dense 3 of Figure 2
            h = layers.Dense(cfg["dense"], activation=cfg["act"])(h)
        out = layers.Dense(1, activation="sigmoid")(h)
        model = keras.Model(inp, out)
        model.compile(keras.optimizers.Adam(cfg["lr"]), "binary_crossentropy")
        p = y[fit].mean()
        model.layers[-1].bias.assign([np.log(p / (1 - p))])  # the preset's prior bias
        t0 = time.process_time()
        hist = model.fit(
            x[fit],
            y[fit],
            validation_data=(x[val], y[val]),
            batch_size=cfg["bs"],
            epochs=cfg["ep"],
            verbose=0,
        )
        score = model.predict(x[test], batch_size=2048, verbose=0).ravel()
        vl = hist.history["val_loss"]
        rows.append(
            (
                100 * f1_score(y[test], score > 0.5),
                100 * average_precision_score(y[test], score),
                min(vl),
                int(np.argmin(vl)) + 1,
                time.process_time() - t0,
            )
        )
    return np.array(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--study", required=True)
    ap.add_argument("--variant", default="no_hashtags")
    ap.add_argument("--folds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("probes", nargs="+")
    args = ap.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    df = pd.read_parquet(f"{args.study}/results/preprocess/{args.variant}.parquet")
    folds = pd.read_csv(
        f"{args.study}/results/cv/paper/{args.variant}/folds.csv", dtype={"id": str}
    )
    assign = df["id"].map(dict(zip(folds["id"], folds["fold"], strict=True))).to_numpy()
    with open(f"{args.study}/results/preprocess/vocabulary.json") as fh:
        vocab = json.load(fh)["size"] + 2
    x = np.array(df["text_idx"].tolist(), dtype="int32")
    y = df["label"].to_numpy(dtype="float32")
    for text in args.probes:
        cfg = dict(BASE)
        for pair in (p for p in text.split(",") if "=" in p):
            key, value = pair.split("=", 1)
            cfg[key] = value if key == "act" else type(BASE[key])(float(value))
        r = probe(x, y, assign, vocab, cfg, args.folds, args.seed)
        print(
            f"{text}: F1 {r[:, 0].mean():.2f} PR AUC {r[:, 1].mean():.2f} "
            f"min val loss {r[:, 2].mean():.4f} at epochs {r[:, 3].astype(int).tolist()} "
            f"CPU {r[:, 4].sum():.0f} s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
