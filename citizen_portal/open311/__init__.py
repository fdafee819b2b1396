"""Open311 GeoReport v2 at /open311/v2/: partner systems list the portal's services (leaf
complaint categories), post service requests (complaints) with a partner key, and follow
requests by reference. Not an app: it has no models of its own. See docs/api/open311.md."""
