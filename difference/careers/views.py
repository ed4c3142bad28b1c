"""Career pages: role histories, the alumni overview and follow-up, cohort outcomes, the yearly refresh answered by
emailed link, and the opportunities partner trusts and schools offer alumni."""

from __future__ import annotations
