"""Text analysis of drug-dealer posts (paper: Results, Text Analysis of Drug Dealer Posts).

The paper found that dealers give contact information in captions and comments (an e-mail,
a phone number, or an account on a messaging app: Wickr, Telegram, Kik, WhatsApp), sometimes
only point to their profile ("check my bio"), and that buyers answer in comments asking for
more information or offering to buy. Contact details are found by ``contacts`` (the detector
redaction uses too, re-exported here); this module adds offers to buy.

Public API:

    find_contacts, contact_kinds, Contact, PAPER_APPS, APPS: see ``dealerdetect.privacy.contacts``.
    is_offer_to_buy(text) -> bool
        One comment asks to buy: the price, the menu, how to order, whether the seller has it,
        or an amount wanted. Not jokes, complaints, warnings, recovery talk, competitors' ads.
    has_offer_to_buy(caption, comments, poster) -> bool
        A comment by someone other than the poster for which is_offer_to_buy holds.
"""

from __future__ import annotations

import re

from dealerdetect.privacy.contacts import APPS, PAPER_APPS, Contact, contact_kinds, find_contacts

__all__ = [
    "APPS",
    "PAPER_APPS",
    "Contact",
    "contact_kinds",
    "find_contacts",
    "has_offer_to_buy",
    "is_offer_to_buy",
]


# --- offers to buy -------------------------------------------------------------------------
# A buyer's comment asks for the price, for the menu or how to order, whether the seller has or
# ships something, or says what they want ("need 2 sheets asap", "u got bars?"). Wanting is
# only an offer when the object is a drug, an amount or "some"/"them" ("need some sleep",
# "can i get a follow back" are not). Jokes, complaints, warnings and recovery talk are not
# offers, nor is a contact left without asking (a competitor's "wickr: bigplug").

