#!/usr/bin/env python3
"""Lays out a benchmark folder by source photograph, for the strict split.

Usage: strict-tree.py FLAT OUT

FLAT is make-photos.py's output (FLAT/good/pNNNN.jpg, FLAT/bad/pNNNN.jpg,
FLAT/recipe.csv). OUT gets the same photos as OUT/<label>/<source>/pNNNN.jpg,
<source> being the source photograph's file name without its extension
(e.g. good/Dune/p0001.jpg and bad/Dune/p0007.jpg), as hard links to FLAT's
files (symbolic links where hard links fail, e.g. across file systems), and
a link to recipe.csv. With Keepers' `ingest.groups.whole_folders: true` every
sub-folder takes one split whole, so no source photograph is on both sides of
a split. OUT is built beside itself (OUT.tmp) and then renamed, with
OUT/.complete written last.
"""
import csv
import os
import shutil
import sys


def link(src, dst):
    try:
        os.link(src, dst)
        return "hard"
    except OSError:
        os.symlink(os.path.relpath(os.path.abspath(src), os.path.dirname(os.path.abspath(dst))), dst)
        return "symbolic"


def main(flat, out):
    rows = list(csv.DictReader(open(os.path.join(flat, "recipe.csv"), newline="")))
    tmp = out.rstrip("/") + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    kinds, folders = set(), set()
    for row in rows:
        label, name = row["file"].split("/")
        folder = os.path.splitext(row["source"])[0]
        if not folder or folder.startswith(".") or "/" in folder:
            sys.exit(f"unusable source name for a folder: {row['source']!r}")
        os.makedirs(os.path.join(tmp, label, folder), exist_ok=True)
        kinds.add(link(os.path.join(flat, row["file"]), os.path.join(tmp, label, folder, name)))
        folders.add(folder)
    link(os.path.join(flat, "recipe.csv"), os.path.join(tmp, "recipe.csv"))
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    open(os.path.join(out, ".complete"), "w").close()
    print(f"{len(rows)} photos in {len(folders)} source folders ({' and '.join(sorted(kinds))} links) -> {out}",
          file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
