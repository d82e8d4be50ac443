#!/usr/bin/env python3
"""The data and pixel side of scripts/web-demo (see Examples/Web/index.html for the pixel contract).

    web_demo_check.py embed INDEX_HTML SCORES          write the fixture points into the page
    web_demo_check.py pick SCORES CHECKS               choose 20 canvas pixels to check; write
                                                       their points (x y a line) to CHECKS
    web_demo_check.py compare SHOT.png SCORES CHECKS   compare the screenshot's colours there with
                                                       the classes of mgrad's scores; exit 1 on a
                                                       mismatch

SCORES is what `mgrad export moons --scores FILE [--score-points CHECKS]` writes: `x y label
score` a line, the 100 fixture points first, then the checked points (label 0).
"""
import re
import struct
import sys
import zlib

X0, X1, Y0, Y1, WIDTH, HEIGHT = -1.5, 2.5, -1.25, 1.75, 640, 480
REGION = {1: (255, 200, 140), -1: (150, 190, 255)}
FIXTURE_COUNT = 100
# Checked pixels keep this far (in pixels) from every fixture point's centre: discs have radius 5.
CLEARANCE = 10


def from_pixel(px, py):
    """The point canvas pixel (px, py) shows: the same expression, in the same order, as the page."""
    return X0 + (px + 0.5) * (X1 - X0) / WIDTH, Y1 - (py + 0.5) * (Y1 - Y0) / HEIGHT


def to_pixel(x, y):
    return (x - X0) * WIDTH / (X1 - X0), (Y1 - y) * HEIGHT / (Y1 - Y0)


def read_scores(path):
    return [(float(x), float(y), int(label), float(score))
            for x, y, label, score in (line.split() for line in open(path) if line.strip())]


def embed(html_path, scores_path):
    points = [[x, y, label] for x, y, label, _ in read_scores(scores_path)[:FIXTURE_COUNT]]
    text = open(html_path).read()
    items = [f"[{x!r}, {y!r}, {label}]" for x, y, label in points]
    json = "[\n" + ",\n".join(", ".join(items[i:i + 2]) for i in range(0, len(items), 2)) + "\n]"
    new, count = re.subn(r"/\* POINTS \*/.*?/\* END POINTS \*/", lambda _: f"/* POINTS */{json}/* END POINTS */",
                         text, flags=re.S)
    if count != 1:
        sys.exit(f"web-demo: {html_path} has no /* POINTS */ ... /* END POINTS */ marker")
    open(html_path, "w").write(new)


def pick(scores_path, checks_path):
    """A 5 x 4 grid of pixels, each moved to the nearest pixel clear of every fixture point."""
    centres = [to_pixel(x, y) for x, y, _, _ in read_scores(scores_path)[:FIXTURE_COUNT]]
    clear = lambda px, py: all((px + 0.5 - cx) ** 2 + (py + 0.5 - cy) ** 2 > CLEARANCE ** 2 for cx, cy in centres)
    offsets = sorted(((dx, dy) for dx in range(-40, 41) for dy in range(-40, 41)), key=lambda d: d[0] ** 2 + d[1] ** 2)
    lines = []
    for gy in range(4):
        for gx in range(5):
            px, py = next((64 + 128 * gx + dx, 60 + 120 * gy + dy) for dx, dy in offsets
                          if clear(64 + 128 * gx + dx, 60 + 120 * gy + dy))
            x, y = from_pixel(px, py)
            lines.append(f"{x!r} {y!r}\n")
    open(checks_path, "w").writelines(lines)


def read_png(path):
    """Width, height and rows of (r, g, b) of an 8-bit RGB or RGBA, non-interlaced PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"web-demo: {path} is not a PNG")
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"web-demo: {path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + left) & 255
            elif kind == 2: line[i] = (line[i] + up) & 255
            elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                nearest = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))[2]
                line[i] = (line[i] + nearest) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def compare(shot_path, scores_path, checks_path):
    width, height, rows = read_png(shot_path)
    if width < WIDTH or height < HEIGHT:
        sys.exit(f"web-demo: the screenshot is {width} x {height}, smaller than the canvas")
    checked = read_scores(scores_path)[FIXTURE_COUNT:]
    wanted = [tuple(map(float, line.split())) for line in open(checks_path) if line.strip()]
    if [(x, y) for x, y, _, _ in checked] != wanted:
        sys.exit("web-demo: mgrad's scores are not of the checked points")
    failures, classes, matched = 0, set(), 0
    for x, y, _, score in checked:
        px, py = (round(v - 0.5) for v in to_pixel(x, y))
        expected = 1 if score > 0 else -1
        classes.add(expected)
        got = rows[py][px]
        ok = max(abs(a - b) for a, b in zip(got, REGION[expected])) <= 3
        failures += not ok
        matched += ok
        print(f"  pixel ({px:3}, {py:3}) = ({x:+.4f}, {y:+.4f}): interpreter score {score:+.6f}, class {expected:+d}; "
              f"screenshot rgb{got} {'ok' if ok else 'MISMATCH, expected rgb' + str(REGION[expected])}")
    if classes != {1, -1}:
        print("web-demo: the checked pixels do not cover both classes")
        failures += 1
    print(f"{'PASS' if failures == 0 else 'FAIL'}: {matched} of {len(checked)} pixels show the interpreter's class")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    commands = {"embed": embed, "pick": pick, "compare": compare}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
