"""Row ids read from requests and commands.

`str.isdigit()` accepts "²" and "٣" (which `int()` then refuses), and a number past the database's integer range
raises inside the driver (SQLite: OverflowError) instead of finding nothing. Every id typed by a user goes through
`row_id`, so such input is "no such row" rather than a server error.
"""

# The largest id any of our databases stores (a 64-bit signed integer: SQLite's INTEGER, PostgreSQL's bigint).
MAX_ROW_ID = 2**63 - 1


def row_id(text):
    """The positive id that `text` spells in ASCII digits, or None when it spells none a row could have."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ROW_ID else None
