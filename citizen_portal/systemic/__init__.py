"""Duplicates and systemic issues: open complaints alike in category, place and words found at
lodging, and persistent clusters of them grouped into one systemic issue with one owner."""
