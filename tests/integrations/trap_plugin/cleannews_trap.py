"""A cleaner plugin for the integration tests, registered through its own dist-info (this folder goes
on the engines' PYTHONPATH): a block with CLEANNEWS-TRAP-MARK is removed (kind ``trapped``), one with
CLEANNEWS-TRAP-HANG hangs its process, one with CLEANNEWS-TRAP-KILL kills it (SIGKILL); a document
with CLEANNEWS-TRAP-COUNT gets a warning saying how many Trap cleaners its process has made."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

BUILT = 0  # Trap cleaners made in this process (a forked child inherits its parent's count)


class Trap:
    name = "trap"

    def __init__(self) -> None:
        global BUILT
        BUILT += 1

    def __call__(self, doc: Any) -> None:
        if any("CLEANNEWS-TRAP-COUNT" in block.text for block in doc.blocks):
            doc.warn(f"trap cleaners built in this process: {BUILT}")
        for block in list(doc.free()):
            if "CLEANNEWS-TRAP-HANG" in block.text:
                time.sleep(3600)
            if "CLEANNEWS-TRAP-KILL" in block.text:
                os.kill(os.getpid(), signal.SIGKILL)
            if "CLEANNEWS-TRAP-MARK" in block.text:
                doc.label(block.index, "trapped", cleaner=self.name, reason="the test marker")
