"""The dashboards' "Hotspot alerts" panel: `{% load hotspots %}{% hotspot_panel node %}` in
analytics/dashboard.html. The dashboard has already checked that the viewer may see `node`."""

from __future__ import annotations

from typing import Any

from django import template

from citizen_portal.hotspots.selectors.alerts import panel_alerts

register = template.Library()


@register.inclusion_tag("hotspots/_panel.html")
def hotspot_panel(node: Any) -> dict[str, Any]:
    return {"alerts": panel_alerts(int(node.scope), int(node.pk))}
