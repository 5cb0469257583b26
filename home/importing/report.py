"""What an import run did: pages created, updated and failed, and warnings counted by kind."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ImportIssue:
    kind: str
    path: str
    line: int
    message: str


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)
    current_path: str = ""

    def warn(self, kind, message, line=0):
        """Something the editor should look at: a missing image, a dropped link, unknown keys."""
        self.warnings.append(ImportIssue(kind, self.current_path, line, message))

    def note(self, kind, message="", line=0):
        """Something handled as expected (a shortcode turned into a link); only counted."""
        self.notes[kind] += 1

    def skip(self, path, reason):
        """A file that is not a page by design, with the reason."""
        self.skipped.append((str(path), reason))

    def fail(self, path, line, reason):

        self.failed.append(ImportIssue("failed", str(path), line, reason))

    def warnings_by_kind(self):
        return Counter(warning.kind for warning in self.warnings)

    def warnings_for(self, path):
        return [warning for warning in self.warnings if warning.path == str(path)]

    @property
    def ok(self):
        return not self.failed
