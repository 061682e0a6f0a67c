"""The README and docs/ link only to what exists, and the README fits a first screen."""

import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def markdown_files():
    docs = os.path.join(REPO, "docs")
    yield os.path.join(REPO, "README.md")
    yield os.path.join(REPO, "CHANGELOG.md")
    for name in sorted(os.listdir(docs)):
        if name.endswith(".md"):
            yield os.path.join(docs, name)


def test_every_relative_link_points_at_a_file():
    broken = []
    checked = 0
    for path in markdown_files():
        with open(path) as f:
            text = f.read()
        for target in LINK.findall(text):
            if "://" in target or target.startswith(("#", "mailto:")):
                continue
            checked += 1
            file_part = target.split("#")[0]
            if not os.path.exists(os.path.join(os.path.dirname(path), file_part)):
                broken.append(f"{os.path.relpath(path, REPO)}: {target}")
    assert checked > 10
    assert not broken, broken


def test_readme_fits_a_first_screen_and_opens_with_the_two_commands():
    with open(os.path.join(REPO, "README.md")) as f:
        text = f.read()
    assert len(text.splitlines()) <= 150
    blocks = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)
    assert blocks[:2] == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && "
        "ganzoo train dcgan --out runs/digits --overwrite",
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e \".[test]\" && "
        "python -m pytest -q",
    ]
    # the CI script runs the README's test command
    with open(os.path.join(REPO, ".ci", "run")) as f:
        assert "python -m pytest -q" in f.read()
