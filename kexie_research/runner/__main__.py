"""``python -m kexie_research.runner``: the same as ``kexie report``."""

from kexie_research.runner.command import main

if __name__ == "__main__":  # importing the module (documentation tools do) runs nothing
    raise SystemExit(main())
