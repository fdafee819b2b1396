"""Attachments: judged by content, cleaned of metadata, stored under generated names, and served
only to those who may see them."""

import hashlib
import io
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from citizen_portal.complaints.fields import MultipleFileField
from citizen_portal.complaints.models import Action, Attachment, Complaint
from citizen_portal.complaints.services.attachments import attachments_prepare, attachments_save
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import complaint_remark, complaint_resolve
from citizen_portal.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def lodge_with(world, files, *, share_location=False, citizen=None):
    return complaint_lodge(
        citizen=citizen or world.citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject="Transformer sparking in our street",
            description="The transformer on Canal Road sparks every evening since Monday.",
            share_location=share_location,
        ),
        files=files,
    )


def upload(name, content):
    # Browsers send whatever type the name suggests; the portal must not care.
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


# --- Real files, made here ----------------------------------------------------------------


def jpeg(*, gps=True, orientation=None, size=(64, 48)):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Acme Phones"
    exif[ExifTags.Base.Model] = "Acme 12 Pro"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (IFDRational(31), IFDRational(31), IFDRational(1234, 100)),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (IFDRational(74), IFDRational(21), IFDRational(30)),
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def png(size=(40, 30), mode="RGBA"):
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def pdf(catalog=b"/Type /Catalog /Pages 2 0 R"):
    return (
        b"%PDF-1.4\n1 0 obj\n<< " + catalog + b" >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def pdf_with_hidden_script():
    # The script's action sits compressed in an object stream, its name spelt with an escape.
    inside = zlib.compress(b"3 0 << /S /J#61vaScript /JS (app.alert('hi')) >>")
    return (
        b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
        + inside
        + b"\nendstream\nendobj\n"
        + pdf()[9:]
    )


def encrypted_pdf_with_object_streams():
    # Encrypted object streams cannot be inflated, so what they hold cannot be checked.
    return (
        b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
        + bytes(range(7, 200))
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 9 0 R >>\n%%EOF\n"
    )


def box(kind, payload):
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def mp4(handler=b"vide"):
    """A small MP4 as a phone writes it: a track, and the place it was filmed in `udta`."""
    hdlr = box(b"hdlr", bytes(8) + handler + bytes(12) + b"Handler\x00")
    trak = box(b"trak", box(b"tkhd", bytes(84)) + box(b"mdia", box(b"mdhd", bytes(24)) + hdlr))
    udta = box(b"udta", box(b"\xa9xyz", b"\x00\x12\x15\xc7+31.5204+074.3587/"))
    moov = box(b"moov", box(b"mvhd", bytes(100)) + trak + udta)
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + moov + box(b"mdat", bytes(64))


WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00" + bytes(2000)
AMR = b"#!AMR\n" + b"\x3c" + bytes(31)
OPUS = (
    b"OggS\x00\x02" + bytes(8) + b"\x01\x00\x00\x00" + bytes(8) + b"\x01\x13"
    b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00" + bytes(40)
)
WEBM_HEADER = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm\x42\x87\x81\x04"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10) + b"\xff\xfb\x90\x64" + bytes(400)
ADTS = b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(200)


# --- Lodging with files --------------------------------------------------------------------


def test_files_lodged_with_a_complaint_are_stored_and_their_hashes_are_on_its_timeline(
    world, media
):
    complaint = lodge_with(world, [upload("meter.jpg", jpeg()), upload("bill.pdf", pdf())])
    photo, bill = complaint.attachments.order_by("pk")
    assert (photo.kind, photo.content_type, photo.original_name) == (
        "image",
        "image/jpeg",
        "meter.jpg",
    )
    assert (bill.kind, bill.content_type, bill.original_name) == (
        "pdf",
        "application/pdf",
        "bill.pdf",
    )
    assert bill.file.read() == pdf()  # a clean PDF is stored exactly as sent
    lodged = complaint.events.get(action=Action.LODGE)
    assert photo.event == bill.event == lodged
    hashes = [hashlib.sha256(a.file.open("rb").read()).hexdigest() for a in (photo, bill)]
    assert [f["sha256"] for f in lodged.data["files"]] == hashes == [photo.sha256, bill.sha256]
    assert [f["name"] for f in lodged.data["files"]] == ["meter.jpg", "bill.pdf"]
    # Generated names on disk: nothing the citizen typed reaches the file system.
    names = [p.name for p in stored(media)]
    assert len(names) == 2
    assert not any("meter" in n or "bill" in n for n in names)
    assert {n.rsplit(".", 1)[1] for n in names} == {"jpg", "pdf"}


def test_stored_photo_keeps_no_exif_and_its_location_is_dropped_without_consent(world):
    complaint = lodge_with(world, [upload("street.jpg", jpeg())])
    photo = complaint.attachments.get()
    with Image.open(photo.file.open("rb")) as image:
        assert dict(image.getexif()) == {}
        assert "comment" not in image.info
        assert image.size == (64, 48)
    assert photo.latitude is None
    assert photo.longitude is None


def test_photo_location_is_kept_on_the_record_only_when_the_citizen_shares_it(world):
    complaint = lodge_with(world, [upload("street.jpg", jpeg())], share_location=True)
    photo = complaint.attachments.get()
    assert str(photo.latitude) == "31.520094"
    assert str(photo.longitude) == "74.358333"
    with Image.open(photo.file.open("rb")) as image:
        assert dict(image.getexif()) == {}  # the file itself still says nothing


def test_a_photo_taken_sideways_is_stored_upright(world):
    complaint = lodge_with(world, [upload("side.jpg", jpeg(orientation=6, size=(64, 48)))])
    with Image.open(complaint.attachments.get().file.open("rb")) as image:
        assert image.size == (48, 64)


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type", "shown_as"),
    [
        ("photo.jpg", png(), "image", "image/png", "photo.png"),
        ("voice.jpg", WAV, "audio", "audio/wav", "voice.wav"),
        ("voice-note", AMR, "audio", "audio/amr", "voice-note.amr"),
        ("PTT-20260101.opus", OPUS, "audio", "audio/ogg", "PTT-20260101.opus"),
        ("recording.webm", WEBM_HEADER + b"\x86\x86A_OPUS", "audio", "audio/webm", None),
        ("clip.webm", WEBM_HEADER + b"\x86\x85V_VP8", "video", "video/webm", None),
        ("song.mp3", MP3, "audio", "audio/mpeg", None),
        ("note.aac", ADTS, "audio", "audio/aac", None),
        ("clip.mp4", mp4(), "video", "video/mp4", None),
        ("voice.mp4", mp4(b"soun"), "audio", "audio/mp4", "voice.m4a"),
    ],
)
def test_the_content_decides_the_type_whatever_the_name_says(
    world, name, content, kind, content_type, shown_as
):
    complaint = lodge_with(world, [upload(name, content)])
    attachment = complaint.attachments.get()
    assert (attachment.kind, attachment.content_type) == (kind, content_type)
    assert attachment.original_name == (shown_as or name)
    assert attachment.file.name.endswith("." + attachment.original_name.rsplit(".", 1)[1])


