"""Pseudonymous user ids and redaction of contact details in post text.

The study handles posts by people suspected of selling drugs and by people answering them, so
nothing we write out should let a reader reach an account: user names become salted hashes and
handles, numbers, addresses and links in captions and comments become placeholders. The
*kind* of contact detail survives (``contacts.contact_kinds`` is computed before
redaction, and the app's name stays in the text: "wickr: plugdaddy" -> "wickr: [HANDLE]").

Public API:

    pseudonym(handle, salt) -> "u_" + 12 hex chars of sha256(salt + "\\0" + handle.lower())
    load_salt(salt, secret_file) -> the configured salt, or the one in the secret file
                                    (created with 32 random hex chars if missing)
    redact(text, phone_regions=None) -> text with URLs, e-mails, phone numbers, app handles and
                    @mentions replaced by PLACEHOLDERS; idempotent, total on any ``str``.
                    Uses ``contacts.find_contacts``, the detector the characterization counts;
                    detection reads ``text.normalize(text)`` (look-alike letters, spacing,
                    leet, split lines), and only the characters behind a contact are replaced:
                    the rest of the post stays as it was written.
    redact_hashtags(tags, phone_regions=None) -> the hashtags field (tags without "#") with a
                    handle glued into a tag replaced as in the caption ("wickr[HANDLE]"), or
                    given in the tag after the app's ("wickr", "[HANDLE]").

Links are always "[URL]", app links included ("t.me/rxsupply" -> "[URL]"), a number given for
an app is "[PHONE]" ("whatsapp +1 555 201 3344" -> "whatsapp [PHONE]"), and app names written
without a handle ("hit me on wickr", "#wickr") and "check my bio" pointers are kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

from dealerdetect.errors import InputValueError
from dealerdetect.privacy.contacts import CONTEXT as _CONTEXT
from dealerdetect.privacy.contacts import find_contacts, link_anchors, regions_key
from dealerdetect.text import context_windows, finditer_near, normalize

PLACEHOLDERS = ("[URL]", "[EMAIL]", "[PHONE]", "[HANDLE]")
URL, EMAIL, PHONE, HANDLE = PLACEHOLDERS

# A placeholder already in the text is never touched again; this is what makes redact()
# idempotent (together with running it to a fixed point, below).
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))

# Characters a link may contain (no spaces, no brackets so placeholders stay intact) and the
# punctuation that ends a sentence rather than a link.
_URL_CHAR = r"[^\s\[\]<>\"'`]"
_URL_END = r"[^\s\[\]<>\"'`.,;:!?)]"
# Top-level domains seen on bare links in posts ("t.me/x", "wa.me/1555...", "plug.shop").
# A short list on purpose: "rx.store" in "rx.store@gmail.com" or "e.g." must not be a link.
_TLDS = (
    "com|net|org|me|io|co|ly|gg|app|link|shop|biz|info|us|uk|ru|to|dog|xyz|site|online"
    "|ee|gd|gy|ai|bio|cc|st|tv|gl|ws|page"  # short-link and link-in-bio hosts
)
_URL_RE = re.compile(
    rf"(?:https?://|www\.){_URL_CHAR}*{_URL_END}"
    rf"|(?<![\w@.\-/])(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})\b(?:/{_URL_CHAR}*{_URL_END}|/)?",
    re.IGNORECASE,
)
# When spans overlap the longest wins; on a tie, the first of these.
_PRIORITY = {URL: 0, EMAIL: 1, PHONE: 2, HANDLE: 3}


# What :func:`pseudonym` gives: the only form of a user an output may carry.
PSEUDONYM_RE = re.compile(r"u_[0-9a-f]{12}")


def pseudonym(handle: str, salt: str) -> str:
    """Stable pseudonymous id for an account: same handle (any case) and salt, same id."""
    data = f"{salt}\0{handle.lower()}".encode("utf-8", "surrogatepass")
    return "u_" + hashlib.sha256(data).hexdigest()[:12]


def _read_salt(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def load_salt(salt: str | None, secret_file: str | Path) -> str:
    """The salt to use: ``salt`` when given (non-empty), else the secret file's content.

    A missing secret file is created (parents too, mode 0600) with 32 random hex characters.
    The file is linked into place atomically, so parallel jobs that start together all end up
    with the same salt. An existing but empty file is an error: silently replacing it could
    change every pseudonym already written.
    """
    if salt is not None and str(salt) != "":
        return str(salt)
    path = Path(secret_file)
    existing = _read_salt(path)
    if existing is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        tmp.write_text(secrets.token_hex(16) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # fails if another process created the file first
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system: best effort
            if not path.exists():
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        existing = _read_salt(path)
    if not existing:
        raise InputValueError(f"{path}: salt file is empty; delete it to create a new salt")
    return existing


def _placeholder(detail: str) -> str | None:
    """Placeholder for a contact span, or None for what stays (app names, bio pointers)."""
    return {"email": EMAIL, "phone": PHONE, "link": URL, "handle": HANDLE, "mention": HANDLE}.get(
        detail
    )


def _spans(text: str, regions: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """``(start, end, placeholder)`` of what the detectors find in ``text``, outside the
    placeholders already in it."""
    kept = bytearray(len(text))  # 1 = inside a placeholder already in the text
    for m in _PLACEHOLDER_RE.finditer(text):
        kept[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    # Links are read on the normalized text too ("ｂｉｔ.ｌｙ/x"), spans mapped back.
    norm = normalize(text)
    spans = [
        (*norm.span(m.start(), m.end()), URL)
        for m in finditer_near(_URL_RE, norm.text, link_anchors(norm.text), before=2, after=2)
    ]
    for c in find_contacts(text, regions):
        ph = _placeholder(c.detail)
        if ph is not None:
            spans.append((c.start, c.end, ph))
    return [s for s in spans if s[0] < s[1] and kept.find(1, s[0], s[1]) < 0]


def _replace(text: str, spans) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with ``spans`` replaced, and where the new placeholders are in the new text.
    Overlapping spans are merged; the longest decides the placeholder."""
    spans = sorted(set(spans))
    out, written, pos, i, n = [], [], 0, 0, 0
    while i < len(spans):
        start, end, _ = spans[i]
        group = [spans[i]]
        i += 1
        while i < len(spans) and spans[i][0] < end:
            end = max(end, spans[i][1])
            group.append(spans[i])
            i += 1
        best = min(group, key=lambda s: (-(s[1] - s[0]), _PRIORITY[s[2]]))
        out += [text[pos:start], best[2]]
        n += start - pos
        written.append((n, n + len(best[2])))
        n += len(best[2])
        pos = end
    out.append(text[pos:])
    return "".join(out), written


