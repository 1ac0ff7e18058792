"""Command line: ``dealerdetect predict`` scores new posts with a model saved by a study."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd


def read_new_posts(path: Path) -> pd.DataFrame:
    """New posts as JSON Lines ({"id", "caption"}, other fields ignored) or CSV (id, caption).

    A line that cannot be read is an error naming the file, row and field.
    """
    from .posts import PostFormatError, json_objects

    if path.suffix.lower() == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in ("id", "caption"):
            if col not in df:
                raise PostFormatError(path, 1, col, "missing column")
        return df[["id", "caption"]]
    rows = []
    for row, d in json_objects(path):
        if "id" not in d:
            raise PostFormatError(path, row, "id", "missing")
        caption = d.get("caption", "")
        if caption is not None and not isinstance(caption, str):
            raise PostFormatError(path, row, "caption", "expected a string")
        rows.append({"id": str(d["id"]), "caption": caption or ""})
    return pd.DataFrame(rows, columns=["id", "caption"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dealerdetect", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "predict",
        help="score new posts with a saved final model",
        description="Score new posts with a final model saved by a study "
        "(results/models/<variant>/<model>). Prints one row per post: id, probability of a "
        "drug-dealer post, label at the model's threshold, the kinds of contact detail found "
        "(never the details themselves), and a status (posts with nothing left after cleaning "
        "are reported, not scored).",
    )
    p.add_argument(
        "--model",
        required=True,
        type=Path,
        help="a saved model directory, e.g. results/models/no_hashtags/lstm",
    )
    p.add_argument(
        "posts",
        type=Path,
        help="new posts: JSON Lines with 'id' and 'caption' per line, or a CSV with id,caption columns",
    )
    p.add_argument(
        "--output",
        "-o",
        type=Path,
        default=None,
        help="write CSV here instead of printing it to standard output",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="probability above which a post is labelled 1 (default: the study's cv.threshold)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .posts import PostFormatError
    from .predict import Scorer

    try:
        scorer = Scorer(args.model)
        if args.threshold is not None:
            scorer.meta["threshold"] = args.threshold
        posts = read_new_posts(args.posts)
    except (FileNotFoundError, PostFormatError) as err:
        print(f"dealerdetect predict: {err}", file=sys.stderr)
        return 2
    result = pd.concat([posts[["id"]], scorer.score(posts["caption"].tolist())], axis=1)
    if args.output:
        result.to_csv(args.output, index=False)
        print(
            f"scored {int((result['status'] == 'scored').sum())} of {len(result)} posts -> {args.output}",
            file=sys.stderr,
        )
    else:
        result.to_csv(sys.stdout, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
