"""The hostile pull-request corpus (see cases.py)."""
