"""Routes that take a data file accept a bigger request than the site's default.

`MAX_CONTENT_LENGTH` keeps ordinary forms small; a prediction or ground-truth CSV may
be up to its own limit (checked, with a clear message, by the competition services), so
these routes raise the request limit to `UPLOAD_MAX_CONTENT_LENGTH` before the form is
read. Past that, the 413 page says how large a file may be.
"""

from functools import wraps

from flask import current_app, request


def accepts_data_file(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        request.max_content_length = current_app.config["UPLOAD_MAX_CONTENT_LENGTH"]
        return view(*args, **kwargs)

    return wrapped
