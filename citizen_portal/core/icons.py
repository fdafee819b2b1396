"""The app's icons, drawn with Pillow: a white crescent and star on the portal's green.

`python manage.py pwa_icons` writes them to citizen_portal/static/icons/; the PNGs are
committed, so a deployment needs nothing drawn at start-up."""

from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (1, 65, 28, 255)  # #01411c
WHITE = (255, 255, 255, 255)
ICON_DIR = Path(__file__).resolve().parent.parent / "static" / "icons"

# name: (size in pixels, maskable). A maskable icon fills its square: the launcher cuts it to
# its own shape, keeping at least the central circle of 80% of the width (the "safe zone").
ICONS: dict[str, tuple[int, bool]] = {
    "icon-32.png": (32, False),
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),  # iOS rounds the corners itself
}
SUPERSAMPLE = 4  # drawn larger and scaled down, for smooth edges


def _star(centre: tuple[float, float], outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + 36 * i + 18)  # tilted, as on the flag
        points.append((centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)))
    return points


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=GREEN)
        scale = 0.72  # the glyph stays well inside the safe zone
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.18, fill=GREEN)
        scale = 0.9

    def at(x: float, y: float) -> tuple[float, float]:
        return (big * (0.5 + (x - 0.5) * scale), big * (0.5 + (y - 0.5) * scale))

    def disc(x: float, y: float, radius: float, fill: tuple[int, ...]) -> None:
        cx, cy = at(x, y)
        r = big * radius * scale
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)

    disc(0.46, 0.54, 0.30, WHITE)  # the crescent: a white disc ...
    disc(0.55, 0.47, 0.255, GREEN)  # ... with a green one over it
    draw.polygon(_star(at(0.67, 0.36), big * 0.105 * scale, big * 0.042 * scale), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def icon_png(size: int, *, maskable: bool) -> bytes:
    buffer = io.BytesIO()
    draw_icon(size, maskable=maskable).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def icons_write(*, directory: Path = ICON_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, maskable) in ICONS.items():
        path = directory / name
        path.write_bytes(icon_png(size, maskable=maskable))
        written.append(path)
    return written