def test_a_videos_filming_place_and_tags_are_blanked_and_it_still_parses(world):
    complaint = lodge_with(world, [upload("clip.mp4", mp4())])
    content = complaint.attachments.get().file.open("rb").read()
    assert len(content) == len(mp4())  # same size: every offset in the file is still right
    assert b"+31.5204" not in content
    assert b"\xa9xyz" not in content
    assert b"moov" in content
    assert b"vide" in content


def test_file_names_are_cleaned_for_display(world):
    files = [
        upload("invoice\u202efdp.exe", pdf()),
        upload("C:\\Users\\Ayesha\\Desktop\\بجلی کا بل.pdf", pdf()),
        upload("../../etc/passwd\u2066.pdf", pdf()),
        upload("x" * 300 + ".pdf", pdf()),
        upload("Bill No. 5", pdf()),
    ]
    complaint = lodge_with(world, files)
    names = list(complaint.attachments.order_by("pk").values_list("original_name", flat=True))
    assert names[:3] == ["invoicefdp.pdf", "بجلی کا بل.pdf", "passwd.pdf"]
    assert len(names[3]) == 120
    assert names[3].endswith("x.pdf")
    assert names[4] == "Bill No. 5.pdf"


ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(100)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.jpg", b"<html><script>alert(document.cookie)</script></html>", "attachment_type"),
        ("drawing.svg", SVG, "attachment_type"),
        ("drawing.png", SVG, "attachment_type"),
        ("report.php.jpg", b"<?php system($_GET['c']); ?>", "attachment_type"),
        ("setup.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(100), "attachment_type"),
        ("bill.pdf", ZIP, "attachment_type"),
        ("animation.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "attachment_type"),
        ("movie.mov", box(b"ftyp", b"qt  \x00\x00\x02\x00qt  "), "attachment_type"),
        ("photo.heic", box(b"ftyp", b"heic\x00\x00\x00\x00mif1heicisom"), "attachment_type"),
        ("empty.jpg", b"", "attachment_empty"),
        ("bill.pdf", pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "pdf_javascript"),
        ("bill.pdf", pdf_with_hidden_script(), "pdf_javascript"),
        ("bill.pdf", pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "pdf_active_content"),
        ("bill.pdf", pdf(b"/Names << /EmbeddedFiles 4 0 R >>"), "pdf_active_content"),
        ("bill.pdf", encrypted_pdf_with_object_streams(), "pdf_encrypted"),
        (
            "bill.pdf",
            b"%PDF-1.5\n1 0 obj << /Type /ObjStm /Filter /LZWDecode >>\nstream\n"
            b"\x80\x0b\nendstream\nendobj\n%%EOF",
            "pdf_unchecked",
        ),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(60), "image_unreadable"),
        ("song.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(300), "media_unreadable"),
        ("clip.mp4", box(b"ftyp", b"isom\x00\x00\x02\x00isom"), "media_unreadable"),
    ],
)
def test_a_bad_file_refuses_the_whole_complaint_and_nothing_is_stored(
    world, media, name, content, code
):
    with pytest.raises(ApplicationError) as refused:
        lodge_with(world, [upload("good.jpg", jpeg()), upload(name, content)])
    assert refused.value.code == code
    assert Complaint.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored(media) == []