def redact(text: str, phone_regions=None) -> str:
    """``text`` with URLs, e-mails, phone numbers, app handles and @mentions replaced.

    ``phone_regions``: the regions whose national phone formats are tried (config
    ``privacy.phone_regions``; None = ``contacts.DEFAULT_PHONE_REGIONS``).

    Runs to a fixed point, so ``redact(redact(x)) == redact(x)``: a placeholder can make a
    detail next to it readable ("session: 05a1b2 030 9018 2077" -> "session: [HANDLE] 030 9018
    2077", whose number is read next). Only the lines around the placeholders a pass wrote
    are read again, with the lines around them as context: the rest of the text reads as it
    did. It terminates: every pass that changes the text replaces at least one character
    outside existing placeholders, and placeholders are never rewritten.
    """
    text = str(text)
    regions = regions_key(phone_regions)
    text, written = _replace(text, _spans(text, regions))
    while written:
        found = []
        for ca, cb, a, b in context_windows(text, written, 4, 4, _CONTEXT):
            # Whatever reaches into the window counts, also a number that begins above it.
            found += [
                (s + ca, e + ca, ph)
                for s, e, ph in _spans(text[ca:cb], regions)
                if s + ca < b and e + ca > a
            ]
        text, written = _replace(text, found)
    return text


def redact_hashtags(tags, phone_regions=None) -> list[str]:
    """The hashtags field redacted as the caption is: a tag read as "#" + tag, the handle in
    "#wickrplugdaddy00" replaced ("wickr[HANDLE]"); other tags unchanged, order kept."""
    tags = [str(t) for t in tags or []]
    # The field is read as one line of hashtags, so an app's tag and the handle in the tag
    # after it ("#wickr #plugdaddy99") are read together, as in a caption.
    if tags and not any(" " in t or "#" in t or "\n" in t for t in tags):
        red = redact(" ".join("#" + t for t in tags), phone_regions)
        parts = red.split(" ")
        if len(parts) == len(tags) and all(p.startswith("#") for p in parts):
            return [p[1:] for p in parts]
    out = []
    for tag in tags:
        red = redact("#" + tag, phone_regions)
        out.append(red[1:] if red.startswith("#") else red)
    return out


