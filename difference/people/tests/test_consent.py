from __future__ import annotations

from difference.people.models import ConsentPurpose, ConsentRecord, ConsentStatus


def test_programme_staff_record_consent_and_it_counts(world, client_for):
    person = world.people["leader_b1"]
    response = client_for("staff_programme").post(
        f"/people/{person.pk}/consents/", {"purpose": "bulletin", "status": "given", "method": "email"}
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get(person=person)
    assert record.recorded_by == world.users["staff_programme"]
    assert person.has_consent(ConsentPurpose.BULLETIN)


def test_a_withdrawal_is_a_new_record_and_ends_consent(world, client_for):
    person = world.people["leader_b1"]
    client = client_for("staff_admin")
    for status in ("given", "withdrawn"):
        client.post(f"/people/{person.pk}/consents/", {"purpose": "research", "status": status, "method": "phone"})
    assert person.consents.count() == 2
    assert person.current_consent(ConsentPurpose.RESEARCH).status == ConsentStatus.WITHDRAWN
    assert not person.has_consent(ConsentPurpose.RESEARCH)


def test_bad_consent_input_is_refused_clearly_and_nothing_is_written(world, client_for):
    person = world.people["leader_b1"]
    response = client_for("staff_admin").post(
        f"/people/{person.pk}/consents/", {"purpose": "selling-data", "status": "given", "method": "email"}
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not ConsentRecord.objects.exists()


def test_htmx_consent_posts_swap_the_section_and_show_errors_in_place(world, client_for):
    person = world.people["leader_b1"]
    client = client_for("staff_admin")
    response = client.post(f"/people/{person.pk}/consents/", {"purpose": "bulletin"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="consents"' in response.content and b"<html" not in response.content
    assert b"This field is required" in response.content
    assert not ConsentRecord.objects.exists()
    response = client.post(
        f"/people/{person.pk}/consents/",
        {"purpose": "bulletin", "status": "given", "method": "web_form"},
        HTTP_HX_REQUEST="true",
    )
    assert b"The inclusion news bulletin" in response.content
    assert ConsentRecord.objects.count() == 1


def test_extra_fields_cannot_rebind_consent_to_someone_else(world, client_for):
    target, other = world.people["leader_b1"], world.people["leader_a1"]
    client_for("staff_admin").post(
        f"/people/{target.pk}/consents/",
        {"purpose": "bulletin", "status": "given", "method": "email", "person": other.pk, "recorded_by": 1},
    )
    record = ConsentRecord.objects.get()
    assert record.person == target
    assert record.recorded_by == world.users["staff_admin"]
