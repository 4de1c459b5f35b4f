"""The contrast check of the branding colours: WCAG 2.1's relative luminance and contrast ratio."""

import pytest

from safety_pages.models.contrast import contrast_ratio, meets_aa_text, relative_luminance


def test_black_and_white_are_the_ends_of_the_scale():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#FFFFFF") == pytest.approx(1)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)


def test_the_ratio_does_not_depend_on_the_order():
    assert contrast_ratio("#0b4f8a", "#ffffff") == contrast_ratio("#ffffff", "#0b4f8a")


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [
        # The grey at the AA limit, the grey just below it and pure red, as WebAIM's contrast checker gives them.
        ("#767676", "#ffffff", 4.54),
        ("#777777", "#ffffff", 4.48),
        ("#ff0000", "#ffffff", 4.00),
    ],
)
def test_known_ratios(foreground, background, expected):
    assert contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.01)


def test_aa_for_text_is_four_and_a_half_to_one():
    assert meets_aa_text("#767676", "#ffffff")
    assert not meets_aa_text("#777777", "#ffffff")
    assert not meets_aa_text("#ffff00", "#ffffff")


@pytest.mark.parametrize("colour", ["", "0b4f8a", "#0b4f8", "#0b4f8g", "blue", None])
def test_anything_but_rrggbb_is_refused(colour):
    with pytest.raises(ValueError):
        relative_luminance(colour)
