"""Screens that compose several apps, above them: the 工作台 (the applications' lists of
`gongkai.cases` and the annual reports due of `gongkai.reports`). The apps never import this
package."""
