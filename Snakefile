# dealerdetect: rerun of Li, Xu, Shah & Mackey (2019), JMIR 21(6):e13803.
# Glue only: rules live in workflow/rules/, logic in the dealerdetect package.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


# The home page, written by rule report_home from what ran (relative to this file: run the study
# where the Snakefile is).
report: "results/report/home.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/collect.smk"
include: "workflow/rules/pictures.smk"
include: "workflow/rules/annotation.smk"
include: "workflow/rules/preprocess.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/models.smk"
include: "workflow/rules/accounts.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/figures.smk"


rule all:
    default_target: True
    input:
        all_outputs,
