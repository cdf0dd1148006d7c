"""Abuse control without surveillance: the daily salt of the network hashes."""

from __future__ import annotations

from django.db import models


class DailySalt(models.Model):
    """The salt of one day's source hashes. Yesterday's is deleted, so no hash made
    today can be linked to one made yesterday, and none can be reversed to an address."""

    day = models.DateField(unique=True)
    value = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)
