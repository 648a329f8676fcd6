"""``python -m kexie_research …`` is the same as the ``kexie`` command."""

from kexie_research.cli import main

raise SystemExit(main())
