"""Settings package: base is shared by all; dev, test and production adjust it."""
