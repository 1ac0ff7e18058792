import logging

import numpy as np
import pandas as pd
import pytest

from dealerdetect.models.lstm import PRESETS, LSTMSettings, build_model, should_stop


@pytest.mark.parametrize(
    "losses, stop",
    [
        ([0.5, 0.4, 0.3, 0.2], False),  # fewer than 5 epochs: never
        ([0.5, 0.4, 0.3, 0.2, 0.1], False),  # improving
        ([0.2, 0.3, 0.4, 0.5, 0.6], True),  # continually increasing
        ([0.5, 0.2, 0.3, 0.25, 0.45], False),  # larger than 3 of 4 previous only
        ([0.5, 0.2, 0.3, 0.25, 0.51], True),  # larger than all 4 previous
        ([0.1, 0.5, 0.2, 0.3, 0.25, 0.51], True),  # only the last 4 count
        ([0.3, 0.3, 0.3, 0.3, 0.3], False),  # equal is not larger
    ],
)
def test_paper_stopping_rule_on_scripted_losses(losses, stop):
    assert should_stop(losses, patience=4) is stop


def test_callback_stops_keras_training_on_scripted_sequence():
    from dealerdetect.models.lstm import paper_stopping_callback

    class FakeModel:
        stop_training = False

    cb = paper_stopping_callback(4)
    cb.set_model(FakeModel())
    for epoch, v in enumerate([0.5, 0.4, 0.45, 0.46, 0.47, 0.48, 0.3]):
        cb.on_epoch_end(epoch, {"val_loss": v})
        if cb.model.stop_training:
            break
    assert cb.stopped_epoch == 6 and cb.val_losses == [0.5, 0.4, 0.45, 0.46, 0.47, 0.48]


def test_presets_and_overrides():
    paper = LSTMSettings.from_config({"preset": "paper"})
    assert (paper.embedding_dim, paper.lstm_units, paper.dense_units, paper.learning_rate) == (
        400,
        800,
        200,
        1e-4,
    )
    assert (paper.dropout, paper.recurrent_dropout) == (0.2, 0.2)
    assert paper.mask_padding is False and paper.batch_size == 32  # as the authors: no masking
    cpu = LSTMSettings.from_config({"preset": "cpu"})
    assert cpu.mask_padding is True
    # The cpu preset narrows the embedding and the LSTM, not the dense stack: at 16 sigmoid units
    # that stack was the bottleneck (docs/performance.md, sixth round).
    assert cpu.dense_units == paper.dense_units == 200
    assert (cpu.dropout, cpu.recurrent_dropout) == (paper.dropout, paper.recurrent_dropout)
    s = LSTMSettings.from_config({"preset": "cpu", "lstm_units": 5})
    assert s.lstm_units == 5 and s.embedding_dim == PRESETS["cpu"]["embedding_dim"]
    with pytest.raises(ValueError, match="models.lstm.preset"):
        LSTMSettings.from_config({"preset": "gpu"})
    # The starting output bias: Keras' zero in the paper preset, the prior in the cpu preset.
    assert paper.output_bias == "zero"
    assert LSTMSettings.from_config({"preset": "cpu"}).output_bias == "prior"
    assert LSTMSettings.from_config({"preset": "paper", "output_bias": "prior"}).output_bias == (
        "prior"
    )
    with pytest.raises(ValueError, match="models.lstm.output_bias: 'mean'"):
        LSTMSettings.from_config({"preset": "cpu", "output_bias": "mean"})


def test_figure2_graph_with_paper_preset():
    s = LSTMSettings.from_config({"preset": "paper"})
    model = build_model(29832, 50, 15, ("text", "hashtags"), s)
    layers = {layer.name: layer for layer in model.layers}
    assert (
        layers["text_embedding"].output_dim == 400 and layers["text_embedding"].input_dim == 29832
    )
    assert layers["text_lstm"].units == 800 and layers["hashtags_lstm"].units == 800
    assert layers["text_lstm"].dropout == 0.2 and layers["text_lstm"].recurrent_dropout == 0.2
    for name in ("text_dense", "hashtags_dense", "dense_3"):
        assert layers[name].units == 200 and layers[name].activation.__name__ == "sigmoid"
    assert layers["dense_4"].units == 1 and layers["dense_4"].activation.__name__ == "sigmoid"
    assert [tuple(i.shape) for i in model.inputs] == [(None, 50), (None, 15)]
    assert model.optimizer.learning_rate.numpy() == pytest.approx(1e-4)
    assert model.loss == "binary_crossentropy"


