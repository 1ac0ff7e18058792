"""Thin adapter: figure rules -> dealerdetect.reporting.render.figure."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.reporting.render import figure  # noqa: E402

sm = snakemake  # noqa: F821
figure(
    sm.params.kind,
    sm.output.png,
    variant=sm.wildcards.get("variant"),
    **{name: path for name, path in sm.input.items()},
)
