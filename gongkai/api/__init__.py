"""The JSON API's root, above the apps: its routes (the applications of `gongkai.cases.api`, the
annual report of `gongkai.reports.api`) and its OpenAPI document and HTML page composed from the
parts each app documents. The apps never import this package."""