def test_a_pdf_secured_against_editing_is_accepted_when_its_objects_can_be_read(world):
    secured = pdf() + b"trailer\n<< /Root 1 0 R /Encrypt 9 0 R >>\n%%EOF\n"
    complaint = lodge_with(world, [upload("statement.pdf", secured)])
    assert complaint.attachments.get().content_type == "application/pdf"


def test_a_file_claiming_more_than_the_limit_is_refused_before_it_is_read(world, settings):
    claimed = upload("clip.mp4", mp4())
    claimed.size = settings.ATTACHMENT_MEDIA_MAX_BYTES + 1
    with pytest.raises(ApplicationError) as refused:
        lodge_with(world, [claimed])
    assert refused.value.code == "attachment_too_large"


def test_a_photo_of_too_many_pixels_is_refused_before_it_is_decoded(world, media):
    huge = png(size=(8000, 8000), mode="1")  # 64 million pixels in a few kilobytes
    with pytest.raises(ApplicationError) as refused:
        lodge_with(world, [upload("huge.png", huge)])
    assert refused.value.code == "image_too_large"
    assert stored(media) == []


def test_photos_and_documents_have_a_smaller_limit_than_audio_and_video(world, settings, media):
    settings.ATTACHMENT_MAX_BYTES = 1000
    settings.ATTACHMENT_MEDIA_MAX_BYTES = 3000
    big_pdf = pdf() + b"%" + b"x" * 1500 + b"\n"
    with pytest.raises(ApplicationError) as refused:
        lodge_with(world, [upload("bill.pdf", big_pdf)])
    assert refused.value.code == "attachment_too_large"
    assert "larger than 1000" in str(refused.value.message)
    complaint = lodge_with(world, [upload("voice.wav", WAV)])  # 2 KB of audio is fine
    assert complaint.attachments.get().kind == "audio"
    with pytest.raises(ApplicationError):
        lodge_with(world, [upload("voice.wav", WAV + bytes(2000))])


def test_a_file_larger_than_it_claims_is_still_refused(world, settings, media):
    settings.ATTACHMENT_MAX_BYTES = 1000
    lying = upload("bill.pdf", pdf() + b"%" + b"x" * 5000 + b"\n")
    lying.size = 500
    with pytest.raises(ApplicationError) as refused:
        lodge_with(world, [lying])
    assert refused.value.code == "attachment_too_large"
    assert stored(media) == []


def test_too_many_files_or_too_much_in_all_is_refused(world, settings, media):
    settings.ATTACHMENT_MAX_FILES = 2
    with pytest.raises(ApplicationError) as refused:
        lodge_with(world, [upload(f"{n}.pdf", pdf()) for n in range(3)])
    assert refused.value.code == "too_many_files"
    settings.ATTACHMENT_TOTAL_MAX_BYTES = len(pdf()) + 10
    with pytest.raises(ApplicationError) as refused:
        lodge_with(world, [upload("a.pdf", pdf()), upload("b.pdf", pdf())])
    assert refused.value.code == "attachments_too_large"
    assert Complaint.objects.count() == 0
    assert stored(media) == []


# --- Serving -------------------------------------------------------------------------------


