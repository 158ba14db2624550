"""Pure spatial functions: datums, name resolution, queries, classification, summaries."""
