"""Demo analyses: a complete 8D, an Ishikawa, a 5 whys, an A3 (being built)."""


def seed_analysis(*, membership, users, events: dict, today) -> None:
    return None
