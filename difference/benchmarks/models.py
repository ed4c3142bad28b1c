"""DfE open statistics, stored long: one ``Observation`` per source row and rate measure, in a ``Dataset`` per file.

Suppressed and special values (DfE's ``x``, ``c``, ``z``, ``:``, ``.``, ``~``, ``low``, ``u`` or a blank) are stored
as NULL with the symbol kept in the matching ``*_status`` field: "not available", never zero.
"""

from __future__ import annotations

from django.db import models


class Basis(models.TextChoices):
    COMPUTED = "computed", "Computed from exact counts"
    PUBLISHED = "published", "DfE's published rate (counts rounded)"


class Dataset(models.Model):
    """One loaded file. Loading a file of the same name again replaces its dataset and observations."""

    publication = models.CharField(max_length=200)
    layout = models.CharField(max_length=100)
    source_file = models.CharField(max_length=255, unique=True)
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    # Decimal places DfE rounds this file's rates to (the most seen in its published rates).
    rate_decimals = models.PositiveSmallIntegerField(default=2)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["source_file"]

    def __str__(self) -> str:
        return self.source_file


class ObservationQuerySet(models.QuerySet["Observation"]):
    def for_rate(self, *, measure: str, level: str) -> ObservationQuerySet:
        return self.filter(measure=measure, geographic_level=level)


class Observation(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="observations")
    time_period = models.CharField(max_length=7, help_text='Academic year as "2016/17".')
    geographic_level = models.CharField(max_length=40)
    area_code = models.CharField(max_length=20, blank=True, help_text="ONS code (new LA code), or LAESTAB.")
    old_la_code = models.CharField(max_length=3, blank=True, help_text="The 3-digit LA code, where published.")
    area_name = models.CharField(max_length=200, blank=True)
    school_type = models.CharField(max_length=200)
    characteristic = models.CharField(max_length=200, default="Total")
    measure = models.CharField(max_length=60)
    # Decimal, not integer: DfE's 2006/07-2009/10 permanent exclusion counts include estimated fractional values
    # (e.g. 69.0003 for Hounslow's secondaries in 2007/08), and its published rates are computed from them.
    numerator = models.DecimalField(max_digits=18, decimal_places=6, null=True)
    numerator_status = models.CharField(max_length=10, blank=True)
    denominator = models.BigIntegerField(null=True)
    denominator_status = models.CharField(max_length=10, blank=True)
    published_rate = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    published_rate_status = models.CharField(max_length=10, blank=True)
    # True where this file's counts at this geographic level are rounded (to the nearest 5).
    counts_rounded = models.BooleanField(default=False)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["measure", "geographic_level", "time_period"], name="bench_obs_measure_idx")]

    def __str__(self) -> str:
        return f"{self.measure} {self.time_period} {self.geographic_level} {self.area_name or self.area_code}"
