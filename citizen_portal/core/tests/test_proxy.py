"""Behind nginx, limits per address count the citizen's address, not nginx's, and a client
cannot choose the address it is counted on (core/proxy.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from citizen_portal.accessibility.models import BarrierReport
from citizen_portal.core.proxy import client_address

NGINX = "10.0.0.5"
PROXIES = ["10.0.0.0/24", "127.0.0.1"]
REPORT = "/accessibility/report/"
PROBLEM = "The date field on the register page is not read out by TalkBack."


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (NGINX, "203.0.113.7", "203.0.113.7"),
        # What the client wrote sits left of what nginx saw: not believed.
        (NGINX, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        # Through two of our proxies (a load balancer, then nginx).
        (NGINX, "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (NGINX, "2001:db8::1", "2001:db8::1"),
        # Straight from the internet, not through a proxy: the header is the client's own.
        ("198.51.100.9", "6.6.6.6", "198.51.100.9"),
        # nginx without the header, or a malformed hop: the proxy's own address.
        (NGINX, "", NGINX),
        (NGINX, "not-an-address", NGINX),
    ],
)
def test_the_client_is_the_right_most_address_not_ours(remote, forwarded, expected):
    assert client_address(remote, forwarded, PROXIES) == expected


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address(NGINX, "203.0.113.7", []) == NGINX


def _through_nginx(forwarded: str) -> Client:
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_citizens_behind_one_proxy_have_their_own_limits_and_cannot_dodge_them(
    settings, smtp_server
):
    settings.TRUSTED_PROXIES = PROXIES
    settings.ACCESSIBILITY_REPORT_EMAIL = "accessibility@portal.example.gov.pk"
    settings.ACCESSIBILITY_REPORTS_PER_HOUR = 2
    for _ in range(2):
        response = _through_nginx("203.0.113.7").post(REPORT, {"problem": PROBLEM})
        assert response.status_code == 302
    # Writing another address in front does not give the same client a fresh allowance …
    refused = _through_nginx("6.6.6.6, 203.0.113.7").post(REPORT, {"problem": PROBLEM})
    assert "Too many reports were sent from your connection" in refused.content.decode()
    # … while another citizen behind the same nginx is not held back by the first.
    assert _through_nginx("198.51.100.10").post(REPORT, {"problem": PROBLEM}).status_code == 302
    assert sorted(
        str(ip) for ip in BarrierReport.objects.values_list("submitted_ip", flat=True)
    ) == [
        "198.51.100.10",
        "203.0.113.7",
        "203.0.113.7",
    ]
