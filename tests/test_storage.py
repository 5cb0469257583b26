"""Uploads in an S3-compatible bucket (several machines), against a local moto server."""

import io
import json
import os
import secrets
import subprocess
import sys
import urllib.request

import pytest
from PIL import Image as PILImage

from tests.helpers import PROJECT_DIR, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3_server(monkeypatch):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    bucket = f"oklab-media-{secrets.token_hex(4)}"  # moto's state outlives a server
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "eu-central-1",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_STORAGE_BUCKET_NAME": bucket,
    }.items():
        monkeypatch.setenv(name, value)
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="eu-central-1").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    yield endpoint, bucket
    server.stop()


def test_s3_variables_switch_the_default_storage(s3_server):
    endpoint, bucket = s3_server
    """With AWS_STORAGE_BUCKET_NAME set, the settings put uploads in the bucket; else on disk."""
    code = (
        "import json; from site_oklab.settings import base; "
        "print(json.dumps(base.STORAGES['default']))"
    )
    configured = json.loads(
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["OPTIONS"]["bucket_name"] == bucket
    assert configured["OPTIONS"]["endpoint_url"] == endpoint
    env = {k: v for k, v in os.environ.items() if k != "AWS_STORAGE_BUCKET_NAME"}
    plain = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "FileSystemStorage" in plain


def test_an_image_uploaded_through_wagtail_lands_in_the_bucket(s3_server, settings):
    endpoint, bucket = s3_server
    from django.core.files.images import ImageFile
    from django.core.files.storage import storages

    from home.models import CustomImage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "eu-central-1",
                "access_key": "testing",
                "secret_key": "testing",
                "querystring_auth": False,
                "default_acl": "public-read",  # AWS_DEFAULT_ACL: media are public
                "file_overwrite": False,
            },
        },
    }
    storages._storages.pop("default", None)
    try:
        buffer = io.BytesIO()
        PILImage.new("RGB", (40, 30), "#e2001a").save(buffer, "PNG")
        image = CustomImage(title="Logo")
        image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="logo.png")
        # The field captured the storage at import time; give it the configured one.
        image.file.storage = storages["default"]
        image.save()
        image.refresh_from_db()

        assert image.file.storage.__class__.__name__ == "S3Storage"
        assert image.file.url.startswith(f"{endpoint}/{bucket}/original_images/")
        with urllib.request.urlopen(image.file.url) as response:  # read back over HTTP
            assert response.read() == buffer.getvalue()

        import boto3

        objects = boto3.client(
            "s3", endpoint_url=endpoint, region_name="eu-central-1"
        ).list_objects_v2(Bucket=bucket)
        assert [o["Key"] for o in objects["Contents"]] == [image.file.name]
        with image.open_file() as stored:
            assert stored.read() == buffer.getvalue()
    finally:
        storages._storages.pop("default", None)
