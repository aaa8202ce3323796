"""The package imports light: no torch or transformers until a model backend or the HF pipeline is used."""
import os
import subprocess
import sys
import tempfile

from .conftest import EXAMPLES

# torch and transformers load with a model; rouge-score (nltk, which imports scikit-learn and pandas when they are
# installed) with an evaluation; none of them when a process only summarizes with the embedded default
HEAVY = ("import sys; heavy = {'torch', 'transformers', 'nltk', 'sklearn', 'pandas'} & set(sys.modules); "
         "assert not heavy, sorted(heavy)")


def _python(code: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with an empty Hugging Face cache (a cached translation model would
    rightly load torch)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "HF_HUB_CACHE": cache, "HF_HUB_OFFLINE": "1"}
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)


def test_import_pipeline_loads_neither_torch_nor_transformers():
    run = _python(f"import pipeline; pipeline.load_config('hf-small'); {HEAVY}")
    assert run.returncode == 0, run.stderr


def test_commands_without_models_never_import_them():
    article = EXAMPLES / "01_shenzhen_green_bonds.txt"
    for argv in (["--help"], ["clean", str(article)], ["glossary", str(article)], ["summarize", str(article)]):
        code = (f"import sys; from pipeline.cli import main; sys.argv = ['bisum', *{argv!r}]\n"
                f"try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n{HEAVY}")
        run = _python(code)
        assert run.returncode == 0, (argv, run.stderr[-500:])


def test_the_hf_task_is_registered_by_importing_its_module():
    run = _python("import pipeline.hf_pipeline, transformers; p = transformers.pipeline('bilingual-summarization'); "
                  "print(p('The bank cut rates on Monday. Loans rose 5% in May. Bonds fell.')['summary_en'])")
    assert run.returncode == 0 and "The bank cut rates" in run.stdout, run.stderr[-500:]
