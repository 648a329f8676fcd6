"""``python -m kexie_research …`` is the same as the ``kexie`` command."""

from kexie_research.cli import main

if __name__ == "__main__":  # importing the module (e.g. by the API documentation) runs nothing
    raise SystemExit(main())
