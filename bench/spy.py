"""Summarise a py-spy ``--format raw`` profile (collapsed stacks) as text tables.

    python -m bench.spy PROFILE.txt [--top 25] [--match TEXT] [--tree FRAME ...]

Inclusive share per frame (how much of the samples had it on the stack) and self share
(the frame that was running), so that a profile can be quoted in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*?)(?::(?P<line>\d+))?\)$")


def short(frame: str) -> str:
    match = FRAME.match(frame)
    if not match:
        return frame
    path = match.group("file")
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match.group('func')} ({path})"


def summarise(text: str, top: int, match: str | None) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [short(f) for f in stack.split(";")]
        # py-spy puts the process and thread first; idle workers wait in select/accept.
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"{total} samples", "", "inclusive:"]
    for frame, n in inclusive.most_common():
        if match and match not in frame:
            continue
        lines.append(f"  {100 * n / total:5.1f}%  {frame}")
        if len(lines) > top + 3:
            break
    lines += ["", "self:"]
    for frame, n in own.most_common(top):
        lines.append(f"  {100 * n / total:5.1f}%  {frame}")
    return "\n".join(lines)


def children(text: str, target: str, top: int) -> str:
    """Where the time under the first frame starting with ``target`` goes, one level down."""
    below: Counter[str] = Counter()
    inside = total = 0
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [short(f) for f in stack.split(";")]
        for i, frame in enumerate(frames):
            if frame.startswith(target):
                inside += n
                below[frames[i + 1] if i + 1 < len(frames) else "(itself)"] += n
                break
    lines = [f"{100 * inside / max(total, 1):5.1f}%  {target}"]
    for frame, n in below.most_common(top):
        lines.append(f"  {100 * n / max(total, 1):5.1f}%  {frame}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match")
    parser.add_argument("--tree", action="append", help="break this frame down (repeatable)")
    args = parser.parse_args()
    text = Path(args.profile).read_text()
    if args.tree:
        print("\n\n".join(children(text, t, args.top) for t in args.tree))
    else:
        print(summarise(text, args.top, args.match))


if __name__ == "__main__":
    main()
