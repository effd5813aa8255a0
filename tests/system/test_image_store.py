# SPDX-License-Identifier: MIT
"""Partition images are files beside the hypervisor, not part of it: bhcc places them in the image
store and lists them in gen/load.list, QEMU loads each one with a generic loader device, and the
FIT carries each one as a hashed loadable sub-image at its load address."""
import hashlib
import os
import subprocess

import pytest

import harness
import qemu

DTS = "configs/qemu-aarch64-virt-demos.dts"


@pytest.fixture(scope="module")
def system():
    return harness.build("demos", DTS)


def load_list(system):
    return qemu.read_load_list(os.path.join(system.out, "gen", "load.list"))


def test_images_are_files_in_the_store(system):
    """Every partition image and guest device tree is a file of the load list, in its own slot of
    the image store, which lies outside the hypervisor's region; none of them is in the hypervisor
    image.

    Verifies: REQ-CFG-060
    """
    v = system.vars
    store, store_size = int(v["BH_STORE_BASE"], 0), int(v["BH_STORE_SIZE"], 0)
    hyp, hyp_size = int(v["BH_HYP_BASE"], 0), int(v["BH_HYP_SIZE"], 0)
    assert store_size and (store + store_size <= hyp or hyp + hyp_size <= store)
    entries = load_list(system)
    assert sorted(p for k, p, *_ in entries if k == "image") == sorted(v["BH_PARTITIONS"].split())
    with open(system.image, "rb") as f:
        hypervisor = f.read()
    slots = []
    for kind, part, addr, size, file in entries:
        assert os.path.getsize(file) == size, (kind, part)
        if kind == "placed":
            continue   # in the partition's RAM (test_placed_image_is_the_image_and_its_tag)
        assert store <= addr and addr + size <= store + store_size, (kind, part, hex(addr))
        slots.append((addr, size))
        with open(file, "rb") as f:
            data = f.read()
        # A partition program's code (past its first 256 bytes) is not inside the hypervisor image.
        assert data[256:1280] not in hypervisor, f"{kind} of {part} is embedded in the hypervisor image"
    slots.sort()
    for (a, n), (b, _) in zip(slots, slots[1:]):
        assert a + n <= b, "two slots overlap"


def test_qemu_loads_the_load_list(system, tmp_path):
    """QEMU loads every file of the load list at its address, and the hypervisor starts partitions
    from those copies: with one partition's image left out of the list, that partition does not run
    while the others do.

    Verifies: REQ-BLD-020, REQ-CFG-061
    """
    entries = load_list(system)
    args = system.qemu_command()
    for _kind, _part, addr, _size, file in entries:
        assert f"loader,file={file},addr={addr:#x},force-raw=on" in args
    assert "-kernel" not in args
    cut = tmp_path / "load.list"
    cut.write_text("".join(f"{k} {p} {a:#x} {n:#x} {f}\n" for k, p, a, n, f in entries
                           if not (k in ("image", "placed") and p == "demo-c")))
    run = harness.run(system, timeout=60, booted=dict(partitions=["demo-a", "demo-b"]),
                      load_list=str(cut))
    assert not run.of("demo-c"), run.text()
    assert run.of("demo-a")[0].startswith("hello: partition 0")


def write_list(path, entries):
    path.write_text("".join(f"{k} {p} {a:#x} {n:#x} {f}\n" for k, p, a, n, f in entries))
    return str(path)


def test_placed_image_is_the_image_and_its_tag(system):
    """Each partition image is also placed where it runs: a file of the load list in the
    partition's RAM, outside the store and the hypervisor, holding the image, zeros to the next
    8-byte boundary and a non-zero tag that the hypervisor's tables hold for that partition.

    Verifies: REQ-MEM-013
    """
    v = system.vars
    store, store_size = int(v["BH_STORE_BASE"], 0), int(v["BH_STORE_SIZE"], 0)
    hyp, hyp_size = int(v["BH_HYP_BASE"], 0), int(v["BH_HYP_SIZE"], 0)
    entries = load_list(system)
    images = {p: f for k, p, _a, _n, f in entries if k == "image"}
    placed = [(p, a, n, f) for k, p, a, n, f in entries if k == "placed"]
    assert sorted(p for p, *_ in placed) == sorted(images)
    with open(os.path.join(system.out, "gen", "config.c")) as f:
        tables = f.read()
    for part, addr, size, file in placed:
        assert addr + size <= store or store + store_size <= addr, part
        assert addr + size <= hyp or hyp + hyp_size <= addr, part
        with open(images[part], "rb") as f:
            image = f.read()
        with open(file, "rb") as f:
            data = f.read()
        tag_at = ((addr + len(image) + 7) & ~7) - addr
        assert len(data) == tag_at + 8 and data[:len(image)] == image
        assert data[len(image):tag_at] == bytes(tag_at - len(image))
        tag = int.from_bytes(data[tag_at:], "little")
        assert tag != 0 and f".placed_tag = {tag:#x} }}" in tables, part


