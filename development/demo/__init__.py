"""Demo data of the development app (``manage.py load_demo_development``, called by ``load_demo``)."""
