"""Start Rasa with the project's start-up hook: ``python -m channels.launch run ...``.

Takes exactly the arguments of the ``rasa`` command. Before Rasa starts, the hook installs
the speed-ups of :mod:`channels.speedups` (guarded by the Rasa version, one log line either
way), so they no longer depend on which channel credentials.yml happens to import.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

from channels import speedups


def quiet_terminal() -> None:
    """``rasa shell`` is the trainee's screen: no Python warnings or start-up logs over the
    Indonesian instructions (they stay in the logs of ``make run``)."""
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore")
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.ERROR)


def main() -> None:
    terminal = len(sys.argv) > 1 and sys.argv[1] == "shell"
    if terminal:
        quiet_terminal()
        speedups.logger.setLevel(logging.ERROR)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s - %(message)s"))
    speedups.logger.addHandler(handler)
    speedups.logger.propagate = False
    speedups.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
