"""Hotspot alerts: unusual rises of a category in a district, spotted by a periodic job and
sent to the responsible department's focal person and the dashboards."""
