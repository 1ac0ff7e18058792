# Step 6 for real data: the disagreements of two coders, for the adjudication meeting.
# It writes adjudication_todo.csv, never adjudication.csv: the meeting saves its decisions under
# that name, so no rerun can overwrite them.


rule adjudication_sheet:
    input:
        posts=rules.collect_posts.output.posts,
        sheet_a=lambda wc: coder_sheets(wc)[0],
        sheet_b=lambda wc: coder_sheets(wc)[1],
        adjudicated=adjudicated_sheet,
    output:
        sheet=f"{annotation_dir()}/adjudication_todo.csv",
    log:
        "logs/adjudication_sheet.log",
    benchmark:
        "benchmarks/adjudication_sheet.tsv"
    conda:
        "../../environment.yml"
    params:
        phone_regions=config["privacy"]["phone_regions"],
    script:
        "../scripts/adjudication_sheet.py"