_DRUG = (
    r"(?:bars?|xans?|xanny|xannies|xanax|percs?|percocets?|roxys?|roxies|roxy|oxys?|oxy\w*|"
    r"addys?|adderall|blues|molly|mdma|za|zips?|qp|half|8th|eighth|g|grams?|oz|sheets?|tabs?|"
    r"pills?|\d+s|\d+\s?mg|\d+\s?count|lean|coke|carts?|norcos?|hydros?|vics?|dope|pack|them|these)"
)
_AMOUNT = rf"(?:\d+(?:\s*{_DRUG})?(?=\s*(?:$|[?!.,]|asap|tonight|today|please|pls|plz|{_DRUG}\b)))"
_OBJECT = (
    rf"(?:(?:a|an|the|some|any|that|those|ur|your|\d+|a\s+few)\s+)*(?:{_DRUG}\b|{_AMOUNT})"
    r"|some\s*(?:$|[?!.,]|asap|tonight|today|pls|please)|a\s+plug\b"
)
_PAY = r"(?:paypal|cash\s?app|btc|bitcoin|zelle|venmo|crypto|apple\s+pay)"
_TRADE = (
    r"(?:sell(?:ing)?|ship(?:ping)?|deliver(?:y|ing)?|meetups?|deals?|bulk|orders?|ordering|menu|"
    rf"front|{_PAY})"
)
_OFFER_TO_BUY_RE = re.compile(
    r"(?:"
    # the price: "how much for a zip", "price?", "dm me price", "$$ for a g?", "wyd for 50"
    r"\bhow\s+much\b(?!\s+(?:time|longer|wood|did|does|do\s+you|is\s+it\s+to)\b)"
    r"|\bhow\s+many\s+for\b|\$\$|\bwyd\s+for\b|\bcost\s+(?:for|me|of\s+\d)|\bwould\s+\d+\s+cost"
    r"|(?:^\W*|\b(?:me|send|whats|what'?s|what\s+is|ur|your|get|hmm|yo|ok|and|pls|with|for)\s+)(?:the\s+)?"
    r"(?:price|prices|pricing)\b(?!\s+(?:of|went|is|are|in|was|were|than)\b)"
    # how to buy or reach the seller to buy
    r"|\b(?:buy|cop|purchase|order(?:ing)?)\b"
    r"|\bhow\s+(?:do|can|does)\s+(?:i|this)\s+(?:pay|work|get\s+in\s+touch|contact|reach)"
    r"|\bcan\s+i\s+pay|\bhow\s+long\s+(?:does|for)\s+(?:shipping|delivery)"
    r"|\bwhat'?s\s+(?:your|ur)\s+(?:wickr|kik|telegram|tele|whats\s?app|snap\w*|number|email)"
    r"|\b(?:send|email|dm|text)\s+(?:me\s+)?(?:the\s+)?list\b|\bany\s+deals\b"
    r"|\b(?:put|plug|front)\s+(?:me|us)\b|\bsign\s+me\s+up|\bship\s+to\b|\bmenu\b"
    rf"|\b{_PAY}\b[^?]*\?|\bwhat\s+(?:u|you)\s+got\b|\btaking\s+orders|\bminimum\s+order"
    r"|^\W*(?:i'?m\s+|im\s+|very\s+|hey\s+)?interested\b(?!\s+in\b)"
    r"|^\W*(?:available|selling|open\s+rn)\s*\?|\bstill\s+(?:selling|available|open)\b"
    # has or sells it: "u got bars?", "still got percs?", "do u sell percs", "you ship?"
    rf"|\b(?:u|you)\s+(?:still\s+)?(?:got|have|do|doing|take|sell|selling|deliver|ship)\b"
    rf"[^.!]*?\b(?:{_DRUG}|{_TRADE})\b"
    rf"|\b(?:u|you)\s+(?:still\s+)?(?:sell|selling|deliver|ship)\b"
    rf"|(?:^|\b(?:still|any)\s+)got\s+(?:any\s+|that\s+)?{_DRUG}\b|\bgot\s+any\s+{_DRUG}\b"
    # wants an amount of something: "need 2 sheets asap", "lemme get 2 zips", "i'll take 50"
    r"|\b(?:need|want|wanna|would\s+like|i'?d\s+like|tryna|trying\s+to|looking\s+for"
    r"|(?:can|could|cn|may)\s+(?:i|u|you)\s+(?:get|grab|have)|let\s*me\s+get|lemme\s+get"
    r"|(?:where|how)\s+(?:do|can)\s+i\s+get|i'?ll\s+take|getting)\s+"
    rf"(?:{_OBJECT})"
    r")",
    re.IGNORECASE,
)
# Not an offer whatever else it says: jokes, complaints, warnings, recovery talk, refusals.
_NOT_OFFER_RE = re.compile(
    r"\b(?:lol|lmao|lmfao|haha\w*|jk|be\s+like|scam\w*|fake|reported|report|disgusting|robbery"
    r"|rip\s?off|crazy|narcs?|police|fbi|cops|snitch\w*|clean|sober|rehab|recovery|helpline"
    r"|not\s+interested|no\s+thanks|dont\s+buy|don'?t\s+buy|cheaper|better\s+prices|real\s+plug)\b"
    r"|[😂🤣💀]",
    re.IGNORECASE,
)
# A bare request to be contacted, nothing else: "dm me", "hmu bro", "kik me @buyer_1", "add me
# on telegram". Under a dealer's post it asks for the seller's offer ("dm me for collab" and
# "hmu if you need a photographer" say more, and are not).
_CONTACT_ME_RE = re.compile(
    r"\W*(?:(?:dm|pm|inbox|message|msg|text)\s+me|hmu|hit\s+me\s+up"
    r"|(?:add|hit)\s+me\s+(?:up\s+)?on\s+(?:wickr|kik|telegram|tele|whats\s?app|snap\w*)"
    r"|(?:kik|wickr|snap|whats\s?app|telegram|tele)\s+me)"
    r"(?:\s*:?\s*@[\w.]+|\s*:\s*[\w.]+)?(?:\s+(?:bro|fam|pls|plz|please|asap|now|rn|\?))*[\W_]*",
    re.IGNORECASE,
)
_SERIOUS_RE = re.compile(r"\b(?:for\s+real|fr|seriously|no\s+joke)\b", re.IGNORECASE)


def is_offer_to_buy(text: str) -> bool:
    """True when one comment's text asks to buy (see above); the comment-level detector."""
    text = str(text or "").strip()
    if _CONTACT_ME_RE.fullmatch(text):
        return True
    if not _OFFER_TO_BUY_RE.search(text):
        return False
    return not (_NOT_OFFER_RE.search(text) and not _SERIOUS_RE.search(text))


def _comment_fields(comment) -> tuple[str, str]:
    if isinstance(comment, dict):
        user, text = comment.get("user"), comment.get("text")
    else:
        user, text = getattr(comment, "user", None), getattr(comment, "text", None)
    return str(user or ""), str(text or "")


def _norm_user(user: str) -> str:
    return user.strip().lstrip("@").lower()


def has_offer_to_buy(caption: str, comments: list, poster: str) -> bool:
    """True when a comment by another user asks to buy, for the price or for contact.

    ``caption`` is accepted for symmetry with the post record; the sale side of the paper's
    "offer for sale and offer to buy" is the post itself. Comments by ``poster`` (compared
    case-insensitively, ignoring a leading "@") and comments with no author are skipped, so a
    seller's own "DM me for prices" never counts as a buyer.
    """
    me = _norm_user(poster or "")
    for comment in comments or ():
        user, text = _comment_fields(comment)
        if not _norm_user(user) or _norm_user(user) == me:
            continue
        if is_offer_to_buy(text):
            return True
    return False
