"""A deterministic demo-and-benchmark generator: citizens and a year of complaints with their
timelines, hash chains and feedback, drawn from the loaded directory and its real routing.

Modules, in the order data flows: world (the directory snapshot), routes (the real router,
cached), clock (when), people (citizens), timeline (one complaint's life), drafts (complaints
as lodged), rows (keys, references, hashes), pipeline (the next batch built while the last is
written), sinks (COPY or executemany), indexes (dropped and rebuilt around the writing, if
asked), run (batches and transactions).
"""

from citizen_portal.complaints.services.generator.run import (
    GeneratorInput,
    GeneratorReport,
    Progress,
    complaints_generate,
)

__all__ = ["GeneratorInput", "GeneratorReport", "Progress", "complaints_generate"]
