"""Draw the installable app's PNG icons (192, 512 and a maskable 512) from the site's SVG icon's
shapes: a green disc with a white clock hand. Pure Python (zlib), no image library; the PNGs are
committed, so this runs only when the icon changes:

    python tools/draw_app_icons.py
"""

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/routinie/core/static/routinie/icons"
GREEN = (0x2F, 0x6F, 0x5E)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 3  # per axis, per pixel: smooth edges


def _segment_distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _colour_at(x: float, y: float, maskable: bool) -> tuple[int, int, int, int]:
    """The icon in the SVG's 32x32 units; a maskable icon fills its square with green and keeps
    the clock inside the safe zone (the centre 80 %)."""
    if maskable:
        x, y = 16 + (x - 16) / 0.8, 16 + (y - 16) / 0.8
    hand = min(_segment_distance(x, y, (16, 8), (16, 16)), _segment_distance(x, y, (16, 16), (22, 20)))
    if hand <= 1.5:
        return (*WHITE, 255)
    if maskable or math.hypot(x - 16, y - 16) <= 14:
        return (*GREEN, 255)
    return (0, 0, 0, 0)


def draw(size: int, maskable: bool = False) -> bytes:
    rows = []
    unit = 32 / size
    for row in range(size):
        line = bytearray([0])
        for column in range(size):
            total = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (column + (sx + 0.5) / SAMPLES) * unit
                    y = (row + (sy + 0.5) / SAMPLES) * unit
                    r, g, b, a = _colour_at(x, y, maskable)
                    total = [total[0] + r * a, total[1] + g * a, total[2] + b * a, total[3] + a]
            alpha = total[3]
            colour = [round(c / alpha) if alpha else 0 for c in total[:3]]
            line += bytes([*colour, round(alpha / SAMPLES**2)])
        rows.append(bytes(line))
    return png(size, b"".join(rows))


def png(size: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon-192.png").write_bytes(draw(192))
    (OUT / "icon-512.png").write_bytes(draw(512))
    (OUT / "icon-maskable-512.png").write_bytes(draw(512, maskable=True))
