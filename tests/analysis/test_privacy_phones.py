"""Phones as the platforms export them: virtual numbers (隐私号) keep their extension."""

from __future__ import annotations

import pytest

from analysis.privacy import dial_uri, mask_phone, split_phone


@pytest.mark.parametrize("raw, parts, masked, uri", [
    ("17012341234-5678", ("17012341234", "5678"), "170****1234-5678", "tel:17012341234,5678"),
    ("17012341234转5678", ("17012341234", "5678"), "170****1234-5678", "tel:17012341234,5678"),
    ("170 1234 1234 转 5678", ("170 1234 1234", "5678"), "170****1234-5678",
     "tel:17012341234,5678"),
    ("17012341234,5678", ("17012341234", "5678"), "170****1234-5678", "tel:17012341234,5678"),
    ("13812345678", ("13812345678", None), "138****5678", "tel:13812345678"),
    # A dash after an area code is not an extension.
    ("010-12345678", ("010-12345678", None), "010****5678", "tel:01012345678"),
    # Masked by the platform already: shown as it is, never dialled.
    ("170****1234转5678", ("170****1234", "5678"), "170****1234-5678", None),
    ("138****5678", ("138****5678", None), "138****5678", None),
])
def test_virtual_numbers_keep_their_extension(raw, parts, masked, uri):
    assert split_phone(raw) == parts
    assert mask_phone(raw) == masked
    assert dial_uri(raw) == uri


def test_no_phone():
    assert split_phone(None) is None and mask_phone(None) is None and dial_uri("  ") is None
