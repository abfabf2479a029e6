"""Following the news: RSS/Atom feeds and article links fetched into the sources folder.

``state`` keeps the feed list and what was fetched, ``http`` makes every request (politely, and
only where a feed may send it), ``extract`` turns feeds and pages into articles, ``fetch`` runs
one fetch and ``schedule`` runs fetches in the background for ``serve --fetch-every``.
"""

from assistant.feeds.fetch import Fetcher, FetchReport, Outcome
from assistant.feeds.http import FetchError
from assistant.feeds.state import Feed, FeedList, RunSummary

__all__ = ["Feed", "FeedList", "FetchError", "FetchReport", "Fetcher", "Outcome", "RunSummary"]
