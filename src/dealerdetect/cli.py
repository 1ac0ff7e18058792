"""Command line: ``dealerdetect predict`` scores new posts with a model saved by a study."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .posts import PostFormatError, json_objects

# The most bytes of posts one run reads (documented in --help and the README): posts are read
# into memory, so a bigger input, or one without end such as /dev/zero, is refused with this.
MAX_POSTS_BYTES = 256 << 20
MAX_POSTS_MIB = MAX_POSTS_BYTES >> 20


def _post_id(value, path: Path, row: int) -> str:
    """An id that names one post: a non-empty string or an integer (not null, true or 1.5)."""
    if value is None:
        raise PostFormatError(path, row, "id", "missing (null)")
    if isinstance(value, bool) or not isinstance(value, str | int):
        got = f"{type(value).__name__} {value!r}"[:60]
        raise PostFormatError(path, row, "id", f"expected a string or an integer, got {got}")
    if not str(value).strip():
        raise PostFormatError(path, row, "id", "empty")
    return str(value)


def _jsonl_rows(path: Path, max_bytes: int | None = None) -> Iterator[dict]:
    for row, d in json_objects(path, max_bytes=max_bytes):
        if "id" not in d:
            raise PostFormatError(path, row, "id", "missing")
        caption = d.get("caption", "")
        if caption is not None and not isinstance(caption, str):
            raise PostFormatError(path, row, "caption", "expected a string")
        yield {"id": _post_id(d["id"], path, row), "caption": caption or ""}


def _csv_rows(path: Path) -> list[dict]:
    from .collection.files import read_csv_table

    header, table = read_csv_table(path, max_bytes=MAX_POSTS_BYTES)
    for col in ("id", "caption"):
        if col not in header:
            raise PostFormatError(path, 1, col, f"missing column; header: {header}")
    i, j = header.index("id"), header.index("caption")
    return [
        {
            "id": _post_id(cells[i] if i < len(cells) else "", path, row),
            "caption": cells[j] if j < len(cells) else "",
        }
        for row, cells in table
    ]


def iter_new_posts(path: Path, chunk: int = 20_000) -> Iterator[pd.DataFrame]:
    """New posts in frames of at most ``chunk`` rows, checked as :func:`read_new_posts` checks
    them. A regular JSON Lines file is checked whole first and then read again a chunk at a
    time, so a bad row stops the run before any score is written and memory stays bounded by
    the chunk, whatever the file's size; a CSV file, or a pipe or device, is read whole, so it
    may hold at most ``MAX_POSTS_BYTES``."""
    if path.suffix.lower() != ".csv" and path.is_file():
        if not any(True for _ in _jsonl_rows(path)):
            raise PostFormatError(path, 1, "<file>", "no posts to score")
        rows = _jsonl_rows(path)
    else:
        rows = iter(
            _csv_rows(path)
            if path.suffix.lower() == ".csv"
            else list(_jsonl_rows(path, MAX_POSTS_BYTES))
        )
    first = True
    while batch := list(itertools.islice(rows, chunk)):
        first = False
        yield pd.DataFrame(batch, columns=["id", "caption"])
    if first:
        raise PostFormatError(path, 1, "<file>", "no posts to score")


def read_new_posts(path: Path) -> pd.DataFrame:
    """New posts as JSON Lines ({"id", "caption"}, other fields ignored) or CSV (id, caption).

    A file that cannot be read (empty, malformed, not UTF-8, over ``MAX_POSTS_BYTES``) or a line
    that cannot be used (no id, an id that is null, true/false or empty) is a
    :class:`PostFormatError` naming the file, row and field.
    """
    return pd.concat(list(iter_new_posts(path)), ignore_index=True)


def _probability(text: str) -> float:
    """--threshold: a probability strictly between 0 and 1 (0 or 1 would label every post alike)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < 1:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be strictly between 0 and 1, got {text!r}")
    return value


