#!/usr/bin/env python3
"""Turns a terminal screen captured with `tmux capture-pane -p` into a PBM image of the QR code drawn
there with half blocks, so that a real decoder (zbarimg) can read it.

Each character cell becomes 1 x 2 modules: U+2580 (upper half block) dark above, U+2584 (lower half)
dark below, U+2588 (full block) both, anything else light. Each module is SCALE x SCALE pixels.
Only the columns left of the receipt's "Ticket N of M" title are kept (the code sits there; the
amounts in the block font on the right would only be noise); --cols A:B picks columns by hand.

usage: qr_screen.py OUT.pbm < screen.txt
"""
import re
import sys

SCALE = 8
UPPER, LOWER, FULL = "\u2580", "\u2584", "\u2588"


def main():
    out = sys.argv[1]
    lines = sys.stdin.read().split("\n")
    lo, hi = 0, max(len(l) for l in lines)
    if len(sys.argv) > 3 and sys.argv[2] == "--cols":
        a, b = sys.argv[3].split(":")
        lo, hi = int(a), int(b)
    else:
        for l in lines:
            m = re.search(r"Ticket \d+ of \d+", l)
            if m:
                hi = m.start()
                break
    rows = []
    for l in lines:
        cells = l[lo:hi].ljust(hi - lo)
        top = [1 if c in (UPPER, FULL) else 0 for c in cells]
        bottom = [1 if c in (LOWER, FULL) else 0 for c in cells]
        rows.append(top)
        rows.append(bottom)
    # a light margin all round, so a code drawn at the crop's edge still has its quiet zone
    width = hi - lo + 8
    pad = [0] * width
    image = [pad] * 4 + [[0] * 4 + r + [0] * 4 for r in rows] + [pad] * 4
    with open(out, "w") as f:
        f.write("P1\n%d %d\n" % (width * SCALE, len(image) * SCALE))
        for r in image:
            line = " ".join(str(v) for v in r for _ in range(SCALE))
            for _ in range(SCALE):
                f.write(line + "\n")


if __name__ == "__main__":
    main()
