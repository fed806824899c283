"""Measuring extraction quality: the ScrapingHub article-extraction-benchmark metric and ``cleannews eval``."""
