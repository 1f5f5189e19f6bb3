"""Wagtail viewsets for the consultations app: one module per admin area."""
