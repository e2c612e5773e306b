"""The benchmark at a large group's scale (``make bench``): a seeded dataset generator, the
probes (pages, API lists, exports, PDFs) with the floors they are measured against, and the
budgets of ../shared/DESIGN.md checked as ratios taken in one run."""
