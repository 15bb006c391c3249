"""Where the store and the crash log live by default.

platformdirs knows each platform's convention (XDG on Linux, honouring $XDG_DATA_HOME and
$XDG_CACHE_HOME; ~/Library on macOS; %LOCALAPPDATA% on Windows), so we do not hand-write it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "tibet-facts"


def default_store_path() -> Path:
    """$TIBET_FACTS_STORE, else the user data folder (~/.local/share/tibet-facts/facts.json)."""
    env = os.environ.get("TIBET_FACTS_STORE")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP, appauthor=False) / "facts.json"


def cache_dir() -> Path:
    """The user cache folder (~/.cache/tibet-facts): crash logs, never data."""
    return platformdirs.user_cache_path(APP, appauthor=False)
