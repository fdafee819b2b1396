import pytest

from citizen_portal.accounts.models import mask_phone
from citizen_portal.accounts.services.phones import phone_normalise
from citizen_portal.core.errors import ApplicationError


@pytest.mark.parametrize(
    "typed",
    ["0300-1234567", "03001234567", "+92 300 1234567", "00923001234567", " 0300 123 4567 "],
)
def test_pakistani_numbers_in_every_local_form_become_e164(typed):
    assert phone_normalise(typed) == "+923001234567"


def test_overseas_mobile_numbers_are_accepted():
    assert phone_normalise("+44 7911 123456") == "+447911123456"
    assert phone_normalise("+971 50 123 4567") == "+971501234567"


@pytest.mark.parametrize("typed", ["", "hello", "0300", "+92 300 12345678901", "12345"])
def test_malformed_numbers_are_refused_with_an_example(typed):
    with pytest.raises(ApplicationError, match="0300 1234567"):
        phone_normalise(typed)


def test_landlines_are_refused_because_they_cannot_receive_the_code():
    with pytest.raises(ApplicationError, match="not a mobile"):
        phone_normalise("042 35761234")


def test_masked_phone_hides_the_middle_digits():
    assert mask_phone("+923001234567") == "+923••••••567"