def test_first_start_runs_the_placed_image(system, tmp_path):
    """At its first start a partition runs the image the boot flow placed in its RAM, not a copy
    of the store's: with demo-c's store slot filled with zeros it still starts. Only with its tag:
    the same placed file with a wrong tag is not trusted, demo-c then starts from the store's
    zeros and prints nothing, while the others run.

    Verifies: REQ-MEM-013, REQ-MEM-008~2
    """
    entries = load_list(system)
    zeros = tmp_path / "zeros.bin"
    badtag = tmp_path / "demo-c.placed"
    out = []
    for k, p, a, n, f in entries:
        if k == "image" and p == "demo-c":
            zeros.write_bytes(bytes(n))
            f = str(zeros)
        out.append((k, p, a, n, f))
    run = harness.run(system, timeout=60, load_list=write_list(tmp_path / "placed.list", out))
    assert run.of("demo-c"), run.text()
    with open(next(f for k, p, *_, f in entries if k == "placed" and p == "demo-c"), "rb") as f:
        data = bytearray(f.read())
    data[-1] ^= 0x5a
    badtag.write_bytes(bytes(data))
    out = [(k, p, a, n, str(badtag) if (k == "placed" and p == "demo-c") else f) for k, p, a, n, f in out]
    run = harness.run(system, timeout=60, booted=dict(partitions=["demo-a", "demo-b"]),
                      load_list=write_list(tmp_path / "badtag.list", out))
    assert not run.of("demo-c"), run.text()


def test_without_placed_images_every_partition_starts(system, tmp_path):
    """A boot flow that loads only the image store (no placed images) still starts every
    partition: the first start finds no tag and copies the image from the store.

    Verifies: REQ-MEM-013, REQ-MEM-008~2
    """
    entries = [e for e in load_list(system) if e[0] != "placed"]
    run = harness.run(system, timeout=60, load_list=write_list(tmp_path / "store-only.list", entries))
    assert run.of("demo-a")[0].startswith("hello: partition 0")


def fdtget(_itb, *args):
    return subprocess.run(["fdtget", *args], capture_output=True, text=True, check=True).stdout.strip()


def test_fit_carries_each_file_hashed(system):
    """bulkhead.itb holds the hypervisor as its kernel and every file of the load list as a
    loadable of its default configuration, at its load address, with the sha256 of the file.

    Verifies: REQ-BLD-021
    """
    itb = os.path.join(system.out, "bulkhead.itb")
    conf = "/configurations/" + fdtget(itb, "-t", "s", itb, "/configurations", "default")
    assert fdtget(itb, "-t", "s", itb, conf, "kernel") == "hypervisor"
    loadables = fdtget(itb, "-t", "s", itb, conf, "loadables").split()
    entries = load_list(system)
    assert sorted(loadables) == sorted(f"{k}-{p}" for k, p, *_ in entries)
    for kind, part, addr, _size, file in entries:
        node = f"/images/{kind}-{part}"
        hi, lo = (int(x) for x in fdtget(itb, "-t", "u", itb, node, "load").split())
        assert (hi << 32 | lo) == addr, node
        assert fdtget(itb, "-t", "s", itb, f"{node}/hash-1", "algo") == "sha256"
        value = bytes(int(x, 16) for x in fdtget(itb, "-t", "bx", itb, f"{node}/hash-1", "value").split())
        with open(file, "rb") as f:
            assert value == hashlib.sha256(f.read()).digest(), node
