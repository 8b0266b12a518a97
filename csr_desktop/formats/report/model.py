"""What a report reader hands the ranking: passages with their heading path and page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph as a reader found it, before broken sentences are joined.

    `heading_level` is set where the file itself marks a heading (a Word heading style);
    None leaves the decision to the numbering and the shape of the text."""

    text: str
    page: int | None = None
    heading_level: int | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the report under one heading, as it would be inserted."""

    heading: tuple[str, ...]  # the heading path, outermost first
    text: str  # paragraphs joined by "\n"
    page: int | None  # where it starts; None where the format has no pages (.txt, .docx)

    @property
    def heading_text(self) -> str:
        return " › ".join(self.heading)


@dataclass(frozen=True, slots=True)
class Report:
    """A CSR report read into passages."""

    name: str
    passages: tuple[Passage, ...]
    pages: int | None = None
