"""The objectives app's pages. Declarations live per theme; importing them here lets the view
registry (which imports every app's ``views`` module) find them."""

from objectives import sensors_views  # noqa: F401  (sensor devices)
