"""Runs moto_server with two fixes to the cost of its DynamoDB, not its behaviour.

1. Transactions. moto 5's TransactWriteItems takes a deep copy of the whole
   table for every item of the transaction, to roll back to if one fails: a
   100-item transaction on a table of 100,000 items copies ten million items.
   Here a transaction instead keeps a copy of just the items it names (as
   they were before it), and a transaction that fails puts exactly those back:
   all or nothing, as before, at the cost of the transaction's own items.
2. Queries. moto 5 answers every Query by sorting every item of the table
   (`Table.all_items`) and then keeping the partition asked for. Here a
   query of the table reads only its partition, and a query of an index reads
   the table's items unsorted (the query sorts what it keeps by the index's
   keys anyway, with the table's keys as tie-breakers, so the order and the
   pages it answers are the same).

3. Isolation. moto_server serves requests on threads and does not serialise
   them; DynamoDB's transactions are serializable with the other writes and
   never read half done. Here every read and write of items holds one lock:
   otherwise a transaction that rolls back could put back items another
   request wrote meanwhile, and a read could see a transaction's writes that
   are then undone (concurrent ingestion batches lost counts both ways).

Everything else is moto_server as it is. If moto changes and the patched
names are gone, the server runs unpatched (slower, the same answers).
"""
import copy
import sys
import threading

try:
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    _local = threading.local()

    class _NoTableCopies:
        """The copy module, except that deepcopy of a Table during a
        transaction hands back the table itself: the transaction keeps its
        own items' copies instead."""

        def __getattr__(self, name):
            return getattr(copy, name)

        @staticmethod
        def deepcopy(x, memo=None):
            if getattr(_local, "in_transaction", False) and isinstance(x, Table):
                return x
            return copy.deepcopy(x, memo)

    def _touched(backend, transact_items):
        """The items a transaction names, each with a copy of how it is now."""
        saved = []
        for entry in transact_items:
            try:
                op_type, op = next(iter(entry.items()))
                table = backend.get_table(op["TableName"])
                key = op["Item"] if op_type == "Put" else op["Key"]
                hash_value = DynamoType(key[table.hash_key_attr])
                range_value = None
                if table.range_key_attr is not None:
                    range_value = DynamoType(key[table.range_key_attr])
                current = table.get_item(hash_value, range_value)
                saved.append((table, hash_value, range_value, copy.deepcopy(current)))
            except Exception:  # moto's own code answers a malformed item
                continue
        return saved

    def _restore(saved):
        for table, hash_value, range_value, item in reversed(saved):
            if range_value is None:
                if item is None:
                    table.items.pop(hash_value, None)
                else:
                    table.items[hash_value] = item
                continue
            partition = table.items[hash_value]
            if item is None:
                partition.pop(range_value, None)
                if not partition:
                    table.items.pop(hash_value, None)
            else:
                partition[range_value] = item

    _transact = models.DynamoDBBackend.transact_write_items

    _items_lock = threading.RLock()

    def transact_write_items(self, transact_items):
        with _items_lock:
            saved = _touched(self, transact_items) if len(transact_items) <= 100 else []
            _local.in_transaction = True
            try:
                return _transact(self, transact_items)
            except Exception:
                _restore(saved)
                raise
            finally:
                _local.in_transaction = False

    def _serialised(method):
        def locked(self, *args, **kwargs):
            with _items_lock:
                return method(self, *args, **kwargs)

        return locked

    _all_items = Table.all_items
    _query = Table.query

    def all_items(self):
        scope = getattr(_local, "query", None)
        if scope is None or scope[0] is not self:
            return _all_items(self)
        if scope[1] is None:  # an index: every item, in any order
            if self.range_key_attr:
                return [item for part in self.items.values() for item in part.values()]
            return list(self.items.values())
        part = self.items.get(scope[1])
        if part is None:
            return []
        return list(part.values()) if self.range_key_attr else [part]

    def query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
              scan_index_forward, projection_expressions, index_name=None, *args, **kwargs):
        _local.query = (self, None if index_name else hash_key)
        try:
            return _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                          scan_index_forward, projection_expressions, index_name, *args, **kwargs)
        finally:
            _local.query = None

    if getattr(models, "copy", None) is copy:
        models.copy = _NoTableCopies()
        models.DynamoDBBackend.transact_write_items = transact_write_items
    Table.all_items = all_items
    Table.query = query
    for _name in ("put_item", "update_item", "delete_item", "get_item", "batch_get_item",
                  "batch_write_item", "query", "scan", "transact_get_items"):
        setattr(models.DynamoDBBackend, _name, _serialised(getattr(models.DynamoDBBackend, _name)))
except (ImportError, AttributeError):
    pass

from moto.server import main

sys.exit(main())
