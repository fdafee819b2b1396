"""Discovery, the service list and service definitions, checked against the structure of the
GeoReport v2 examples (wiki.open311.org/GeoReport_v2), in JSON and in XML."""

from __future__ import annotations

import pytest

from citizen_portal.directory.tests.factories import CategoryFactory
from citizen_portal.open311.tests.helpers import BASE, assert_error, tags, xml_of

SERVICE_KEYS = [
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
]  # fmt: skip
ATTRIBUTE_KEYS = [
    "variable", "code", "datatype", "required", "datatype_description", "order", "description",
    "values",
]  # fmt: skip


def test_discovery_names_the_endpoint_and_both_formats(client, db):
    document = client.get(BASE + "discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(document)
    (endpoint,) = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml_of(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert tags(root) == ["changeset", "contact", "key_service", "endpoints"]
    endpoint_xml = root.find("endpoints/endpoint")
    assert endpoint_xml is not None
    assert tags(endpoint_xml) == ["specification", "url", "changeset", "type", "formats"]
    assert [f.text for f in endpoint_xml.iterfind("formats/format")] == endpoint["formats"]


def test_each_leaf_category_that_takes_complaints_is_a_service(client, world):
    # Not services: a parent (Billing), an inactive leaf, an out-of-scope one, and a leaf of
    # a department with no complaint cell (not on the portal yet).
    CategoryFactory(code="FED-LESCO.OLD", department=world.lesco, is_active=False)
    CategoryFactory(code="FED-LESCO.COURT", department=world.lesco, out_of_scope=True)
    cmo = world.tier.complaint_cell.office.department
    CategoryFactory(code="PB-CMO.GENERAL", department=cmo)
    services = client.get(BASE + "services.json").json()
    by_code = {service["service_code"]: service for service in services}
    assert set(by_code) >= {"FED-LESCO.BILL.OVER", "FED-LESCO.SUPPLY"}
    assert not set(by_code) & {"FED-LESCO.BILL", "FED-LESCO.OLD", "FED-LESCO.COURT"}
    assert "PB-CMO.GENERAL" not in by_code
    over = by_code["FED-LESCO.BILL.OVER"]
    assert list(over) == SERVICE_KEYS
    assert over == {
        "service_code": "FED-LESCO.BILL.OVER",
        "service_name": "Over-billing",
        "description": "Billing › Over-billing",
        "metadata": True,
        "type": "realtime",
        "keywords": "Billing",
        "group": "LESCO (Punjab)",
    }


def test_the_service_list_in_xml_is_services_of_service(client, world):
    root = xml_of(client.get(BASE + "services.xml"))
    assert root.tag == "services"
    assert set(tags(root)) == {"service"}
    first = root[0]
    assert tags(first) == SERVICE_KEYS
    assert first.findtext("metadata") == "true"
    assert first.findtext("type") == "realtime"


def test_the_service_list_costs_the_same_few_queries_however_long(
    client, world, django_assert_max_num_queries
):
    for n in range(20):
        CategoryFactory(code=f"FED-LESCO.SUPPLY.{n}", department=world.lesco)
    with django_assert_max_num_queries(4):
        assert len(client.get(BASE + "services.json").json()) == 22


def test_a_service_definition_asks_for_the_district_from_a_list(client, world):
    definition = client.get(BASE + f"services/{world.overbilling.code}.json").json()
    assert list(definition) == ["service_code", "attributes"]
    assert definition["service_code"] == "FED-LESCO.BILL.OVER"
    district, subject = definition["attributes"]
    assert list(district) == ATTRIBUTE_KEYS
    assert (district["code"], district["datatype"], district["required"]) == (
        "district",
        "singlevaluelist",
        True,
    )
    assert district["variable"] is True
    assert district["order"] == 1
    # Districts only: not the province or the division above them.
    assert district["values"] == [
        {"key": "PK-PB-LHR-KSR", "name": "Kasur (Punjab)"},
        {"key": "PK-PB-LHR-LHR", "name": "Lahore (Punjab)"},
    ]
    assert (subject["code"], subject["datatype"], subject["required"]) == (
        "subject",
        "string",
        False,
    )


def test_a_service_definition_in_xml_follows_the_spec_example(client, world):
    root = xml_of(client.get(BASE + f"services/{world.overbilling.code}.xml"))
    assert root.tag == "service_definition"
    assert tags(root) == ["service_code", "attributes"]
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["district", "subject"]
    assert tags(attributes[0]) == ATTRIBUTE_KEYS
    assert attributes[0].findtext("required") == "true"
    values = attributes[0].findall("values/value")
    assert [tags(v) for v in values] == [["key", "name"]] * 2
    assert values[1].findtext("key") == "PK-PB-LHR-LHR"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_or_parent_service_is_not_found(client, world, fmt):
    assert_error(client.get(BASE + f"services/NO-SUCH.CODE.{fmt}"), 404, "NO-SUCH.CODE")
    assert_error(client.get(BASE + f"services/{world.billing.code}.{fmt}"), 404)


def test_other_formats_and_addresses_get_the_spec_error_not_a_page(client, db):
    assert_error(client.get(BASE + "services.html"), 404, "json or .xml")
    assert_error(client.get(BASE + "services"), 404)
    assert_error(client.get(BASE + "nothing/here.xml"), 404)
    assert_error(client.delete(BASE + "services.json"), 405)
    assert_error(client.options(BASE + "services.xml"), 405)


def test_urdu_clients_get_urdu_names(client, world):
    world.overbilling.name_ur = "زائد بلنگ"
    world.overbilling.save()
    services = client.get(BASE + "services.json", headers={"accept-language": "ur"}).json()
    names = {service["service_code"]: service["service_name"] for service in services}
    assert names["FED-LESCO.BILL.OVER"] == "زائد بلنگ"
