#!/usr/bin/env python3
"""Times the original Python implementation's snapshot calls, for memsnap's benchmark report (issue #17).

The original is Coda_Lite's memory/memory_snapshot.py (github.com/Aladin147/Coda_Lite). Its code is not part of
this repository: point this driver at a checkout of that file (benchmarks/run.sh --python-peer PATH, or the
environment variable MEMSNAP_PYTHON_PEER). This file is memsnap's own code.

    python3 peer_driver.py --peer PATH/memory/memory_snapshot.py --seed SEED.json [--repeats N] [--changes 100]

It imports MemorySnapshotManager from the given file, puts the state of SEED.json (a snapshot in the format both
implementations share, written by memsnap's DataGenerator) in place, and times, wall clock, in this one process:

  create  MemorySnapshotManager.create_snapshot()
  save    save_snapshot(id) of a snapshot created after CHANGES scattered memories were modified; the original writes
          every snapshot whole (json.dump, indent=2), it has no other way
  load    load_snapshot(path) of the saved file

Each is repeated N times; the median (and every run) is printed as one JSON line after "RESULT ".

What the original needs around it: MemorySnapshotManager takes the host's EnhancedMemoryManager, whose long-term
memory needs sentence-transformers and a vector database (chromadb), unrelated to snapshots and not installed here.
So the driver passes a stand-in manager of its own that holds the seed's state the way the original's does
(short_term.turns / turn_count / session_start, long_term.metadata with memories / topics / memory_count /
user_summary) and whose get_memory_stats() does the work the original's does on each snapshot: the short-term
counts, and over every memory its source type count, mean importance and oldest/newest timestamp (parsed with
datetime.fromisoformat, as the original parses them).
"""

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections import deque
from datetime import datetime


def import_peer(path):
    spec = importlib.util.spec_from_file_location("coda_memory_snapshot", path)
    if spec is None or spec.loader is None:
        raise SystemExit("peer_driver: cannot import " + path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "MemorySnapshotManager"):
        raise SystemExit("peer_driver: " + path + " has no MemorySnapshotManager")
    return module


class StandInShortTerm:
    """The short-term memory attributes create_snapshot reads."""

    def __init__(self, turns, turn_count, session_start):
        self.turns = deque(turns)
        self.turn_count = turn_count
        self.session_start = session_start
        self._started = time.time()

    def get_turn_count(self):
        return self.turn_count

    def get_session_duration(self):
        return time.time() - self._started


class StandInLongTerm:
    """The long-term memory's metadata dict (what create_snapshot reads) and its statistics."""

    def __init__(self, memories, topics):
        self.metadata = {
            "memories": memories,
            "topics": topics,
            "memory_count": len(memories),
            "user_summary": {},
        }

    def get_memory_stats(self):
        memories = self.metadata["memories"]
        by_source = {}
        importance_sum = 0.0
        oldest = newest = None
        for memory in memories.values():
            source = memory.get("metadata", {}).get("source_type", "unknown")
            by_source[source] = by_source.get(source, 0) + 1
            importance_sum += memory.get("importance", 0.5)
            stamp = datetime.fromisoformat(memory.get("timestamp", datetime.now().isoformat()))
            if oldest is None or stamp < oldest:
                oldest = stamp
            if newest is None or stamp > newest:
                newest = stamp
        return {
            "total_memories": len(memories),
            "source_types": by_source,
            "average_importance": importance_sum / len(memories) if memories else 0,
            "oldest_memory": oldest.isoformat() if oldest else None,
            "newest_memory": newest.isoformat() if newest else None,
            "topics": len(self.metadata["topics"]),
            "user_summary_keys": list(self.metadata["user_summary"].keys()),
        }


class StandInManager:
    """Stands for Coda_Lite's EnhancedMemoryManager, holding a seed snapshot's state."""

    def __init__(self, seed):
        short = seed.get("short_term", {})
        long_term = seed.get("long_term", {})
        self.short_term = StandInShortTerm(short.get("turns", []), short.get("turn_count", 0),
                                           short.get("session_start"))
        self.long_term = StandInLongTerm(dict(long_term.get("memories", {})), list(long_term.get("topics", [])))
        self.recent_topics = []
        self.last_tool_used = None

    def get_memory_stats(self):
        return {
            "short_term": {"turn_count": self.short_term.get_turn_count(),
                           "session_duration": self.short_term.get_session_duration()},
            "long_term": self.long_term.get_memory_stats(),
            "recent_topics": self.recent_topics,
            "last_tool_used": self.last_tool_used,
        }


def change_memories(manager, changes, round_no):
    """Modifies `changes` memories spread evenly over the state (a new content each round)."""
    memories = manager.long_term.metadata["memories"]
    keys = list(memories.keys())
    if not keys:
        return 0
    step = max(1, len(keys) // max(1, changes))
    changed = 0
    for i in range(0, len(keys), step):
        if changed >= changes:
            break
        key = keys[(i + round_no) % len(keys)]
        memory = dict(memories[key])
        memory["content"] = memory.get("content", "") + " (changed in round %d)" % round_no
        memories[key] = memory
        changed += 1
    return changed


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000.0, value


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer", required=True, help="path of Coda_Lite's memory/memory_snapshot.py")
    parser.add_argument("--seed", required=True, help="the seed snapshot JSON (memsnap's DataGenerator)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--workdir", default=None, help="where snapshots are saved (default: a temporary dir)")
    args = parser.parse_args(argv)

    peer_path = os.path.abspath(args.peer)
    with open(peer_path, "rb") as f:
        peer_sha = hashlib.sha256(f.read()).hexdigest()
    module = import_peer(peer_path)
    with open(args.seed, "r", encoding="utf-8") as f:
        seed = json.load(f)
    seed_bytes = os.path.getsize(args.seed)

    workdir = args.workdir or tempfile.mkdtemp(prefix="memsnap-python-peer-")
    os.makedirs(workdir, exist_ok=True)
    try:
        manager = StandInManager(seed)
        del seed
        snapshots = module.MemorySnapshotManager(memory_manager=manager, snapshot_dir=workdir)

        create_ms, save_ms, load_ms, saved_bytes = [], [], [], []
        for round_no in range(1, args.repeats + 1):
            ms, _ = timed(snapshots.create_snapshot)
            create_ms.append(ms)
            snapshots.snapshots.clear()  # hold one snapshot at a time, as the repeats are independent

        for round_no in range(1, args.repeats + 1):
            change_memories(manager, args.changes, round_no)
            snapshot_id = snapshots.create_snapshot("peer_save_%d" % round_no)
            ms, path = timed(lambda: snapshots.save_snapshot(snapshot_id))
            save_ms.append(ms)
            saved_bytes.append(os.path.getsize(path))
            snapshots.snapshots.clear()
            ms, _ = timed(lambda: snapshots.load_snapshot(path))
            load_ms.append(ms)
            snapshots.snapshots.clear()
            os.remove(path)

        result = {
            "peer": peer_path,
            "peer_sha256": peer_sha,
            "python": platform.python_implementation() + " " + platform.python_version(),
            "memories": len(manager.long_term.metadata["memories"]),
            "turns": len(manager.short_term.turns),
            "seed_bytes": seed_bytes,
            "saved_bytes": statistics.median(saved_bytes),
            "changes": args.changes,
            "repeats": args.repeats,
            "create_ms": create_ms,
            "save_ms": save_ms,
            "load_ms": load_ms,
            "create_ms_median": statistics.median(create_ms),
            "save_ms_median": statistics.median(save_ms),
            "load_ms_median": statistics.median(load_ms),
        }
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print("RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
