"""Category suggestion: a text model trained on the portal's own confirmed complaints suggests
the likely categories and departments from a citizen's own words."""
