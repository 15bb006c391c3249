"""The storage engine: the one owner of the store's files.

- `rows`: the file format (one JSON object of tables, one row a line), parsing and checks;
- `files`: `atomic_write`, the one writer of the store, its index and exports;
- `lock`: one writer at a time (a flock that dies with its process);
- `tinystore`: the TinyDB storage over `rows` and `files`;
- `append`: adding rows to a store without loading it (how an ingest commits);
- `index`: the derived `<store>.index` that makes lookups fast;
- `spool`: facts kept in an anonymous temp file between extraction and the commit;
- `backup`: putting the previous generation back.
"""
