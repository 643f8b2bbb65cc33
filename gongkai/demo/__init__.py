"""The demo data of every app, loaded together: it composes cases and reports, so it lives above
them (`manage.py load_demo`, `gongkai demo`). The apps never import this package."""
