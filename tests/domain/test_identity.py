import pytest

from gongkai.domain.identity import (
    IdType,
    credit_code_check_char,
    mask_id,
    mask_phone,
    normalize_id,
    resident_id_check_digit,
    validate_id,
)


def test_the_standards_own_example_id_has_check_digit_x() -> None:
    # GB 11643-1999 Annex example: 11010519491231002X.
    assert resident_id_check_digit("11010519491231002") == "X"
    assert validate_id(IdType.RESIDENT_ID, "11010519491231002x") is None


def test_a_wrong_check_digit_names_the_expected_one() -> None:
    message = validate_id(IdType.RESIDENT_ID, "110105194912310021")
    assert message is not None and "应为X" in message


@pytest.mark.parametrize(
    ("number", "fragment"),
    [("12345", "18位"), ("110105194902300021", "出生日期"), ("", "请填写")],
)
def test_malformed_resident_ids_are_explained(number: str, fragment: str) -> None:
    message = validate_id(IdType.RESIDENT_ID, number)
    assert message is not None and fragment in message


def test_credit_code_check_character() -> None:
    # 91350100M000100Y43: a code published with the GB 32100 examples (check char 3).
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert validate_id(IdType.CREDIT_CODE, "91350100M000100Y43") is None
    assert validate_id(IdType.CREDIT_CODE, "91350100M000100Y44") is not None
    assert "不含I、O、Z、S、V" in (validate_id(IdType.CREDIT_CODE, "91350100M000100YI3") or "")


def test_passports_are_free_form_but_bounded() -> None:
    assert validate_id(IdType.PASSPORT, "E12345678") is None
    assert validate_id(IdType.PASSPORT, "X" * 41) is not None


def test_masking_keeps_four_characters_at_each_end() -> None:
    assert mask_id("11010519491231002X") == "1101**********002X"
    assert mask_id("E123") == "E***"


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13800000000", "138****0000"),
        (" 138 0013 8000 ", "138 **** 8000"),
        ("+86 13800138000", "+86 138****8000"),
        ("0086-13800138000", "0086-138****8000"),
        ("0377-63123456", "0377-****3456"),
        ("010-12345678", "010-****5678"),
        ("(0377)63123456", "(0377)****3456"),
        ("0377-6312345", "0377-****345"),
        ("63123456", "****3456"),
        ("037763123456", "********3456"),  # no separator: the area code is not told apart
        ("12345", "****5"),
        ("110", "***"),
        ("无", "无"),
        ("138****0000", "138****0000"),
        ("", ""),
    ],
)
def test_phones_are_masked_keeping_the_prefix_and_the_last_four_digits(
    number: str, masked: str
) -> None:
    assert mask_phone(number) == masked


def test_a_masked_phone_always_hides_at_least_four_digits() -> None:
    for number in ("13800000000", "0377-63123456", "1234567", "12345678901234"):
        hidden = mask_phone(number).count("*")
        assert hidden >= 4, number


@pytest.mark.parametrize(
    "typed",
    [
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and letter (a Chinese IME)
        "１１０１０５１９４９１２３１００２ｘ",
        "110105 19491231 002x",
        "110105-19491231-002X",
        "１１０１０５－１９４９１２３１－００２Ｘ",  # full-width hyphens
        "\u200b11010519491231002X\u200b",  # pasted with zero-width spaces
        "110105\u300019491231\t002X\n",  # ideographic space, tab, newline
    ],
)
def test_numbers_are_normalised_before_the_check_digit(typed: str) -> None:
    assert normalize_id(typed) == "11010519491231002X"
    assert validate_id(IdType.RESIDENT_ID, typed) is None


def test_a_full_width_credit_code_is_checked_half_width() -> None:
    assert normalize_id("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    assert validate_id(IdType.CREDIT_CODE, "９１３５０１００Ｍ０００１００Ｙ４３") is None


def test_normalising_does_not_make_a_wrong_number_right() -> None:
    message = validate_id(IdType.RESIDENT_ID, "１１０１０５１９４９１２３１００２１")
    assert message is not None and "应为X" in message


def test_a_masked_number_keeps_its_stars() -> None:
    assert normalize_id("1101＊＊＊＊＊＊＊＊＊＊002X") == "1101**********002X"
