"""Reads a PyTorch state dict (torch.save) into NumPy arrays without torch.

Both serialisations torch.save has used are handled: the legacy one (before
PyTorch 1.6: magic number, protocol version, sys_info and the pickled object,
then the list of storage keys and each storage as an int64 element count and
raw little-endian data) and the zip one (archive/data.pkl plus one
archive/data/<key> file per storage). Only what a state dict of tensors needs
is reconstructed; any other class is refused, so loading runs no code from
the file.
Usage as a script: python3 pth.py FILE.pth  (lists the tensors)
"""
import collections
import pickle
import struct
import sys
import zipfile

import numpy as np

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

# torch storage class -> NumPy dtype of its elements.
STORAGE_DTYPES = {
    "FloatStorage": "<f4", "DoubleStorage": "<f8", "HalfStorage": "<f2",
    "LongStorage": "<i8", "IntStorage": "<i4", "ShortStorage": "<i2",
    "CharStorage": "i1", "ByteStorage": "u1", "BoolStorage": "?",
}


class _StorageType:
    """Stands in for torch.FloatStorage etc. inside persistent ids."""

    def __init__(self, name):
        self.dtype = np.dtype(STORAGE_DTYPES[name])


def _rebuild_tensor_v2(storage, offset, size, stride, *unused):
    # A view, not a copy: in the legacy format the storages are filled only
    # after the whole pickle has been read.
    return np.lib.stride_tricks.as_strided(
        storage[offset:], shape=tuple(size),
        strides=tuple(s * storage.itemsize for s in stride))


def _rebuild_parameter(data, *unused):
    return data


_CLASSES = {
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("collections", "OrderedDict"): collections.OrderedDict,
}


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, storage):
        super().__init__(file)
        self._storage = storage  # (dtype, key, numel) -> 1-D array

    def find_class(self, module, name):
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(name)
        if (module, name) in _CLASSES:
            return _CLASSES[(module, name)]
        raise pickle.UnpicklingError(f"unexpected class in checkpoint: {module}.{name}")

    def persistent_load(self, pid):
        # ('storage', storage type, key, location, numel[, view metadata])
        if pid[0] != "storage":
            raise pickle.UnpicklingError(f"unexpected persistent id {pid[0]!r}")
        return self._storage(pid[1].dtype, str(pid[2]), int(pid[4]))


def _load_legacy(f):
    storages = {}

    def storage(dtype, key, numel):
        return storages.setdefault(key, np.empty(numel, dtype))

    if pickle.load(f) != LEGACY_MAGIC:
        raise ValueError("not a PyTorch checkpoint (bad magic number)")
    pickle.load(f)  # protocol version
    if not pickle.load(f).get("little_endian", True):
        raise ValueError("big-endian checkpoints are not supported")
    state = _Unpickler(f, storage).load()
    for key in pickle.load(f):
        (numel,) = struct.unpack("<q", f.read(8))
        array = storages[key]
        if numel != array.size:
            raise ValueError(f"storage {key}: {numel} elements, the pickle says {array.size}")
        data = f.read(numel * array.itemsize)
        if len(data) != numel * array.itemsize:
            raise ValueError(f"storage {key}: file truncated")
        array[:] = np.frombuffer(data, array.dtype)
    return state


def _load_zip(path):
    with zipfile.ZipFile(path) as z:
        pkl = next(n for n in z.namelist() if n.endswith("data.pkl"))
        prefix = pkl[: -len("data.pkl")]

        def storage(dtype, key, numel):
            return np.frombuffer(z.read(f"{prefix}data/{key}"), dtype, count=numel)

        with z.open(pkl) as f:
            return _Unpickler(f, storage).load()


def load(path):
    """Returns the checkpoint's state dict: name -> NumPy array (own copies)."""
    if zipfile.is_zipfile(path):
        state = _load_zip(path)
    else:
        with open(path, "rb") as f:
            state = _load_legacy(f)
    return collections.OrderedDict((k, np.array(v)) for k, v in state.items())


if __name__ == "__main__":
    for name, value in load(sys.argv[1]).items():
        print(name, value.dtype, value.shape)
