"""Run cleannews inside the engines crawls already run on: Spark, Dask and datatrove.

Each engine has its own module and its own optional extra; nothing here imports an engine until its
module is imported (``import cleannews`` never does):

- :mod:`cleannews.integrations.spark` (``pip install "cleannews[spark]"``): a DataFrame with an html
  or text column in, the article's fields as typed columns out, one row per input row;
- :mod:`cleannews.integrations.dask` (``[dask]``): the same for Dask DataFrames, and for bags of
  record dicts;
- :mod:`cleannews.integrations.datatrove` (``[datatrove]``): a pipeline step that goes where FineWeb
  puts its extractor.

They share :mod:`cleannews.integrations.schema` (the article's fields and their types) and
:mod:`cleannews.integrations.common` (options checked once on the driver, the chain built once per
worker process, every partition cleaned by :func:`cleannews.clean_records` with a per-document
timeout in an isolated process). See ``docs/scale.md``.
"""
