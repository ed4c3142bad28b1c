"""Demo data for recruitment: the rounds of 2019 to 2022 as the 2021-22 impact report tells them, and one open now.

The 2022 round has the report's 664 registrations of interest; its accepted offers are
exactly the 19 leaders of the DLP 2022 cohort and the 6 other offer-holders the
placement round matches with them (25 in all; 2 more offers were declined). In 2019-2021
the accepted offers are exactly each cohort's leaders, those who later withdrew included,
so the 62 leaders recruited since 2019 all came through a round. The people are
invented and the draws are seeded, so every load gives the same figures.

Every registration goes through the interest register's service. The 2019-2021 rounds
then come in through the import service, as real past rounds do: scores and outcomes, no
answers. The 2022 round runs through the recruitment services step by step, each step
dated when it happened; so does everything in the round open now, dated today.
"""

from __future__ import annotations

from difference.demo.recruitment.common import summary
from difference.demo.recruitment.history import load_recruitment
from difference.demo.recruitment.open_round import load_open_round

__all__ = ["load_open_round", "load_recruitment", "summary"]
