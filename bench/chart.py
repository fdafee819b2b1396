"""A horizontal bar chart of requests per second per scenario, drawn with Pillow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

LABEL_WIDTH, BAR_WIDTH, ROW, MARGIN = 220, 520, 26, 16
WRITE, READ, FLOOR = (200, 90, 40), (40, 110, 190), (130, 130, 130)


def draw_chart(scenarios: list[dict[str, Any]], path: Path) -> None:
    top = max((s["rps"] for s in scenarios), default=1.0) or 1.0
    height = MARGIN * 3 + ROW * len(scenarios)
    image = Image.new("RGB", (LABEL_WIDTH + BAR_WIDTH + 120, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, MARGIN // 2), "requests per second (grey: floors)", fill="black")
    for i, s in enumerate(scenarios):
        y = MARGIN * 2 + i * ROW
        colour = (
            FLOOR if s["scenario"].startswith("floor") else WRITE if s["kind"] == "write" else READ
        )
        width = max(1, int(BAR_WIDTH * s["rps"] / top))
        draw.text((MARGIN, y + 5), f"{s['scenario']} c{s['concurrency']}", fill="black")
        draw.rectangle((LABEL_WIDTH, y + 3, LABEL_WIDTH + width, y + ROW - 5), fill=colour)
        draw.text((LABEL_WIDTH + width + 6, y + 5), f"{s['rps']:,.0f}", fill="black")
    image.save(path)
