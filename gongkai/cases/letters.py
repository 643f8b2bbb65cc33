"""The letters an application page offers, from whichever app provides them.

Letters (gongkai.disclosure) are built on cases, so cases never imports them: the letters app
registers its provider here at start-up (`DisclosureConfig.ready`), and the application page asks
`letters_for`. Without a provider, or without the provider's routes in the site, it offers none.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import NoReverseMatch

from gongkai.cases.models import Application

Letter = tuple[str, str, str]  # (kind, label, url of the view that generates it)
LetterProvider = Callable[[Application], list[Letter]]

_provider: LetterProvider | None = None


def set_letter_provider(provider: LetterProvider | None) -> LetterProvider | None:
    """Install the provider of the letters (None: no letters); return the one it replaces."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def letters_for(application: Application) -> list[Letter]:
    """The letters that can be generated for the application now."""
    if _provider is None:
        return []
    try:
        return _provider(application)
    except NoReverseMatch:
        return []  # a site without the letters' routes
