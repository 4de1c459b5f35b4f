"""Contrast between two colours as WCAG 2.1 defines it (success criterion 1.4.3, Contrast (Minimum)).

Pure functions on ``#rrggbb`` strings, so that the branding form can refuse a colour that would make text
unreadable before it reaches a page.
"""

import re

# WCAG 2.1 AA for normal text: 4.5:1 (large text may go down to 3:1; the header and links are normal text).
AA_TEXT = 4.5

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _channel(value):
    """One sRGB channel (0–255) linearised as WCAG 2.1's definition of relative luminance does."""
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour):
    """The relative luminance of ``#rrggbb``: 0 for black, 1 for white."""
    if not HEX_COLOUR.match(colour or ""):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first, second):
    """(L1 + 0.05) / (L2 + 0.05) with L1 the lighter of the two: from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def meets_aa_text(foreground, background):
    return contrast_ratio(foreground, background) >= AA_TEXT