# A model small enough to train in a second: the cpu preset's graph and options, 4 units wide.
TINY = {
    "lstm": {
        "preset": "cpu",
        "embedding_dim": 4,
        "lstm_units": 4,
        "dense_units": 4,
        "epochs": 3,
        "batch_size": 16,
    }
}


def test_single_block_variants_and_a_short_fit(caplog):
    from dealerdetect.models.train import fit_lstm

    rng = np.random.default_rng(0)
    n = 60
    label = np.array([0, 1] * (n // 2))
    df = pd.DataFrame(
        {
            "label": label,
            "text_idx": [list(rng.integers(2, 20, 6)) for _ in range(n)],
            "tag_idx": [[20 + y, 0, 0] for y in label],  # the hashtag gives the label away
        }
    )
    settings = TINY
    with caplog.at_level(logging.INFO, logger="dealerdetect.models.train"):
        model, history = fit_lstm(df, "hashtags_only", settings, seed=1, vocab_size=22)
    assert [i.name for i in model.inputs] == ["hashtags_index"]
    assert [h["epoch"] for h in history] == [1, 2, 3]
    assert all(np.isfinite(h["val_loss"]) for h in history)
    # One log line per epoch with the losses and seconds (the job's log; Keras prints nothing).
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("epoch ")]
    assert [line.split()[:2] for line in lines] == [["epoch", "1"], ["epoch", "2"], ["epoch", "3"]]
    assert f"val_loss {history[2]['val_loss']:.4f}" in lines[2] and "seconds" in lines[2]


def test_with_pictures_adds_a_third_branch_built_like_the_other_two():
    s = LSTMSettings.from_config({"preset": "paper"})
    model = build_model(29832, 50, 15, ("text", "hashtags", "picture"), s, picture_length=30)
    layers = {layer.name: layer for layer in model.layers}
    assert [i.name for i in model.inputs] == ["text_index", "hashtags_index", "picture_index"]
    assert [tuple(i.shape) for i in model.inputs] == [(None, 50), (None, 15), (None, 30)]
    # Same embedding table size, LSTM and dense as Figure 2's branches; merged before dense 3.
    assert layers["picture_embedding"].input_dim == 29832
    assert layers["picture_embedding"].output_dim == layers["text_embedding"].output_dim
    assert layers["picture_lstm"].units == layers["text_lstm"].units == 800
    assert layers["picture_dense"].units == 200
    assert len(layers["merge"].input) == 3


def test_the_picture_branch_learns_what_only_the_picture_shows():
    """Image ads: the caption says nothing, the picture's words give the label away. A model
    that ignored its third branch would stay at the prior."""
    from dealerdetect.models.lstm import VARIANT_BLOCKS, inputs_for
    from dealerdetect.models.train import fit_lstm, predict_scores

    rng = np.random.default_rng(3)
    n = 160
    label = np.array([0, 1] * (n // 2))
    df = pd.DataFrame(
        {
            "label": label,
            "text_idx": [list(rng.integers(2, 20, 6)) + [0] * 4 for _ in range(n)],
            "tag_idx": [list(rng.integers(2, 20, 2)) + [0] for _ in range(n)],
            # Half the posts have no picture (all padding); the rest carry a label word.
            "pic_idx": [
                [20 + y, 0, 0, 0] if i % 4 < 2 else [0, 0, 0, 0] for i, y in enumerate(label)
            ],
        }
    )
    settings = {"lstm": {**TINY["lstm"], "epochs": 25, "learning_rate": 0.05}}
    model, history = fit_lstm(df, "with_pictures", settings, seed=1, vocab_size=22)
    assert [i.name for i in model.inputs] == ["text_index", "hashtags_index", "picture_index"]
    scores = predict_scores(model, inputs_for(df, VARIANT_BLOCKS["with_pictures"]))
    pictured = np.arange(n) % 4 < 2
    dealer, other = scores[pictured & (label == 1)], scores[pictured & (label == 0)]
    assert dealer.min() > other.max(), (dealer.min(), other.max())
    # Posts without a picture cannot be told apart: their scores stay between the two groups.
    assert np.ptp(scores[~pictured]) < dealer.min() - other.max()


@pytest.mark.parametrize("bias, expected", [("zero", 0.0), ("prior", np.log(6 / 54))])
def test_output_bias_starts_at_zero_or_the_training_prior(bias, expected):
    from dealerdetect.models.train import init_output_bias, output_bias_for

    s = LSTMSettings.from_config(
        {"preset": "cpu", "embedding_dim": 4, "lstm_units": 3, "output_bias": bias}
    )
    model = build_model(40, 50, 15, ("text",), s)
    text, _ = padded_indexes(64, text_lengths=(1, 12), tag_lengths=(0, 1), seed=4)
    before = model.predict(text, verbose=0).ravel()
    y = np.array([1] * 6 + [0] * 54, dtype="float32")  # 10% dealer posts
    init_output_bias(model, y, s)
    assert model.get_layer("dense_4").bias.numpy()[0] == pytest.approx(expected, abs=1e-6)
    # The bias shifts every untrained score's log-odds by the prior's log-odds (0 for "zero").
    after = model.predict(text, verbose=0).ravel()
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    np.testing.assert_allclose(logit(after) - logit(before), expected, atol=1e-4)
    assert np.isfinite(output_bias_for(np.zeros(10)))  # a one-class fold stays finite


def test_trimmed_batches_cover_every_row_once_and_group_similar_lengths():
    from dealerdetect.models.train import length_batches, real_lengths

    rng = np.random.default_rng(3)
    lengths = rng.integers(0, 50, 5000)
    batches = length_batches(lengths, 128, np.random.default_rng(0))
    assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(5000))
    assert len(batches) == -(-5000 // 128)  # the cardinality trimmed_dataset declares
    # Sorting within chunks makes a batch's spread of lengths far below the corpus's.
    spread = np.median([np.ptp(lengths[b]) for b in batches])
    assert spread < 0.25 * np.ptp(lengths)
    x = np.array([[3, 4, 0, 0], [0, 0, 0, 0], [5, 1, 2, 7]])
    assert real_lengths(x).tolist() == [2, 0, 4]


def padded_indexes(n, text_lengths, tag_lengths, seed):
    """``n`` post-padded index rows of 50 and 15 (indexes 2-39), lengths drawn in the ranges."""
    rng = np.random.default_rng(seed)
    text = np.zeros((n, 50), dtype="int32")
    tags = np.zeros((n, 15), dtype="int32")
    for i in range(n):
        n_text, n_tags = rng.integers(*text_lengths), rng.integers(*tag_lengths)
        text[i, :n_text] = rng.integers(2, 40, n_text)
        tags[i, :n_tags] = rng.integers(2, 40, n_tags)
    return text, tags


def test_trimming_padding_under_the_mask_gives_the_same_predictions():
    """The reason trim_padding is exact: masked padding steps only carry the state forward."""
    from dealerdetect.models.train import trim

    s = LSTMSettings.from_config(
        {"preset": "cpu", "embedding_dim": 6, "lstm_units": 5, "dense_units": 4}
    )
    assert s.trim_padding and s.mask_padding
    model = build_model(40, 50, 15, ("text", "hashtags"), s)
    text, tags = padded_indexes(32, text_lengths=(1, 12), tag_lengths=(0, 6), seed=1)
    full = model.predict([text, tags], verbose=0)
    cut = trim([text, tags])
    assert cut[0].shape[1] <= 11 and cut[1].shape[1] <= 5
    np.testing.assert_allclose(model.predict(cut, verbose=0), full, rtol=1e-5, atol=1e-6)
    # Without the mask the padding is input, and cutting it changes the output.
    plain = LSTMSettings(6, 5, 4, 1e-3)
    unmasked_full = build_model(40, 50, 15, ("text", "hashtags"), plain)
    unmasked_cut = build_model(40, 12, 15, ("text", "hashtags"), plain)
    for m in (unmasked_full, unmasked_cut):
        m.set_weights(model.get_weights())
    assert not np.allclose(
        unmasked_full.predict([text, tags], verbose=0),
        unmasked_cut.predict([text[:, :12], tags], verbose=0),
        atol=1e-6,
    )


def test_trim_padding_needs_the_mask():
    with pytest.raises(ValueError, match="trim_padding needs mask_padding"):
        LSTMSettings.from_config({"preset": "cpu", "mask_padding": False})


def test_scores_of_a_trimmed_model_come_back_in_row_order():
    from dealerdetect.models.train import predict_scores

    s = LSTMSettings.from_config(
        {"preset": "cpu", "embedding_dim": 6, "lstm_units": 5, "dense_units": 4}
    )
    model = build_model(40, 50, 15, ("text", "hashtags"), s)
    text, tags = padded_indexes(70, text_lengths=(1, 30), tag_lengths=(0, 15), seed=2)
    full = model.predict([text, tags], verbose=0).ravel()
    # Batches of 16 in length order, each cut: a wrong reordering would mismatch rows.
    np.testing.assert_allclose(predict_scores(model, [text, tags], 16), full, rtol=1e-5, atol=1e-6)


def test_the_optimizer_is_built_before_the_first_step():
    """Adam's slots created inside the first traced step make TensorFlow trace it twice."""
    s = LSTMSettings.from_config({"preset": "cpu", "embedding_dim": 4, "lstm_units": 3})
    model = build_model(30, 50, 15, ("text",), s)
    assert model.optimizer.built
    assert len(model.optimizer.variables) > len(model.trainable_variables)


@pytest.mark.slow  # trains two LSTMs for several epochs (~20 s)
def test_a_reused_model_trains_exactly_as_a_fresh_one():
    """evaluate_job runs several folds in one process and hands each fold the previous fold's
    model, to keep its traced steps. Reset to the new fold's seed, it must give the losses and
    scores a fresh model gives: weights, dropout seeds and Adam's state all restart."""
    from dealerdetect.models.train import fit_lstm, predict_scores

    text, tags = padded_indexes(96, (1, 12), (1, 6), seed=3)
    label = (text[:, 0] % 3 == 0).astype(int)
    df = pd.DataFrame({"label": label, "text_idx": list(text), "tag_idx": list(tags)})
    settings = TINY
    first, _ = fit_lstm(df.iloc[:60], "with_hashtags", settings, seed=11, vocab_size=40)
    second = df.iloc[30:]
    fresh, fresh_hist = fit_lstm(second, "with_hashtags", settings, seed=12, vocab_size=40)
    reused, reused_hist = fit_lstm(
        second, "with_hashtags", settings, seed=12, vocab_size=40, reuse=first
    )
    assert reused is first  # the traced model was kept, not rebuilt
    x = [text, tags]
    assert [h["val_loss"] for h in reused_hist] == [h["val_loss"] for h in fresh_hist]
    np.testing.assert_array_equal(predict_scores(reused, x), predict_scores(fresh, x))
    # Another variant's graph is not reused.
    other, _ = fit_lstm(second, "no_hashtags", settings, seed=12, vocab_size=40, reuse=first)
    assert other is not first


def test_the_cpu_preset_scores_the_weights_of_its_lowest_validation_loss():
    from dealerdetect.models.lstm import paper_stopping_callback

    class FakeModel:
        """Its "weights" are the epoch that wrote them."""

        stop_training = False
        weights = [np.zeros(1)]

        def get_weights(self):
            return [w.copy() for w in self.weights]

        def set_weights(self, weights):
            self.weights = weights

    # The stopping rule fires on epoch 6, the worst of its last five; epoch 2 was the best.
    losses = [0.5, 0.3, 0.45, 0.46, 0.47, 0.48]
    for restore, kept in ((True, 2), (False, 6)):
        cb = paper_stopping_callback(4, restore_best=restore)
        cb.set_model(FakeModel())
        for epoch, v in enumerate(losses):
            cb.model.weights = [np.full(1, epoch + 1.0)]
            cb.on_epoch_end(epoch, {"val_loss": v})
            if cb.model.stop_training:
                break
        cb.on_train_end()
        assert cb.stopped_epoch == 6 and cb.kept_epoch == kept
        assert cb.model.weights[0][0] == kept
    assert LSTMSettings.from_config({"preset": "cpu"}).restore_best is True
    # Figure 2 and the authors' script keep the last epoch's weights.
    assert LSTMSettings.from_config({"preset": "paper"}).restore_best is False
    assert LSTMSettings.from_config({"preset": "cpu", "restore_best": False}).restore_best is False


def test_a_fit_reports_the_epoch_whose_weights_it_kept():
    from dealerdetect.models.train import fit_lstm, predict_scores

    text, tags = padded_indexes(96, (1, 12), (1, 6), seed=3)
    label = (text[:, 0] % 3 == 0).astype(int)
    df = pd.DataFrame({"label": label, "text_idx": list(text), "tag_idx": list(tags)})
    # A learning rate at which the stopping rule fires after the loss turned up (epochs 7, 9).
    settings = {"lstm": {**TINY["lstm"], "epochs": 12, "learning_rate": 0.05}}
    model, hist = fit_lstm(df, "with_hashtags", settings, seed=5, vocab_size=40)
    kept = [h for h in hist if h["kept"]]
    assert len(kept) == 1 and kept[0]["epoch"] < len(hist) < 12
    assert kept[0]["val_loss"] == min(h["val_loss"] for h in hist)
    # The model holds those weights: its loss on the validation rows is the kept epoch's.
    from sklearn.model_selection import train_test_split

    _, val = train_test_split(np.arange(96), test_size=0.3, random_state=5, stratify=label)
    p = np.clip(predict_scores(model, [text[val], tags[val]]), 1e-7, 1 - 1e-7)
    y = label[val]
    loss = float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
    assert loss == pytest.approx(kept[0]["val_loss"], rel=1e-3)
    assert loss != pytest.approx(hist[-1]["val_loss"], rel=1e-3)
