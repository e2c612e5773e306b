"""The supplier evaluation's rules as data: what each answer of a supplier audit is worth,
how the audit, delivery and quality figures weigh in the overall score, what an NC costs,
and the classes. ``selectors_suppliers`` turns them into SQL, so the ranking sorts and pages
in the database."""

from __future__ import annotations

from audits.choices import AnswerResult

# Points of an answer of a supplier audit (not applicable and unanswered: not counted).
ANSWER_POINTS = {
    AnswerResult.CONFORMING: 100,
    AnswerResult.IMPROVEMENT: 100,
    AnswerResult.OBSERVATION: 75,
    AnswerResult.MINOR_NC: 40,
    AnswerResult.MAJOR_NC: 0,
}

# Weights of the three parts; a part without data is left out and the others share its weight.
WEIGHTS = {"audit_score": 0.4, "on_time_rate": 0.3, "quality_score": 0.3}

# Quality part: 100 at 0 ppm, 0 at 10,000 ppm (1 % of parts rejected) and beyond.
PPM_AT_ZERO = 10_000

# Each supplier NC of the window costs points, up to a cap.
NC_PENALTY = 10
NC_PENALTY_CAP = 3

# Class thresholds on the overall score (0-100).
CLASS_A = 80
CLASS_B = 60

# The evaluation's window: the figures and NCs of the last twelve months.
WINDOW_MONTHS = 12

# Certifications expiring within this many days are flagged and reminded.
EXPIRY_NOTICE_DAYS = 60
