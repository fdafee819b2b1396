"""Demo offices, positions, officers, routing rules and one citizen, for `make run`.

Idempotent: running it twice changes nothing. Departments left out stay off the portal (their
categories are not offered) until an administrator gives them a focal position.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from citizen_portal.accounts.identity import DocumentType, document_parse
from citizen_portal.accounts.models import Gender, Role, User
from citizen_portal.accounts.services.citizens import RegistrationInput, citizen_register
from citizen_portal.directory.models import AdminUnit, Country
from citizen_portal.directory.services.demo.accounts import (
    DEMO_CITIZEN_PHONE,
    DEMO_PASSWORD,
    demo_staff,
)
from citizen_portal.directory.services.demo.cells import seed_complaint_cells
from citizen_portal.directory.services.demo.named import seed_named_offices
from citizen_portal.directory.services.demo.network import seed_network

__all__ = ["DEMO_CITIZEN_PHONE", "DEMO_PASSWORD", "demo_seed"]


@transaction.atomic
def demo_seed() -> list[tuple[str, str]]:
    """Create the demo set; returns (login, what it is) pairs to print."""
    logins = seed_named_offices()
    generated = seed_network()
    cells = seed_complaint_cells()
    logins.extend(cells[:2])
    demo_staff("admin", "Portal administrator", Role.ADMINISTRATOR, admin=True)
    # The staff of the assisted channels (helpline/, mailroom/).
    demo_staff("helpline.agent", "Helpline agent", Role.AGENT)
    demo_staff("mailroom.clerk", "Mail-room data-entry operator", Role.DATA_ENTRY)
    # Leadership: the national dashboards, officers' reports and integrity signals.
    demo_staff("leadership", "Delivery unit analyst", Role.ANALYST)
    logins.extend(
        [
            ("helpline.agent", "call-centre agent (/helpline/)"),
            ("mailroom.clerk", "mail-room operator (/mailroom/)"),
            ("leadership", "national dashboards (/analytics/)"),
        ]
    )
    logins.insert(0, ("admin", "administrator (/admin/)"))
    if generated:
        logins.append(("…", f"{generated} more officers, e.g. pb-police.lhr.district"))
    if not User.objects.filter(phone=DEMO_CITIZEN_PHONE).exists():
        citizen_register(
            data=RegistrationInput(
                phone=DEMO_CITIZEN_PHONE,
                full_name="Ayesha Khan",
                gender=Gender.FEMALE,
                date_of_birth=date(1990, 5, 14),
                document=document_parse(doc_type=DocumentType.CNIC, number="35202-0000000-2"),
                country_of_residence=Country.objects.get(code="PK"),
                home_district=AdminUnit.objects.get(code="PK-PB-LHR-LHR"),
                email="",
                language="ur",
                password=DEMO_PASSWORD,
            )
        )
    return logins
