"""Coding reliability: facts matched across coders by where they sit in the document, and
Krippendorff's α per field with a bootstrap interval (``kexie agree``).

* :mod:`.sheets` reads a coder's sheet (a coding sheet or a ``kexie extract`` draft) and places
  every row's ``raw_text`` in its document as a character span;
* :mod:`.units` matches spans of different coders into units (overlapping spans);
* :mod:`.alpha` computes α (the maintained ``krippendorff`` package) and its bootstrap interval;
* :mod:`.agree` puts them together: unitizing counts, α per field, disagreements to resolve;
* :mod:`.command` is the command line.
"""

# The function ``agree`` stays in its module (``kexie_research.reliability.agree.agree``): re-exported
# here it would hide the module of the same name (and the API reference would describe it twice).
from kexie_research.reliability.agree import FIELDS, Agreement
from kexie_research.reliability.alpha import bootstrap_interval, field_alpha

__all__ = ["FIELDS", "Agreement", "bootstrap_interval", "field_alpha"]
