"""The built-in cleaners. Each is registered in the ``cleannews.cleaners`` entry-point group.

A cleaner is any callable taking a :class:`~cleannews.Document` that *labels* blocks with
``doc.label(...)``; it never deletes. Options come from the chain config as keyword arguments.
"""
