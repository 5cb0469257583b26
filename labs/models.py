"""The OK Labs' page types."""
