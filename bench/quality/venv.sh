#!/usr/bin/env bash
# Creates (idempotently) the Python venv used by the quality benchmark.
# Usage: bench/quality/venv.sh [DIR]   (default work/quality-venv; PYTHON=python3)
# Silent when the venv is already complete; installs Debian python3-venv if
# `python3 -m venv` is unavailable (needs root).
set -euo pipefail
dir=${1:-work/quality-venv}
python=${PYTHON:-python3}
packages=(numpy h5py scikit-learn Pillow scipy)
stamp="$dir/.quality-packages"

if [ -x "$dir/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${packages[*]}" ] \
   && "$dir/bin/python" -c 'import numpy, h5py, sklearn, PIL, scipy' 2>/dev/null; then
  exit 0
fi

if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "installing python3-venv (apt-get) ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >&2; }
fi

[ -x "$dir/bin/python" ] || "$python" -m venv "$dir"
"$dir/bin/python" -m pip install -q --disable-pip-version-check "${packages[@]}"
"$dir/bin/python" -c 'import numpy, h5py, sklearn, PIL, scipy'
echo "${packages[*]}" > "$stamp"
echo "venv ready: $dir" >&2
