"""Text helpers shared by the page types and the importer."""

from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slugify(text):
    """A slug the way Germans write umlauts in addresses: "Über uns" → "ueber-uns"."""
    return slugify(str(text).translate(GERMAN_TRANSLITERATION))
