"""Thin adapter: figure rules -> dealerdetect.reporting.render.figure."""

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.reporting.render import figure  # noqa: E402

sm = snakemake  # noqa: F821
figure(sm.params.kind, sm.input, sm.output.png, sm.wildcards.get("variant"))
