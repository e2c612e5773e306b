"""Demo events (being built)."""


def seed_events(*, membership, users, sites, processes, today) -> None:
    return None
