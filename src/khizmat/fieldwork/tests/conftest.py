from khizmat.fieldwork.tests.fleet import fleet  # noqa: F401  (the fixture, for every module here)
