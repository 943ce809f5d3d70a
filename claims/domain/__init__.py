"""Pure business rules: names, forecasts (hedge -> probability), track records, article text files.

Nothing here imports Django (tests/test_architecture.py fails if it does), so the
rules can be used by extraction worker processes, scripts and the fixtures builder alike.
"""
