"""The repository address is one setting (repository.yml); config and notebooks must agree with it."""
import importlib.util
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import set_repository as sr  # noqa: E402


def test_config_agrees_with_the_setting():
    url, branch = sr.read_setting()
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert (cfg["repository"]["url"] or "") == url
    assert cfg["repository"]["branch"] == branch
    assert cfg["html"]["use_repository_button"] is bool(url)
    assert cfg["html"]["use_issues_button"] is bool(url)
    for key in ("binderhub_url", "colab_url"):
        assert bool(cfg["launch_buttons"][key]) is bool(url), f"{key} without an address (or missing)"


def test_notebooks_install_cell_agrees_with_the_setting():
    url, branch = sr.read_setting()
    want = sr.install_source(url, branch)
    for nb_path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = [c for c in json.loads(nb_path.read_text())["cells"] if c["cell_type"] == "code"]
        if not any("".join(c["source"]).startswith(sr.MARK) for c in cells):
            continue  # notebooks not yet written by the script (see README: make set-repository)
        first = cells[0]
        assert first["source"] == want, f"{nb_path.name}: install cell disagrees with repository.yml"
        assert "remove-cell" in first["metadata"].get("tags", [])
        assert first["outputs"] == []


def test_install_cell_is_silent_when_the_package_imports(capsys):
    assert importlib.util.find_spec("sgmbook") is not None
    for url in ("", "https://github.com/o/n"):
        exec("".join(sr.install_source(url, "main")), {})
    assert capsys.readouterr() == ("", "")


def test_config_rewrite_with_an_address(tmp_path):
    (tmp_path / "_config.yml").write_text((ROOT / "_config.yml").read_text())
    sr.write_config("https://github.com/o/n", "main", tmp_path)
    cfg = yaml.safe_load((tmp_path / "_config.yml").read_text())
    assert cfg["repository"]["url"] == "https://github.com/o/n"
    assert cfg["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert cfg["html"]["use_issues_button"] is True
    assert cfg["sphinx"]["config"]["numfig"] is True  # the rest of the file survives
    sr.write_config("", "main", tmp_path)
    again = yaml.safe_load((tmp_path / "_config.yml").read_text())
    assert again["launch_buttons"]["binderhub_url"] == "" and again["html"]["use_repository_button"] is False
