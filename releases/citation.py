"""How to cite a release: a sentence, a BibTeX entry and CITATION.cff's fields, all naming the release.

The dataset's credit line is the one of docs/data-model.md ("Licence of the data"): its authors are the
ConflictDB contributors, its licence CC BY 4.0.
"""

import re

AUTHORS = "ConflictDB contributors"
TITLE = "ConflictDB dataset"
LICENCE = "CC-BY-4.0"
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def bibtex_text(text: str) -> str:
    """`text` safe inside a BibTeX field: its special characters escaped."""
    return re.sub(r"([\\{}&%$#_^~])", r"\\\1", text)


def citation(release, url: str) -> dict:
    """The citations of `release`, whose page is at `url`."""
    day = release.created_at.date().isoformat()
    year = release.created_at.year
    key = "conflictdb-" + re.sub(r"[^A-Za-z0-9]+", "-", release.name)
    return {
        "text": f"{AUTHORS} ({year}). {TITLE}, release {release.name} ({day}). "
        f"Licensed under {LICENCE_NAME}. {url}",
        "bibtex": (
            f"@misc{{{key},\n"
            f"  author = {{{{{AUTHORS}}}}},\n"
            f"  title = {{{{{TITLE}}}, release {bibtex_text(release.name)}}},\n"
            f"  year = {{{year}}},\n"
            f"  date = {{{day}}},\n"
            f"  version = {{{bibtex_text(release.name)}}},\n"
            f"  url = {{{url}}},\n"
            f"  note = {{Licensed under {LICENCE_NAME}}}\n"
            "}"
        ),
        "cff": {
            "cff-version": "1.2.0",
            "message": "If you use this dataset, cite this release.",
            "type": "dataset",
            "title": TITLE,
            "version": release.name,
            "date-released": day,
            "authors": [{"name": AUTHORS}],
            "license": LICENCE,
            "url": url,
        },
    }
