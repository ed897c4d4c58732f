"""Fetch the data the reports stand on, into dated snapshots under ``data/raw/``.

``python -m helpers.fetch SOURCE`` (``acled``, ``ucdp``, ``hdx`` or ``all``) asks each
provider for what changed, writes an immutable snapshot ``data/raw/<source>/<date>/``
with its provenance record, and leaves the previous snapshots untouched; ``make refresh``
then re-renders the reports whose inputs changed. This layer only feeds ``data/raw/``:
the readers in :mod:`helpers.data` read the snapshots like any other file.

Credentials come only from environment variables (never from notebooks, parameters or
files): ``ACLED_EMAIL`` / ``ACLED_PASSWORD``, ``UCDP_ACCESS_TOKEN``, ``HDX_APP_IDENTIFIER``
(or ``HDX_APP_NAME`` and ``HDX_EMAIL``). ``ACLED_BASE_URL``, ``UCDP_BASE_URL`` and
``HDX_BASE_URL`` point a client at another server (the tests use one on 127.0.0.1).
"""
