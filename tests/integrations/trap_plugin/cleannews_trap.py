"""A cleaner plugin for the integration tests, registered through its own dist-info (this folder goes
on the engines' PYTHONPATH): a block with CLEANNEWS-TRAP-MARK is removed (kind ``trapped``), one with
CLEANNEWS-TRAP-HANG hangs its process, one with CLEANNEWS-TRAP-KILL kills it (SIGKILL)."""

from __future__ import annotations

import os
import signal
import time
from typing import Any


class Trap:
    name = "trap"

    def __call__(self, doc: Any) -> None:
        for block in list(doc.free()):
            if "CLEANNEWS-TRAP-HANG" in block.text:
                time.sleep(3600)
            if "CLEANNEWS-TRAP-KILL" in block.text:
                os.kill(os.getpid(), signal.SIGKILL)
            if "CLEANNEWS-TRAP-MARK" in block.text:
                doc.label(block.index, "trapped", cleaner=self.name, reason="the test marker")
