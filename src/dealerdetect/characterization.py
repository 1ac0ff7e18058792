"""Text analysis of drug-dealer posts (paper: Results, Text Analysis of Drug Dealer Posts).

STUB: being written. Public API (fixed):

    contact_kinds(text: str) -> set[str]
        kinds of contact detail found in a caption or comment: any of
        "wickr", "telegram", "kik", "whatsapp", "snapchat", "phone", "email", "bio" (a "check my bio" /
        "link in bio" / "DM me" style pointer). Never returns the handle/number itself.
    find_contacts(text: str) -> list[Contact]   # Contact(kind, start, end) spans, for redaction
    has_offer_to_buy(caption: str, comments: list[dict | Comment], poster: str) -> bool
        a comment by someone other than the poster asking to buy / for price / for contact.
"""
