"""Image uploads: size and pixel limits, files that are not images, SVG refused, alt texts.

Every refused upload goes through the admin's upload views (the single form and the multiple
uploader the "Add an image" button opens), shows a message that says what is wrong, and stores
nothing: no image row, no pending upload, no file under MEDIA_ROOT.
"""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import UploadedFile
from wagtail.users.models import UserProfile

from home.blocks import ImageBlock, ProjectCardBlock
from home.models import CustomImage
from network.models import NewsPage, ProjectPage
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def png(size=(4, 3), mode="RGB"):
    buffer = io.BytesIO()
    PILImage.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def png_header_only(width, height):
    """A PNG that claims to be `width` × `height`: what a decompression bomb looks like."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def client_en(admin_client_logged_in, django_user_model):
    """A superuser whose admin speaks English."""
    user = django_user_model.objects.get(username="editor")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client_logged_in


TOO_BIG = 10 * 1024 * 1024 + 1

REFUSED = [
    pytest.param(
        "big.png",
        lambda: png() + b"\x00" * TOO_BIG,
        "This file is too big",
        id="oversized",
    ),
    pytest.param(
        "notes.png",
        lambda: b"Protokoll vom Lab-Abend\n" * 50,
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
        id="text-named-png",
    ),
    pytest.param(
        "notes.txt",
        lambda: b"Protokoll vom Lab-Abend\n",
        "Upload a valid image.",
        id="text-file",
    ),
    pytest.param(
        "photo.txt",
        png,
        "Not a supported image format. Supported formats: GIF, JPG, JPEG, PNG, WEBP, AVIF.",
        id="image-with-a-wrong-extension",
    ),
    pytest.param(
        "logo.svg",
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>"
        ),
        "Not a supported image format. Supported formats: GIF, JPG, JPEG, PNG, WEBP, AVIF.",
        id="svg",
    ),
    pytest.param(
        "wide.png",
        lambda: png((8000, 6000), mode="1"),  # 48 million pixels, a few kB
        "This file has too many pixels (48000000). Maximum pixels 40000000.",
        id="too-many-pixels",
    ),
    pytest.param(
        "bomb.png",
        lambda: png_header_only(30000, 30000),  # 900 million pixels claimed
        "This file has too many pixels",
        id="decompression-bomb",
    ),
]


def test_the_limits_are_configured():
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_the_upload_form_refuses_with_a_message_and_stores_nothing(
    client_en, name, content, message
):
    before = media_files()

    response = client_en.post(
        reverse("wagtailimages:add"),
        {"title": "Upload", "file": SimpleUploadedFile(name, content()), "collection": 1},
    )

    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert not CustomImage.objects.exists()
    assert media_files() == before


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_the_multiple_uploader_refuses_with_a_message_and_stores_nothing(
    client_en, name, content, message
):
    before = media_files()

    response = client_en.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content()), "collection": 1},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 200
    result = response.json()
    assert result["success"] is False
    assert message in result["error_message"]
    assert not CustomImage.objects.exists()
    assert not UploadedFile.objects.exists()
    assert media_files() == before


def test_a_good_image_is_stored(client_en):
    before = media_files()
    response = client_en.post(
        reverse("wagtailimages:add"),
        {"title": "Lab-Abend", "file": SimpleUploadedFile("abend.png", png()), "collection": 1},
    )
    assert response.status_code == 302
    image = CustomImage.objects.get()
    assert (image.width, image.height) == (4, 3)
    assert len(media_files() - before) == 1


def test_the_upload_form_tells_the_limits(client_en):
    html = client_en.get(reverse("wagtailimages:add")).content.decode()
    assert "Supported formats: GIF, JPG, JPEG, PNG, WEBP, AVIF. Maximum filesize: 10.0" in html


def test_anonymous_uploads_are_refused():
    response = Client().post(
        reverse("wagtailimages:add"), {"title": "x", "file": SimpleUploadedFile("a.png", png())}
    )
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not CustomImage.objects.exists()


# --- Alternative texts where images are shown ----------------------------------------------------


def test_an_image_block_needs_an_alternative_text():
    image = ImageFactory()
    block = ImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert "alt_text" in error.value.block_errors
    block.clean(block.to_python({"image": image.pk, "alt_text": "Ein Laptop", "caption": ""}))


def test_a_project_card_with_an_image_needs_an_alternative_text():
    image = ImageFactory()
    block = ProjectCardBlock()
    value = {"title": "Haushalt", "summary": "Offen.", "image": image.pk, "image_alt_text": ""}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python(value))
    assert "image_alt_text" in error.value.block_errors
    block.clean(block.to_python({**value, "image": None}))  # no image, no alt text needed


@pytest.mark.parametrize("model", [ProjectPage, NewsPage])
def test_a_lead_image_needs_an_alternative_text(model):
    page = model(image=ImageFactory(), image_alt_text="")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "image_alt_text" in error.value.message_dict
    page.image_alt_text = "Screenshot der Karte"
    page.clean()
