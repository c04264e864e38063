"""Runs moto_server with one fix to its DynamoDB transactions.

moto 5's TransactWriteItems takes a deep copy of the table once for every item
of the transaction, to roll back to if one fails: a 100-item transaction on a
table of 10,000 items copies a million items. Nothing is written while those
copies are taken, so they are all the same snapshot; this takes it once per
table per call. Everything else is moto_server as it is. If moto changes and
the patched names are gone, the server runs unpatched.
"""
import copy
import sys
import threading

try:
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    _snapshots = threading.local()

    class _CopyOncePerTransaction:
        """The copy module, except that a table is copied once per transaction."""

        def __getattr__(self, name):
            return getattr(copy, name)

        @staticmethod
        def deepcopy(x, memo=None):
            taken = getattr(_snapshots, "tables", None)
            if taken is None or not isinstance(x, Table):
                return copy.deepcopy(x, memo)
            if id(x) not in taken:
                taken[id(x)] = copy.deepcopy(x, memo)
            return taken[id(x)]

    _transact = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, *args, **kwargs):
        _snapshots.tables = {}
        try:
            return _transact(self, *args, **kwargs)
        finally:
            _snapshots.tables = None

    if getattr(models, "copy", None) is copy:
        models.copy = _CopyOncePerTransaction()
        models.DynamoDBBackend.transact_write_items = transact_write_items
except (ImportError, AttributeError):
    pass

from moto.server import main

sys.exit(main())
