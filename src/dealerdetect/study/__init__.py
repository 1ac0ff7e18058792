"""What the study itself needs: the registry of names, config checks, job logs, benchmark
summaries and the cluster helper."""
