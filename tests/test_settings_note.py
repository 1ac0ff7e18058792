"""Table notes name what ran: the LSTM preset against Figure 2, the corpus, the protocols."""

from dealerdetect.reporting.settings import lstm_note, run_note


def test_the_cpu_preset_names_every_value_that_differs_from_figure_2():
    note = lstm_note({"preset": "cpu"})
    for part in ("embedding 32 (Figure 2: 400)", "LSTM units 32 (Figure 2: 800)", "batch 512"):
        assert part in note
    assert "output bias starts at prior" in note and "dropout" not in note


def test_the_paper_preset_is_figure_2_and_an_override_is_named():
    assert lstm_note({"preset": "paper"}) == "LSTM preset `paper`: exactly Figure 2's model."
    assert "LSTM units 64 (Figure 2: 800)" in lstm_note({"preset": "paper", "lstm_units": 64})


def test_run_note_says_simulated_size_and_protocols():
    note = run_note("simulated", ["paper", "grouped"], None, {"posts": 12857, "dealer_posts": 1228})
    assert "12,857 posts (1,228 dealer posts)" in note and "not the paper" in note
    assert "Protocols run: paper, grouped." in note
    assert "not the paper" not in run_note("file", ["paper"], None, {"posts": 5, "dealer_posts": 1})
