from django.db import models


class FloorRow(models.Model):
    """A complaint-sized row in the scratch table that bench/floor/schema.sql creates."""

    reference = models.CharField(max_length=20)
    citizen_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    area_id = models.BigIntegerField()
    position_id = models.BigIntegerField()
    status = models.CharField(max_length=20)
    subject = models.CharField(max_length=150)
    description = models.TextField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    # Declared because the type checker reads the portal's settings, where this app is not
    # installed, and so adds no default manager.
    objects: models.Manager["FloorRow"] = models.Manager()

    class Meta:
        managed = False
        db_table = "bench_floor_row"

    def __str__(self) -> str:
        return self.reference
