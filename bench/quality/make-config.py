#!/usr/bin/env python3
"""Writes one run's config for make bench-quality: the base config with a few keys set.

Usage: make-config.py BASE OUT --photos DIR [--folds K --fold I] [--steps N] [--whole-folders]

Edits the YAML text line by line (block style, as configs/*.yaml are
written), keeping everything else, comments included:
- `photos:` becomes DIR;
- --folds/--fold set `ingest.folds` and `ingest.fold` (k-fold split I of K);
- --whole-folders sets `ingest.groups.whole_folders: true` (every sub-folder
  below a class folder takes one split whole; the strict split), adding the
  `groups:` mapping under `ingest:` when the base has none;
- --steps sets `train.steps`.
A key the base already has is replaced, never repeated.
"""
import argparse
import re
import sys


def indent(line):
    return len(line) - len(line.lstrip(" "))


def meaningful(line):
    s = line.strip()
    return bool(s) and not s.startswith("#")


def block(lines, start, parent_indent):
    """Index just past the block of children of the key at `start`."""
    end = start + 1
    while end < len(lines) and (not meaningful(lines[end]) or indent(lines[end]) > parent_indent):
        end += 1
    return end


def child_indent(lines, start, end, parent_indent, default):
    for line in lines[start + 1:end]:
        if meaningful(line):
            return indent(line)
    return parent_indent + default


def find_key(lines, key, start, end, at):
    pattern = re.compile(rf"^ {{{at}}}{re.escape(key)}:(\s.*)?$")
    for i in range(start, end):
        if pattern.match(lines[i].rstrip("\n")):
            return i
    return None


def set_in_section(lines, section, values, top_start=0, top_end=None, at=0, step=2):
    """Sets `values` (key -> text) under the mapping `section` found at indent `at`
    between top_start and top_end; creates the section when absent. Returns lines."""
    top_end = len(lines) if top_end is None else top_end
    i = find_key(lines, section, top_start, top_end, at)
    if i is None:
        i = top_end
        while i > top_start and not meaningful(lines[i - 1]):   # after the last key, before blank lines
            i -= 1
        lines.insert(i, " " * at + f"{section}:\n")
    rest = lines[i].rstrip("\n").split(":", 1)[1].split("#")[0].strip()
    if rest:
        sys.exit(f"make-config.py: '{section}:' has an inline value ({rest}); write it as a block mapping")
    end = block(lines, i, at)
    ci = child_indent(lines, i, end, at, step)
    for key, value in reversed(list(values.items())):   # inserted ones end up in the given order
        j = find_key(lines, key, i + 1, end, ci)
        if j is not None:
            lines[j] = " " * ci + f"{key}: {value}\n"
        else:
            lines.insert(i + 1, " " * ci + f"{key}: {value}\n")
            end += 1
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base")
    ap.add_argument("out")
    ap.add_argument("--photos", required=True)
    ap.add_argument("--folds", type=int)
    ap.add_argument("--fold", type=int)
    ap.add_argument("--steps", type=int)
    ap.add_argument("--whole-folders", action="store_true")
    args = ap.parse_args()
    if (args.folds is None) != (args.fold is None):
        sys.exit("make-config.py: --folds and --fold go together")

    lines = open(args.base).read().splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    p = find_key(lines, "photos", 0, len(lines), 0)
    if p is None:
        lines.insert(0, f"photos: {args.photos}\n")
    else:
        lines[p] = f"photos: {args.photos}\n"
    if args.folds is not None:
        lines = set_in_section(lines, "ingest", {"folds": args.folds, "fold": args.fold})
    if args.whole_folders:
        i = find_key(lines, "ingest", 0, len(lines), 0)
        if i is None:
            lines = set_in_section(lines, "ingest", {})
            i = find_key(lines, "ingest", 0, len(lines), 0)
        end = block(lines, i, 0)
        ci = child_indent(lines, i, end, 0, 2)
        lines = set_in_section(lines, "groups", {"whole_folders": "true"}, i + 1, end, ci, ci)
    if args.steps is not None:
        lines = set_in_section(lines, "train", {"steps": args.steps})
    with open(args.out, "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
