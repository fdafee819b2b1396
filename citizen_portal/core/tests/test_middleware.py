import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/complaints/PB-2026-%00/",
        "/open311/v2/services/%00.json",
        "/api/v1/categories/%00/",
        "/api/v1/areas/?parent=PK%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request_not_a_server_error(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert b"NUL" in response.content
