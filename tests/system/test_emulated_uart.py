# SPDX-License-Identifier: MIT
"""The emulated PL011 on QEMU, both GICs: a partition drives it as Linux's driver
does, its interrupt is a virtual SPI, and its bytes travel over its console
channel to the service partition's end and back (docs/emulated-uart.md)."""
import pytest

import harness

GIC_VERSIONS = [3, 2]


def _system(gic):
    suffix = "" if gic == 3 else "-gicv2"
    return harness.build(f"emulated-uart{suffix}", f"tests/system/configs/emulated-uart{suffix}.dts")


@pytest.mark.parametrize("gic", GIC_VERSIONS)
def test_emulated_pl011_registers_interrupts_and_bytes(gic):
    """partitions/pl011check checks the PL011's identification and reset values,
    writes lines byte by byte as earlycon does, takes its transmit interrupt
    (virtual SPI 100) twice, the second after ICR, and reads the input the
    service partition's end sends, announced by its receive interrupt. Every
    line it writes reaches the service partition's end whole and in order.

    Verifies: REQ-CON-101, REQ-CON-102, REQ-CON-104, REQ-IRQ-014
    """
    r = harness.run(_system(gic), timeout=90, booted=dict(partitions=["service"]))
    assert r.exited, r.text()
    lines = [l[len("uart: "):] for l in r.of("service") if l.startswith("uart: ")]
    checks = [l for l in lines if l.startswith("pl011check: ") and (l.endswith(": ok") or "FAILED" in l)]
    assert not [l for l in checks if "FAILED" in l], r.text()
    want = ["identification registers", "reset FR", "reset CR and IFLS", "reset IMSC and RIS",
            "transmit interrupt", "ICR clears TX", "transmit interrupt after ICR", "receive interrupt",
            "input read from DR", "RX status follows the data"]
    assert [l[len("pl011check: "):-len(": ok")] for l in checks] == want, r.text()
    assert "pl011check: hello through the emulated PL011" in lines, r.text()
    assert lines[-1] == "pl011check: done, 0 failed", r.text()
    assert not any(("refused" in l) or ("incident" in l) or ("fault" in l) or ("dropped" in l) for l in r.lines), \
        r.text()
