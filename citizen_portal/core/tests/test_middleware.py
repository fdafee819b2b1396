import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    ["/complaints/PB-2026-%00/", "/work/PB-2026-%00/", "/accounts/login/?next=%00"],
)
def test_a_nul_character_in_the_address_is_a_bad_request_not_a_server_error(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_the_api_and_open311_answer_it_in_their_own_error_formats(client):
    api = client.get("/api/v1/categories/%00/")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
    open311 = client.get("/open311/v2/services/%00.json")
    assert open311.status_code == 404
    assert open311.json()[0]["code"] == 404
