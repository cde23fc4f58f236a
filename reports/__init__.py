"""Rendering: plotly charts, static chart export and WeasyPrint PDFs from plain view-models."""