def test_the_citizen_and_the_officer_holding_the_post_get_the_file_as_an_inert_download(
    client, world
):
    complaint = lodge_with(world, [upload("meter.jpg", jpeg())])
    photo = complaint.attachments.get()
    url = reverse("complaints:attachment", args=[photo.pk])
    for user in (world.citizen, world.officers.se):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response.getvalue() == photo.file.open("rb").read()
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == 'inline; filename="meter.jpg"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_nobody_else_learns_that_the_file_exists(client, world):
    complaint = lodge_with(world, [upload("meter.jpg", jpeg())])
    url = reverse("complaints:attachment", args=[complaint.attachments.get().pk])
    for outsider in (world.other_citizen, world.stranger):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    assert client.get(reverse("complaints:attachment", args=[999999])).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_file_on_an_internal_note_is_for_officers_only(client, world):
    complaint = lodge_with(world, [])
    complaint_remark(
        complaint=complaint, officer=world.officers.se, remark="Site visit photo", internal=True
    )
    note = complaint.events.get(action=Action.INTERNAL_NOTE)
    # No screen attaches files to an internal note yet; the services would do it this way.
    prepared = attachments_prepare([upload("site.jpg", jpeg())])
    [photo] = attachments_save(prepared, complaint=complaint, event=note, user=world.officers.se)
    url = reverse("complaints:attachment", args=[photo.pk])
    client.force_login(world.citizen)
    assert client.get(url).status_code == 404
    client.force_login(world.officers.ceo)  # the supervisor sees it too
    assert client.get(url).status_code == 200


def test_the_citizen_sees_the_evidence_an_officer_attaches_to_the_resolution(client, world):
    complaint = lodge_with(world, [])
    complaint_resolve(
        complaint=complaint,
        officer=world.officers.se,
        remark="Meter re-read, bill corrected to Rs 15,000.",
        files=[upload("corrected bill.pdf", pdf())],
    )
    evidence = complaint.attachments.get()
    assert evidence.uploaded_by == world.officers.se
    client.force_login(world.citizen)
    response = client.get(reverse("complaints:attachment", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.getvalue() == pdf()


def test_an_urdu_file_name_reaches_the_browser_intact(client, world):
    complaint = lodge_with(world, [upload("بجلی کا بل.pdf", pdf())])
    client.force_login(world.citizen)
    response = client.get(reverse("complaints:attachment", args=[complaint.attachments.get().pk]))
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert "%D8%A8%D8%AC%D9%84%DB%8C" in response["Content-Disposition"]


def test_audio_and_video_are_served_in_byte_ranges_for_phones_that_ask(client, world):
    complaint = lodge_with(world, [upload("clip.mp4", mp4())])
    video = complaint.attachments.get()
    content = video.file.open("rb").read()
    url = reverse("complaints:attachment", args=[video.pk])
    client.force_login(world.citizen)
    response = client.get(url, headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert response.getvalue() == content[:10]
    assert response["Content-Range"] == f"bytes 0-9/{len(content)}"
    assert response["X-Content-Type-Options"] == "nosniff"
    tail = client.get(url, headers={"Range": "bytes=-8"})
    assert tail.getvalue() == content[-8:]
    assert client.get(url, headers={"Range": f"bytes={len(content)}-"}).status_code == 416
    assert client.get(url).getvalue() == content


# --- Showing and picking files ---------------------------------------------------------------


def test_the_list_shows_photos_players_and_links_and_the_photo_place_to_officers_only(world):
    lodged = lodge_with(
        world,
        [upload("street.jpg", jpeg()), upload("bill.pdf", pdf()), upload("v.wav", WAV)],
        share_location=True,
    )
    attachments = list(lodged.attachments.order_by("pk"))
    photo_url = reverse("complaints:attachment", args=[attachments[0].pk])
    officer_page = render_to_string(
        "complaints/_attachments.html", {"attachments": attachments, "user": world.officers.se}
    )
    assert f'<img src="{photo_url}" alt="street.jpg" loading="lazy"' in officer_page
    assert "<audio controls" in officer_page
    assert f'href="{reverse("complaints:attachment", args=[attachments[1].pk])}"' in officer_page
    assert "31.520094, 74.358333" in officer_page
    citizen_page = render_to_string(
        "complaints/_attachments.html", {"attachments": attachments, "user": world.citizen}
    )
    assert "street.jpg" in citizen_page
    assert "31.520094" not in citizen_page


class EvidenceForm(forms.Form):
    # The name the portal's forms use. Django moves declared fields off the class, so it does
    # not clash with BaseForm.files at run time; the stubs cannot know that.
    files = MultipleFileField(required=False)  # type: ignore[assignment]


def test_the_form_field_takes_several_files_and_tells_the_limits():
    form = EvidenceForm(
        data={}, files=MultiValueDict({"files": [upload("a.jpg", b"1"), upload("b.pdf", b"2")]})
    )
    assert form.is_valid()
    assert [f.name for f in form.cleaned_data["files"]] == ["a.jpg", "b.pdf"]
    empty = EvidenceForm(data={}, files=MultiValueDict())
    assert empty.is_valid()
    assert empty.cleaned_data["files"] == []
    html = str(EvidenceForm()["files"])
    assert "multiple" in html
    assert "image/jpeg" in html
    assert "video/mp4" in html
    assert "Up to 5 files" in str(EvidenceForm()["files"].help_text)