def redact_post(caption: str, hashtags, comments, phone_regions=None, own=None):
    """A post's caption, hashtags and comment texts, each redacted, and read together too.

    Dealers split a contact across a post's fields ("wickr in the comments 👇" and a comment
    "⬆️ plugdaddy99"; "add my wickr" and "#plugdaddy99"; a reply to "what's your kik?"). Each
    field is redacted as :func:`redact` and :func:`redact_hashtags` do; before that, the fields
    are read as one text (caption, the hashtags as one line, then each comment, in order, a
    line break between them), and what that reading finds is replaced in the fields it falls in: a
    detail that crosses from one field into the next is replaced in both. ``own``: for each
    comment, whether the post's author wrote it (None: all); only the author's comments are
    read with the caption, since a comment of someone else read after "hit my line" was taken
    for a LINE handle. Returns ``(caption, hashtags, comments)`` with ``comments`` a list of
    texts."""
    regions = regions_key(phone_regions)
    tags = [str(t) for t in hashtags or []]
    texts = [str(caption or ""), *(str(c or "") for c in comments or [])]
    own = [True] * (len(texts) - 1) if own is None else [bool(o) for o in own]
    # The hashtags keep their "#": read as bare words, the first tag after a caption that ends
    # in an app name ("... (telegram)", "kik [HANDLE]") was taken for a handle (12 posts of the
    # default corpus, none a handle).
    tag_line = " ".join("#" + t for t in tags)
    pieces = [texts[0], tag_line, *texts[1:]]
    per: list[list] = [[] for _ in pieces]
    mine = [i + 2 for i, o in enumerate(own) if o]
    # With the hashtags between them and without: the tag line must not part a caption's cue
    # from the author's reply ("my kik", "#bars", "bigbars_uk").
    readings = [[0, 1, *mine], [0, *mine]] if tags and mine else [[0, 1, *mine]]
    for read in readings:
        if sum(1 for i in read if pieces[i].strip()) < 2:
            continue
        bounds, pos = {}, 0
        for i in read:
            bounds[i] = (pos, pos + len(pieces[i]))
            pos += len(pieces[i]) + 1
        for start, end, ph in _spans("\n".join(pieces[i] for i in read), regions):
            for i, (a, b) in bounds.items():
                lo, hi = max(start, a), min(end, b)
                if lo < hi:
                    per[i].append((lo - a, hi - a, ph))
    caption_out = redact(_replace(texts[0], per[0])[0] if per[0] else texts[0], phone_regions)
    comments_out = [
        redact(_replace(text, found)[0] if found else text, phone_regions)
        for text, found in zip(texts[1:], per[2:], strict=True)
    ]
    if per[1]:
        # Each tag gets the parts of the spans that fall inside it ("#" included).
        marked, pos = [], 0
        for tag in tags:
            a, b = pos, pos + len(tag) + 1
            inside = [(max(s, a) - a, min(e, b) - a, ph) for s, e, ph in per[1] if s < b and e > a]
            text = _replace("#" + tag, inside)[0] if inside else "#" + tag
            marked.append(text[1:] if text.startswith("#") else text)
            pos = b + 1
        tags = marked
    return caption_out, redact_hashtags(tags, phone_regions), comments_out


# Text read from a picture by OCR loses blanks: "kik rxbars7" comes back "kikrxbars7", and
# "@rx_bars7" may come back "@rx bars7". A token glued to a full app name (or to "snap" with a
# digit or "_" in the rest) is the app and a handle; a piece with a digit or "_" right after a
# redacted handle on its line is the rest of that handle.
_GLUED_APP_RE = re.compile(
    r"(?<![A-Za-z0-9_#\[])(?:(?P<app>kik|wickr|telegram|whatsapp|snapchat)(?P<h>_?[A-Za-z0-9_.]{3,})"
    r"|(?P<weak>snap|tg)(?P<wh>_?(?=[A-Za-z0-9_.]*[0-9_])[A-Za-z0-9_.]{3,}))(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
_HANDLE_REST_RE = re.compile(
    r"\[HANDLE\][ \t](?=[A-Za-z0-9_.]*[0-9_])[A-Za-z0-9_.]+(?![A-Za-z0-9_])"
)
_GLUED_KIND = {"snap": "snapchat", "tg": "telegram"}
_NOT_GLUED_TAILS = frozenset(
    "me plug plugs plugz only dealer connect vendor shop store sale sales id us available ready "
    "group groups channel channels chat chats app apps user users messenger account number".split()
)


def glued_apps(text: str) -> set[str]:
    """The apps of the tokens OCR glued to a handle ("kikrxbars7"), as contact kinds."""
    out = set()
    for m in _GLUED_APP_RE.finditer(text):
        app, tail = (m["app"], m["h"]) if m["app"] else (m["weak"], m["wh"])
        if tail.strip("_.").lower() not in _NOT_GLUED_TAILS:
            out.add(_GLUED_KIND.get(app.lower(), app.lower()))
    return out


def redact_picture_text(text: str, phone_regions=None) -> str:
    """:func:`redact` for the text OCR read from a picture, with the blanks OCR loses (see
    above) read as the contact they were: glued handles become ``app[HANDLE]``."""

    def glued(m):
        app, tail = (m["app"], m["h"]) if m["app"] else (m["weak"], m["wh"])
        if tail.strip("_.").lower() in _NOT_GLUED_TAILS:
            return m.group()
        return f"{app}[HANDLE]"

    out = redact(text, phone_regions)
    out = _GLUED_APP_RE.sub(glued, out)
    return _HANDLE_REST_RE.sub("[HANDLE]", out)
