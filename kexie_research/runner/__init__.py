"""`kexie report`: run the notebooks through papermill into reports/."""
