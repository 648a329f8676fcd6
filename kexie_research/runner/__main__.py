"""``python -m kexie_research.runner``: the same as ``kexie report``."""

from kexie_research.runner.command import main

raise SystemExit(main())
