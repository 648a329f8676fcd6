"""``python -m kexie_research …`` is the same as the ``kexie`` command."""

from kexie_research.cli import main

if __name__ == "__main__":  # the API reference imports every module; importing must not run the command
    raise SystemExit(main())
