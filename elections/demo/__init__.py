"""Demo data of elections (两推一选) on the demo district: ``builder`` makes the projects through the services."""

from elections.demo.builder import ElectionsDemoSummary, build_elections_demo, demo_projects, expiring_villages

__all__ = ["ElectionsDemoSummary", "build_elections_demo", "demo_projects", "expiring_villages"]
