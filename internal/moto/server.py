"""Runs moto_server with one fix to its DynamoDB transactions.

moto 5's TransactWriteItems takes a deep copy of the table once for every item
of the transaction, to roll back to if one fails: a 100-item transaction on a
table of 10,000 items copies a million items. Only the items the transaction
names can change, so this copies those (before moto starts) instead of the
table, and puts them back when moto rolls the transaction back: the same
behaviour, at a cost that no longer grows with the table. moto_server serves
requests on threads and does not serialise them; DynamoDB's transactions are
serializable with the other writes and never read half done, so here every
read and write of an item holds one lock (otherwise a transaction that rolls
back could put back items another request wrote meanwhile, and a read could
see a transaction's writes that are then undone). Everything else is
moto_server as it is. If moto changes and the patched names are gone, the
server runs unpatched.
"""
import copy
import sys
import threading

try:
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    _snapshots = threading.local()

    class _CopyOncePerTransaction:
        """The copy module, except that within a transaction a table is not
        copied: its items are journalled instead (transact_write_items)."""

        def __getattr__(self, name):
            return getattr(copy, name)

        @staticmethod
        def deepcopy(x, memo=None):
            if getattr(_snapshots, "live", False) and isinstance(x, Table):
                return x
            return copy.deepcopy(x, memo)

    _transact = models.DynamoDBBackend.transact_write_items

    def _journal(backend, transact_items):
        """The items a transaction names, as they are now (copies)."""
        journal = []
        for entry in transact_items:
            try:
                _, op = next(iter(entry.items()))
                table = backend.get_table(op["TableName"])
                key = op.get("Key")
                if key is None:
                    attrs = op["Item"]
                    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                    if table.range_key_attr is not None:
                        key[table.range_key_attr] = attrs[table.range_key_attr]
                hash_key, range_key = backend.get_keys_value(table, key)
                old = table.get_item(hash_key, range_key)
                journal.append((table, hash_key, range_key, copy.deepcopy(old)))
            except Exception:
                pass  # moto reports what is wrong with the item itself
        return journal

    def _restore(journal):
        for table, hash_key, range_key, old in reversed(journal):
            if range_key is None:
                if old is None:
                    table.items.pop(hash_key, None)
                else:
                    table.items[hash_key] = old
            elif old is None:
                table.items[hash_key].pop(range_key, None)
            else:
                table.items[hash_key][range_key] = old

    _writes = threading.RLock()

    def transact_write_items(self, transact_items, *args, **kwargs):
        with _writes:
            journal = _journal(self, transact_items)
            _snapshots.live = True
            try:
                return _transact(self, transact_items, *args, **kwargs)
            except BaseException:
                _restore(journal)
                raise
            finally:
                _snapshots.live = False

    def _serialised(write):
        def locked(self, *args, **kwargs):
            with _writes:
                return write(self, *args, **kwargs)

        return locked

    if getattr(models, "copy", None) is copy:
        models.copy = _CopyOncePerTransaction()
        models.DynamoDBBackend.transact_write_items = transact_write_items
        for _name in ("put_item", "update_item", "delete_item", "get_item", "batch_get_item",
                      "batch_write_item", "query", "scan", "transact_get_items"):
            setattr(models.DynamoDBBackend, _name, _serialised(getattr(models.DynamoDBBackend, _name)))
except (ImportError, AttributeError):
    pass

from moto.server import main

sys.exit(main())
