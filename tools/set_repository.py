"""Write the repository address (``repository.yml``) into ``_config.yml`` and every chapter notebook.

    python tools/set_repository.py [--url URL] [--branch BRANCH] [--config-only]

With ``--url`` the address is first stored in ``repository.yml``. Then ``_config.yml``'s ``repository``,
``html`` (repository/issue buttons) and ``launch_buttons`` blocks are rewritten: with an empty address no
launch, repository or issue button is rendered. Each ``book/*.ipynb`` gets (or has updated) a first code
cell tagged ``remove-cell`` that installs ``sgmbook[book]`` from the address when ``sgmbook`` is not
importable and does nothing, printing nothing, otherwise; execution counts are renumbered 1..n. Idempotent.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SETTING = ROOT / "repository.yml"
MARK = "# sgmbook install cell (written by tools/set_repository.py)"


def read_setting(root: Path = ROOT) -> tuple[str, str]:
    data = yaml.safe_load((root / "repository.yml").read_text()) or {}
    url = (data.get("url") or "").strip().rstrip("/")
    if url and not re.fullmatch(r"https://[\w.-]+/[\w.-]+/[\w.-]+", url):
        raise ValueError(f"url must look like https://github.com/OWNER/NAME, got {url!r}")
    return url, (data.get("branch") or "main").strip()


def config_blocks(url: str, branch: str) -> str:
    on = "true" if url else "false"
    text = "repository:\n  # written by tools/set_repository.py from repository.yml\n"
    text += f'  url: "{url}"\n  branch: {branch}\n\n'
    text += f"html:\n  use_repository_button: {on}\n  use_issues_button: {on}\n\n"
    text += "launch_buttons:\n  notebook_interface: classic\n"
    if url:
        text += "  binderhub_url: https://mybinder.org\n  colab_url: https://colab.research.google.com\n"
    else:
        text += '  binderhub_url: ""\n  colab_url: ""\n'
    return text


def write_config(url: str, branch: str, root: Path = ROOT) -> None:
    path = root / "_config.yml"
    text = path.read_text()
    for key in ("repository", "html", "launch_buttons"):
        text = re.sub(rf"^{key}:\n(?:[ #].*\n|\n(?=[ #]))*\n*", "", text, flags=re.M)
    text = re.sub(r"^(sphinx:)", config_blocks(url, branch) + r"\n\1", text, count=1, flags=re.M)
    path.write_text(text)


def install_source(url: str, branch: str) -> list[str]:
    lines = [MARK, "import importlib.util", ""]
    if url:
        lines += ['if importlib.util.find_spec("sgmbook") is None:  # e.g. Colab: install the book\'s package',
                  "    import subprocess, sys",
                  "    subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"--quiet\",",
                  f'                    "sgmbook[book] @ git+{url}@{branch}"], check=True)']
    else:
        lines += ['if importlib.util.find_spec("sgmbook") is None:  # no repository address is set',
                  "    raise ModuleNotFoundError(\"sgmbook is not installed: pip install -e '.[book]'\")"]
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def write_notebook(path: Path, url: str, branch: str) -> None:
    nb = json.loads(path.read_text())
    cell = {"cell_type": "code", "execution_count": None, "id": "sgmbook-install",
            "metadata": {"tags": ["remove-cell"]}, "outputs": [], "source": install_source(url, branch)}
    cells = nb["cells"]
    old = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "".join(c["source"]).startswith(MARK)]
    if old:
        cells[old[0]]["source"] = cell["source"]
    else:
        first_code = next(i for i, c in enumerate(cells) if c["cell_type"] == "code")
        cells.insert(first_code, cell)
    n = 0
    for c in cells:
        if c["cell_type"] == "code":
            n += 1
            c["execution_count"] = n
            for o in c.get("outputs", []):
                if "execution_count" in o:
                    o["execution_count"] = n
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url")
    ap.add_argument("--branch")
    ap.add_argument("--config-only", action="store_true")
    args = ap.parse_args()
    if args.url is not None or args.branch is not None:
        url0, branch0 = read_setting()
        url = args.url if args.url is not None else url0
        branch = args.branch or branch0
        head = "".join(l for l in SETTING.read_text().splitlines(True) if l.startswith("#"))
        SETTING.write_text(head + f'url: "{url}"\nbranch: {branch}\n')
    url, branch = read_setting()
    write_config(url, branch)
    if not args.config_only:
        for nb in sorted((ROOT / "book").glob("*.ipynb")):
            write_notebook(nb, url, branch)
    print(f"repository address: {url or '(none)'} branch {branch}")


if __name__ == "__main__":
    main()
