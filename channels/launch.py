"""Start Rasa with the project's start-up hook: ``python -m channels.launch run ...``.

Takes exactly the arguments of the ``rasa`` command. Before Rasa starts, the hook installs
the speed-ups of :mod:`channels.speedups` (guarded by the Rasa version, one log line either
way), so they no longer depend on which channel credentials.yml happens to import.
"""

from __future__ import annotations

import logging
import sys

from channels import speedups


def main() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s - %(message)s"))
    speedups.logger.addHandler(handler)
    speedups.logger.propagate = False
    speedups.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
