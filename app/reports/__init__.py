"""Reports: profitability, utilisation, work in progress and receivables, built as pure functions from values.

`service.py` is the only module here that reads the store; every builder takes plain values and returns them.
"""
