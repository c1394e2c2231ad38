"""Build the site with a repository address set (in a temporary copy) and check every launch link.

The no-address case is the normal build: `make check-site` builds it; the last test checks it shows none.
Takes about a minute (one full HTML build).
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = "https://github.com/example-owner/sgmbook"
LINK = re.compile(r'href="(https://(?:colab\.research\.google\.com|mybinder\.org)[^"]*)"')


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tree = tmp_path_factory.mktemp("addr")
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for f in files.split():
        (tree / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, tree / f)
    subprocess.run([sys.executable, "tools/set_repository.py", "--url", URL, "--config-only"], cwd=tree,
                   check=True, capture_output=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jb), "build", "-W", "-n", "--keep-going", "."], cwd=tree, check=True,
                   capture_output=True)
    return tree / "_build" / "html"


def test_every_chapter_has_working_launch_links(built):
    chapters = sorted((ROOT / "book").glob("*.ipynb"))
    for nb in chapters:
        html = (built / "book" / f"{nb.stem}.html").read_text()
        links = set(LINK.findall(html))
        path = f"book/{nb.name}"
        assert f"https://colab.research.google.com/github/example-owner/sgmbook/blob/main/{path}" in links
        assert f"https://mybinder.org/v2/gh/example-owner/sgmbook/main?urlpath=tree/{path}" in links
        assert f'href="{URL}"' in html and f"{URL}/issues/new" in html


def test_no_launch_button_without_an_address():
    html_dir = ROOT / "_build" / "html"
    if not html_dir.exists():
        pytest.skip("no built book: run `make book`")
    for page in (html_dir / "book").glob("0*.html"):
        html = page.read_text()
        assert not LINK.search(html), f"{page.name} has a launch link without an address"
        assert "issues/new" not in html
