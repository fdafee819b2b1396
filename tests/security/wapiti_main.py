"""wapiti, started with the interpreter its package was installed for, with two repairs.

1. Debian 12's wapiti (3.0.4) builds its `--exclude` patterns as `<pattern>\\Z(?ms)`, which
   Python 3.11 refuses ("global flags not at the start"): any exclusion kills the crawl.
   Without exclusions the scan would post the logout form and carry on logged out. When the
   installed wapiti has the fault, its function is replaced by the same translation with the
   flags first; a wapiti without it runs untouched.
2. `--max-attack-time` is checked only between two resources, so one slow form can hold a
   module for minutes, and a scan stopped from outside writes no report at all. A hard limit
   per module (HARD_LIMIT_ENV seconds) interrupts the module the way Ctrl-C does, answers
   wapiti's question with "n" (next module), and says so in the log ("Hard time limit
   reached for module …"), which the scan reads as a module cut short.

Run as `python3 -I -u wapiti_main.py <wapiti's arguments>`.
"""

import builtins
import os
import re
import signal
import sys
from typing import Any

from wapitiCore.language import logger  # type: ignore[import-not-found]
from wapitiCore.main import wapiti  # type: ignore[import-not-found]
from wapitiCore.net import crawler  # type: ignore[import-not-found]

HARD_LIMIT_ENV = "WAPITI_MODULE_HARD_SECONDS"
LAUNCH = "[*] Launching module "


def wildcard_translate(pattern: str) -> "re.Pattern[str]":
    body = "".join(".*" if char == "*" else re.escape(char) for char in pattern)
    return re.compile(r"(?ms)" + body + r"\Z")


def _repair_exclusions() -> None:
    translate = getattr(crawler, "wildcard_translate", None)
    if translate is None:
        return
    try:
        translate("http://example/*")
    except re.error:
        crawler.wildcard_translate = wildcard_translate


def _hard_module_limit(seconds: int) -> None:
    """An alarm armed as each module is launched, disarmed when the attacks end; when it fires
    the module is interrupted and wapiti moves to the next one."""
    current = {"module": ""}

    def interrupt(signum: int, frame: Any) -> None:
        # Only inside a module's attack (its generator is on the stack): raised anywhere else,
        # between two modules or while the report is written, it would end wapiti itself.
        while frame is not None:
            if f"{os.sep}wapitiCore{os.sep}attack{os.sep}" in frame.f_code.co_filename:
                print(f"Hard time limit reached for module {current['module']}, stopping.")
                raise KeyboardInterrupt
            frame = frame.f_back

    def answer(prompt: object = "") -> str:
        return "n"  # wapiti's question after an interrupt: go on with the next module

    log_green = logger.ConsoleLogger.log_green

    def log_green_arming(self: Any, fmt_string: str, *args: Any) -> None:
        if fmt_string.startswith(LAUNCH) or (args and LAUNCH in fmt_string.format(*args)):
            current["module"] = str(args[0]) if args else fmt_string[len(LAUNCH) :]
            signal.alarm(seconds)
        log_green(self, fmt_string, *args)

    attack = wapiti.Wapiti.attack

    def attack_then_disarm(self: Any) -> Any:
        try:
            return attack(self)
        finally:
            signal.alarm(0)

    signal.signal(signal.SIGALRM, interrupt)
    builtins.input = answer
    logger.ConsoleLogger.log_green = log_green_arming
    wapiti.Wapiti.attack = attack_then_disarm


if __name__ == "__main__":
    _repair_exclusions()
    if os.environ.get(HARD_LIMIT_ENV):
        _hard_module_limit(int(os.environ[HARD_LIMIT_ENV]))
    sys.exit(wapiti.wapiti_main())
