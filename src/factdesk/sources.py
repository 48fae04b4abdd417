"""Source ratings from lists the user supplies (CSV: domain,label[,score,name]). factdesk ships none."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

LABELS = ("reliable", "mixed", "unreliable", "unknown")


@dataclass(frozen=True, slots=True)
class Rating:
    domain: str
    label: str
    score: float | None
    name: str | None
    basis: str


def normalise_domain(domain: str) -> str:
    d = domain.strip().lower().rstrip(".")
    return d[4:] if d.startswith("www.") else d


class RatingList:
    """Domain → rating. A subdomain inherits its parent's rating ("news.example.org" → "example.org")."""

    def __init__(self, ratings: dict[str, Rating] | None = None) -> None:
        self.ratings = ratings or {}

    @classmethod
    def load(cls, path: str | Path) -> "RatingList":
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"ratings file not found: {p}")
        ratings: dict[str, Rating] = {}
        try:
            with p.open(newline="", encoding="utf-8-sig") as f:
                for n, row in enumerate(csv.reader(f), start=1):
                    if not row or not "".join(row).strip() or row[0].startswith("#"):
                        continue
                    if n == 1 and row[0].strip().lower() == "domain":
                        continue
                    if len(row) < 2:
                        raise ConfigError(f"{p}:{n}: expected domain,label[,score,name], got {len(row)} column(s)")
                    label = row[1].strip().lower()
                    if label not in LABELS:
                        raise ConfigError(f"{p}:{n}: label {row[1]!r} is not one of {', '.join(LABELS)}")
                    score = None
                    if len(row) > 2 and row[2].strip():
                        try:
                            score = float(row[2])
                        except ValueError:
                            raise ConfigError(f"{p}:{n}: score {row[2]!r} is not a number") from None
                        if not 0 <= score <= 1:
                            raise ConfigError(f"{p}:{n}: score {score} is outside 0..1")
                    name = row[3].strip() if len(row) > 3 and row[3].strip() else None
                    dom = normalise_domain(row[0])
                    ratings[dom] = Rating(dom, label, score, name, f"ratings:{p.name}")
        except UnicodeDecodeError:
            raise ConfigError(f"{p}: ratings file is not UTF-8 text") from None
        return cls(ratings)

    def lookup(self, domain: str | None) -> Rating | None:
        if not domain:
            return None
        parts = normalise_domain(domain).split(".")
        for i in range(len(parts) - 1):
            if r := self.ratings.get(".".join(parts[i:])):
                return r
        return None
