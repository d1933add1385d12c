"""Named exceptions. The CLI turns each into a message and an exit status."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "PapergraphError",
    "Problem",
    "DataError",
    "UnknownNameError",
    "NotAPaperError",
]


class PapergraphError(Exception):
    """Base class of every error papergraph raises on purpose."""

    exit_code = 1


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located by file and line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}: {self.message}"
        return f"{self.file}: {self.message}"


class DataError(PapergraphError):
    """The input data is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.message))
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


class UnknownNameError(PapergraphError):
    """A name given by the user matches no node."""

    def __init__(self, name: str, suggestions: list[str] | None = None, what: str = "node"):
        self.name = name
        self.suggestions = suggestions or []
        msg = f"unknown {what} {name!r}"
        if self.suggestions:
            msg += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class NotAPaperError(PapergraphError):
    """A name resolved to a node that is not of the kind the command needs."""
