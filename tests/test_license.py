"""The open_source_license answer: the chosen text becomes LICENSE, naming the author and the year."""

import datetime

import pytest

from .helpers import tidiness_problems

AUTHOR = "Zoë O'Brien"

# What identifies each license's text, past its copyright line.
LICENSE_MARKERS = {
    "MIT": ["MIT License", "Permission is hereby granted, free of charge"],
    "BSD-3-Clause": ["BSD 3-Clause License", "3. Neither the name of the copyright holder"],
    "Apache-2.0": ["Apache License", "Version 2.0, January 2004", "3. Grant of Patent License."],
    "GPL-3.0-or-later": ["GNU GENERAL PUBLIC LICENSE", "Version 3, 29 June 2007", "or (at your option) any later"],
}
COPYRIGHT_LINES = {
    "MIT": "Copyright (c) {year} {author}",
    "BSD-3-Clause": "Copyright (c) {year}, {author}",
    "Apache-2.0": "Copyright {year} {author}",
    "GPL-3.0-or-later": "Copyright (C) {year} {author}",
}


@pytest.mark.parametrize("choice", list(LICENSE_MARKERS))
def test_each_open_source_license_bakes_its_text_with_the_author_and_year(cookies, choice):
    result = cookies.bake(extra_context={"open_source_license": choice, "author_name": AUTHOR})

    assert result.exit_code == 0, result.exception
    year = datetime.datetime.now(datetime.UTC).year
    assert result.context["__year"] == str(year)
    text = (result.project_path / "LICENSE").read_text()
    assert COPYRIGHT_LINES[choice].format(year=year, author=AUTHOR) in text.splitlines()
    for marker in LICENSE_MARKERS[choice]:
        assert marker in text
    other_markers = [marker for name, markers in LICENSE_MARKERS.items() if name != choice for marker in markers]
    assert not [marker for marker in other_markers if marker in text]
    assert tidiness_problems("LICENSE", text) == []
    assert not (result.project_path / "licenses").exists()


def test_a_project_that_is_not_open_source_has_no_license(cookies):
    result = cookies.bake(extra_context={"open_source_license": "Not open source"})

    assert result.exit_code == 0, result.exception
    assert not (result.project_path / "LICENSE").exists()
    assert not (result.project_path / "licenses").exists()
    assert (result.project_path / "manage.py").exists()
