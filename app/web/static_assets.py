"""Static files that browsers keep: every link carries the file's content hash.

Templates link them with `asset_url(filename)`, which adds `?v=<hash of the file>`, so a
changed file gets a new address. (A template global rather than a `url_defaults` hook:
a hook would run on every `url_for` of every page, hundreds on a long thread.) A request whose `v` matches the file as it is now is answered with a year's
`Cache-Control: public, max-age=..., immutable`: the browser stops asking again on every
page. Without `v`, or with a stale one (a page cached from before a deploy), the file is
served as before, with no max-age, so the browser revalidates it.
"""

import functools
import hashlib
import os
from pathlib import Path

from flask import Flask, Response, request, url_for

ONE_YEAR = 365 * 24 * 3600
VERSION_LENGTH = 12

_versions: dict[Path, tuple[float, str]] = {}


def file_version(path: Path) -> str | None:
    """A short hash of the file's bytes, recomputed only when its mtime changes."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    cached = _versions.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:VERSION_LENGTH]
    _versions[path] = (mtime, version)
    return version


def install_static_versions(app: Flask) -> None:
    folder = Path(app.static_folder).resolve()

    @functools.lru_cache(maxsize=256)
    def _path(filename: str) -> Path | None:
        """The file inside the static folder, or None for a name that leaves it."""
        path = (folder / filename).resolve()
        return path if path.is_relative_to(folder) else None

    def asset_url(filename: str) -> str:
        path = _path(filename)
        version = file_version(path) if path else None
        return url_for("static", filename=filename, **({"v": version} if version else {}))

    app.add_template_global(asset_url)

    @app.after_request
    def _cache_forever(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        requested = request.args.get("v")
        path = _path(request.view_args.get("filename", "")) if request.view_args else None
        if requested and path and requested == file_version(path):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
