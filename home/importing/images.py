"""Images named by imported documents: found under --media-root, stored once, per collection."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files import File
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from home.models import CustomImage

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}


def candidate_paths(media_root, reference, subfolders=()):
    """Where a reference such as "https://codefor.de/labs/x.svg" or "/labs/x.svg" may lie."""
    path = unquote(urlsplit(reference.strip()).path).lstrip("/")
    if not path or ".." in Path(path).parts:
        return []
    candidates = [media_root / path]
    candidates += [media_root / folder / path for folder in subfolders]
    return candidates


class ImageLibrary:
    """Finds image files and makes Wagtail images of them, each file only once."""

    def __init__(self, media_root, report, dry_run=False):
        self.media_root = Path(media_root).resolve() if media_root else None
        self.report = report
        self.dry_run = dry_run
        self.created_in_file = []

    def collection(self, name):
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=name).first()
        return existing or root.add_child(name=name)

    def find(self, reference, subfolders=()):
        if self.media_root is None:
            return None
        for candidate in candidate_paths(self.media_root, reference, subfolders):
            resolved = candidate.resolve()
            if resolved.is_relative_to(self.media_root) and resolved.is_file():
                return resolved
        return None

    def image(self, reference, title, collection_name, line=0, subfolders=()):
        """A Wagtail image for `reference`, or None with a warning saying why."""
        if not reference:
            return None
        found = self.find(str(reference), subfolders)
        if found is None:
            self.report.warn("missing-image", f"image not found: {reference}", line)
            return None
        if found.suffix.lower() not in IMAGE_SUFFIXES:
            self.report.warn(
                "unsupported-image", f"{found.suffix} images are not accepted: {reference}", line
            )
            return None
        with found.open("rb") as handle:
            digest = hash_filelike(handle)
        existing = CustomImage.objects.filter(file_hash=digest).first()
        if existing is not None or self.dry_run:
            return existing
        with found.open("rb") as handle:
            image = get_image_model()(
                title=(title or found.stem)[:255],
                collection=self.collection(collection_name),
                file=File(handle, name=found.name),
            )
            image._set_image_file_metadata()
            image.save()
        self.created_in_file.append(image)
        return image

    def forget_file_images(self, delete_files):
        """After a file: keep its images, or (when the file failed) delete their files too."""
        if delete_files:
            for image in self.created_in_file:
                image.file.delete(save=False)
        self.created_in_file = []
