"""A coarse bound on server memory during a large upload; bench/ingest_memory.py has the figures."""

from bench.ingest_memory import measure


def test_large_artifact_does_not_grow_the_worker_by_its_size(tmp_path):
    figures = measure(100, tmp_path)
    # Spooling to disk and streaming to S3 keeps growth to a fixed amount (multipart buffers),
    # far below the artifact's own size.
    assert figures["growth_mib"] < 75, figures
