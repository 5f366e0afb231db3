#!/usr/bin/env python3
"""Bytes on disk of a local D1 SQLite file, per table and index, as JSON on stdout.

Usage: dbstat.py FILE.sqlite   (wrangler dev must be stopped: the checkpoint needs the file to itself)

Python's sqlite3 is used because workerd's SQLite is built without the dbstat virtual table. The WAL
is checkpointed (TRUNCATE) first so every page counted is in the main file and the file size is the
database's own size, not the database plus a write-ahead log.
"""
import json
import sqlite3
import sys


def main(path):
    db = sqlite3.connect(path)
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise SystemExit(f"{path}: the WAL checkpoint was blocked (is wrangler dev still running?)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    page_count = db.execute("PRAGMA page_count").fetchone()[0]
    freelist = db.execute("PRAGMA freelist_count").fetchone()[0]
    master = {name: (tbl, kind) for kind, name, tbl in db.execute("SELECT type, name, tbl_name FROM sqlite_master")}
    # FTS5 tables have no pages of their own: their bytes are in shadow tables named after them.
    virtual = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    messages = db.execute("SELECT count(*) FROM messages").fetchone()[0] if "messages" in master else None
    note = None
    try:
        rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError as err:
        # Without dbstat only the whole file can be measured; say so rather than guess per table.
        rows, note = [], f"no per-object sizes: this SQLite has no dbstat ({err})"
    objects = []
    for name, size in rows:
        tbl, kind = master.get(name, (name, "table" if name in ("sqlite_schema", "sqlite_master") else "?"))
        objects.append({"name": name, "tbl": tbl, "type": kind, "bytes": size})
    print(json.dumps({
        "fileBytes": page_size * page_count,
        "pageSize": page_size,
        "freeBytes": page_size * freelist,
        "messages": messages,
        "objects": objects,
        "virtualTables": virtual,
        "note": note,
    }))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: dbstat.py FILE.sqlite")
    main(sys.argv[1])