def _positive(text: str) -> int:
    """--jobs: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def sidecar(output: Path) -> Path:
    """The metadata file written beside ``--output``: what scored the posts."""
    return output.with_name(output.name + ".meta.json")


def check_paths(posts: Path, output: Path | str | None, force: bool) -> None:
    """Refuse, before any work, a posts path that is no file and an output that would destroy
    something: the posts themselves, an existing file (unless ``force``), or a folder. The same
    for the ``.meta.json`` sidecar written beside the output."""
    if posts.is_dir():
        raise ValueError(f"{posts}: is a folder; give the posts file (JSON Lines or CSV)")
    if not posts.exists():
        raise ValueError(f"{posts}: no such file")
    if output is None:
        return
    # "-o out/" means a folder even when out/ does not exist yet (Path drops the slash).
    if str(output).endswith(("/", "\\")) or Path(output).is_dir():
        raise ValueError(
            f"--output {output}: is a folder; give a file name, e.g. "
            f"{str(output).rstrip('/')}/scores.csv"
        )
    output = Path(output)
    if not output.parent.is_dir():
        raise ValueError(f"--output {output}: folder {output.parent} does not exist")
    for path, what in ((output, "--output"), (sidecar(output), "its metadata file")):
        label = f"--output {output}" if path == output else f"--output {output}: {what} {path}"
        if path.is_dir():
            raise ValueError(f"{label}: is a folder")
        if path.resolve() == posts.resolve() or (path.exists() and path.samefile(posts)):
            raise ValueError(f"{label}: is the posts file itself; it is never overwritten")
        if (path.exists() or path.is_symlink()) and not force:
            raise ValueError(f"{label}: exists; add --force to overwrite it")


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
        help="new posts: JSON Lines with 'id' and 'caption' per line, or a CSV with id,caption "
        f"columns; ids are non-empty strings or integers; a JSON Lines file of any size is read a "
        f"chunk at a time, a CSV file or a pipe at most {MAX_POSTS_MIB} MiB",
    )
    p.add_argument(
        "--output",
        "-o",
        default=None,
        help="write CSV here instead of printing it to standard output, and what scored the "
        "posts to OUTPUT.meta.json beside it",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="overwrite an existing --output file and its .meta.json (never the posts file)",
    )
    p.add_argument(
        "--threshold",
        type=_probability,
        default=None,
        help="probability above which a post is labelled 1, strictly between 0 and 1 "
        "(default: the study's cv.threshold)",
    )
    p.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        help="processes that redact and clean the posts (default: every core this process may "
        "use); the scores are the same whatever the number",
    )
    return parser


# What a bad file or folder raises; each becomes one line and exit code 2.
LOAD_ERRORS = (OSError, ValueError)


def _fail(message: str) -> int:
    print(f"dealerdetect: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .predict import Scorer

    try:
        check_paths(args.posts, args.output, args.force)
        args.output = None if args.output is None else Path(args.output)
        chunks = iter_new_posts(args.posts)
        first = next(chunks)  # every row of a JSON Lines file checked before any work
    except LOAD_ERRORS as err:
        return _fail(str(err))
    try:
        scorer = Scorer(args.model)
    except Exception as err:  # noqa: BLE001 - a damaged file can fail in any unpickling step
        why = str(err) if isinstance(err, LOAD_ERRORS) else f"{type(err).__name__} {err}".strip()
        return _fail(f"--model {args.model}: cannot load the saved model: {why}")
    for warning in scorer.warnings():
        print(f"dealerdetect: warning: {warning}", file=sys.stderr)
    jobs = args.jobs or len(os.sched_getaffinity(0))
    if not args.output:
        _score_chunks(scorer, itertools.chain([first], chunks), args.threshold, jobs, sys.stdout)
        return 0
    # Scores go to a file of their own beside --output, renamed over it only when complete.
    fd, partial = tempfile.mkstemp(prefix=f".{args.output.name}.", dir=args.output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            n, total = _score_chunks(
                scorer, itertools.chain([first], chunks), args.threshold, jobs, fh
            )
        os.replace(partial, args.output)
        # What scored the posts, warnings included, beside the scores.
        sidecar(args.output).write_text(
            json.dumps(scorer.metadata(args.threshold), indent=1), encoding="utf-8"
        )
    except OSError as err:
        return _fail(f"--output {args.output}: {err.strerror or err}")
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    print(f"scored {n} of {total} posts -> {args.output}", file=sys.stderr)
    return 0


def _score_chunks(scorer, chunks, threshold, jobs: int, out) -> tuple[int, int]:
    """Score each chunk of posts and write its rows (the header once): (scored, total)."""
    from dealerdetect.privacy.csvsafe import to_csv

    from .predict import score_batches

    scored = total = 0
    for i, (posts, scores) in enumerate(score_batches(scorer, chunks, threshold, jobs)):
        result = pd.concat([posts[["id"]], scores], axis=1)
        # Ids come from the user's posts: written so a spreadsheet opening the file runs nothing.
        to_csv(result, out, header=i == 0)
        scored += int((result["status"] == "scored").sum())
        total += len(result)
    return scored, total


if __name__ == "__main__":
    sys.exit(main())
