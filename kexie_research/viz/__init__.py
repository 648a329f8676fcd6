"""Drawing: theme, labels, charts and maps (computation lives in kexie_research.analysis)."""
