"""Exports for other tools: Stata, SPSS, R and Excel files of the dataset, and the codebook as a document.

Political scientists analyse in Stata, SPSS or R and write in LaTeX or Word. ``kexie export`` writes
the processed dataset in their formats with the labels the codebook gives, so that a variable shows
its meaning (``value`` → "Harmonised value (for a range: its lower end)") and a categorical column its
bilingual categories, without anyone retyping them:

- :mod:`~kexie_research.publish.labels`: variable labels from the data package, value labels for the
  categorical columns (computation only, no file written);
- :mod:`~kexie_research.publish.datasets`: the writers (``.dta``, ``.sav``, Parquet + an R reader,
  a formatted ``.xlsx``);
- :mod:`~kexie_research.publish.codebook_doc`: the codebook as an HTML page and a PDF, with one example
  quote per indicator;
- :mod:`~kexie_research.publish.command`: the ``kexie export`` command.

Everything here reads ``data/processed`` only (like the notebooks), never ``data/raw``.
"""
