"""Cost of ``privacy.redact`` against caption length: is it linear?

Builds captions of growing length from varied, seeded post lines (plain text, app handles,
phone numbers in several national formats, e-mails in disguise, short links, hashtags, numbers
that are not phones, CJK app names) and times ``redact`` on each, median of ``--repeats`` runs
(caches cleared between runs). Prints one row per length: KB, median wall seconds, median CPU
seconds of the process, wall microseconds per KB. Run from the repository root:

    PYTHONPATH=src python3 bench/redact_scaling.py --sizes 16 64 256 1024 --repeats 3
    PYTHONPATH=src python3 bench/redact_scaling.py --contact-share 0.1   # mostly prose
    PYTHONPATH=src python3 bench/redact_scaling.py --families --sizes 512 1024 --repeats 1

``--families`` times hostile inputs instead (:data:`FAMILIES`): runs of digit groups with
each separator, single digits, repeated "+" and brackets, app names, "@", dotted words, line
breaks, and seeded mixtures of these; one row per family, its time at each size and the
ratio of the last to the first (about 2 for a doubling: linear).
"""

from __future__ import annotations

import argparse
import importlib
import random
import statistics
import time

from dealerdetect.privacy.redaction import redact

LINES = [
    "Best xans in town, fast delivery {n} pills left",
    "wickr: {h}",
    "kik me @{h} for the menu",
    "call or text +1 (213) 555-{d4}",
    "WhatsApp 07700 900{d3} uk only",
    "email {h} at gmail dot com",
    "linktr.ee/{h}",
    "#wickr{h} #xanax #bars",
    "order #{d9} shipped, $40 each, 2mg",
    "加微信{h}",
    "great weather today, signal boost this please",
    "W I C K R: {h}",
    "👻: {h}",
    "price 120 for 10, dates 12/05/2026",
]


PROSE = [
    "great weather today, signal boost this please",
    "Best xans in town, fast delivery {n} pills left",
    "price 120 for 10, dates 12/05/2026",
    "new batch just landed, quality guaranteed, ask for the menu",
]


def caption(size_kb: int, rng: random.Random, contact_share: float = 1.0) -> str:
    """About ``size_kb`` KB of post lines; ``contact_share`` of them drawn from all LINES (most
    carry a contact), the rest plain prose."""
    out, n = [], 0
    while n < size_kb * 1024:
        pool = LINES if rng.random() < contact_share else PROSE
        line = rng.choice(pool).format(
            h="plug"
            + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5))
            + str(rng.randint(10, 99)),
            n=rng.randint(5, 500),
            d3=f"{rng.randint(0, 999):03d}",
            d4=f"{rng.randint(0, 9999):04d}",
            d9=f"{rng.randint(0, 10**9 - 1):09d}",
        )
        out.append(line)
        n += len(line) + 1
    return "\n".join(out)


def _repeat(unit: str):
    return lambda n, rng: (unit * (n // len(unit) + 1))[:n]


def _random_groups(sep: str, width: int):
    def make(n, rng):
        out, k = [], 0
        while k < n:
            g = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, width)))
            out.append(g)
            k += len(g) + len(sep)
        return sep.join(out)[:n]

    return make


_PIECES = [
    "555 ", "555-", "555.", "(555) ", "+1 ", "+", "(", ")", "@", "@ ", "wickr ", "kik: ",
    "a.", "\n", "5 ", "📞", "at ", "dot ", "t.me/", "x",
]  # fmt: skip


def _mixture(n, rng):
    out, k = [], 0
    while k < n:
        piece = rng.choice(_PIECES) * rng.randint(1, 40)
        out.append(piece)
        k += len(piece)
    return "".join(out)[:n]


# Hostile inputs: each family a function (size in characters, seeded rng) -> text.
FAMILIES = {
    "groups of 3, blank": _repeat("555 "),
    "groups of 3, dot": _repeat("555."),
    "groups of 3, dash": _repeat("555-"),
    "groups of 3, slash": _repeat("555/"),
    "groups of 3, emoji": _repeat("555📞"),
    "groups of 3, line break": _repeat("555\n"),
    "groups of 2, blank": _repeat("55 "),
    "groups of 4, blank": _repeat("5555 "),
    "(555) groups": _repeat("(555) "),
    "random groups, blank": _random_groups(" ", 4),
    "random groups, dot": _random_groups(".", 4),
    "single digits": _repeat("5 "),
    "repeated +": _repeat("+"),
    "+1 repeated": _repeat("+1 "),
    "brackets": _repeat("(+)"),
    "app names": _repeat("wickr "),
    "app: repeated": _repeat("kik: "),
    "app glued, no blanks": _repeat("addmykik"),
    "app glued to handles": _repeat("hmuonwickrx_1 "),
    "two-word handles": _repeat("wickr: candy man "),
    "repeated @": _repeat("@"),
    "@ word": _repeat("@ab "),
    "dotted word": _repeat("a."),
    "line breaks": _repeat("\n"),
    "at ... dot": _repeat("a at b dot "),
    "mixture, seeded": _mixture,
}


def families(sizes: list[int], repeats: int, seed: int) -> None:
    """One row per family: median CPU seconds at each size (KB), and last / first."""
    print(f"{'family':<24}" + "".join(f"{f'{kb} KB':>10}" for kb in sizes) + f"{'ratio':>8}")
    for name, make in FAMILIES.items():
        cpu = []
        for kb in sizes:
            text = make(kb * 1024, random.Random(seed))
            runs = []
            for _ in range(repeats):
                clear()
                c0 = time.process_time()
                redact(text)
                runs.append(time.process_time() - c0)
            cpu.append(statistics.median(runs))
        ratio = cpu[-1] / max(cpu[0], 1e-3)
        print(f"{name:<24}" + "".join(f"{c:>10.2f}" for c in cpu) + f"{ratio:>8.1f}", flush=True)


def clear() -> None:
    # Every cache the redactor keeps, where this version of the package has it (an older one,
    # run for comparison, may lack the normalizer).
    for module, name in [
        ("privacy.contacts", "_find_contacts"),
        ("privacy.phones", "_phones"),
        ("privacy.phones", "_chunk_phones"),
        ("text", "normalize"),
        ("text", "_token_starts"),
        ("text", "ascii_folded"),
        ("privacy.contacts", "link_anchors"),
    ]:
        try:
            mod = importlib.import_module(f"dealerdetect.{module}")
        except ImportError:
            continue
        fn = getattr(mod, name, None)
        if fn is not None:
            fn.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[16, 64, 256, 1024], help="KB")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--contact-share", type=float, default=1.0, help="share of lines drawn from LINES"
    )
    ap.add_argument("--families", action="store_true", help="time the hostile families")
    args = ap.parse_args()
    redact("warm up: wickr plugdaddy +1 213 555 0114")  # imports and tables, not the text
    if args.families:
        families(args.sizes, args.repeats, args.seed)
        return
    print(f"{'KB':>6} {'median_s':>9} {'cpu_s':>7} {'us_per_KB':>10}")
    for kb in args.sizes:
        text = caption(kb, random.Random(args.seed + kb), args.contact_share)
        times, cpu = [], []
        for _ in range(args.repeats):
            clear()
            t0, c0 = time.perf_counter(), time.process_time()
            redact(text)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        med, med_cpu = statistics.median(times), statistics.median(cpu)
        print(f"{kb:>6} {med:>9.3f} {med_cpu:>7.3f} {1e6 * med / kb:>10.0f}")


if __name__ == "__main__":
    main()
