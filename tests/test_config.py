import pytest
import yaml

from pipeline.config import CONFIG_DIR, Config, load_config
from pipeline.errors import ConfigError


def _keys(data, prefix=""):
    if not isinstance(data, dict):
        return set()
    return {f"{prefix}{k}" for k in data} | {k2 for k, v in data.items() for k2 in _keys(v, f"{prefix}{k}.")}


def test_default_yaml_is_the_embedded_default():
    data = yaml.safe_load((CONFIG_DIR / "default.yaml").read_text(encoding="utf-8"))
    assert Config.model_validate(data).model_dump(exclude={"source"}) == Config().model_dump(exclude={"source"})
    assert _keys(data) == _keys(Config().model_dump(exclude={"source"}))  # it lists every key


@pytest.mark.parametrize("name", sorted(p.name for p in CONFIG_DIR.glob("*.yaml")))
def test_every_shipped_config_loads(name):
    assert load_config(CONFIG_DIR / name).source.endswith(name)


def test_bare_name_resolves_in_configs_dir():
    assert load_config("hf-small").translate.en_zh.download is True


def test_unknown_key_is_named(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("summarize:\n  max_sentences: 2\n  sentnces: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown config key 'summarize.sentnces'"):
        load_config(path)


def test_bad_value_is_named(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("summarize:\n  max_sentences: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="summarize.max_sentences"):
        load_config(path)


def test_missing_file():
    with pytest.raises(ConfigError, match="config file not found: nowhere.yaml"):
        load_config("nowhere.yaml")


def test_a_home_folder_in_any_path_setting_is_expanded(tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.setenv("HOME", str(tmp_path))
    config = load_config(overrides={"translate": {"en_zh": {"model": "~/models/opus", "cache_dir": "~/ct2"}},
                                    "glossary": {"user_terms": "~/terms.yaml"}})
    home = Path(tmp_path)
    assert config.translate.en_zh.model == str(home / "models" / "opus")
    assert config.translate.en_zh.cache_dir == str(home / "ct2") and config.glossary.user_terms == str(home / "terms.yaml")
    assert load_config(overrides={"translate": {"en_zh": {"model": "Helsinki-NLP/opus-mt-en-zh"}}}).translate.en_zh.model \
        == "Helsinki-NLP/opus-mt-en-zh"  # a hub id is left alone
