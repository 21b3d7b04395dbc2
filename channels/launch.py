"""Start Rasa with the project's start-up hook: ``python -m channels.launch run ...``.

Takes exactly the arguments of the ``rasa`` command. Before Rasa starts, the hook

* installs the speed-ups of :mod:`channels.speedups` (guarded by the Rasa version, one log line
  either way), so they no longer depend on which channel credentials.yml happens to import;
* caps the size of a request body Rasa's HTTP server accepts (:data:`REQUEST_MAX_SIZE`; Sanic's
  own default is 100 MB): a larger request gets 413 before its body is read;
* gives Rasa its secrets without putting them on a command line (:func:`rasa_arguments`): for
  ``run --enable-api`` the API token comes from ``RASA_TOKEN`` (or the file named by
  ``RASA_TOKEN_FILE``, readable by its owner only), the JWT secrets likewise
  (:data:`SECRET_OPTIONS`), and are added to Rasa's arguments inside this process.
  ``/proc/<pid>/cmdline`` (what ``ps`` shows every local user) keeps the arguments the process
  was started with, so nothing added to ``sys.argv`` here shows there.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
import warnings
from collections.abc import Mapping, Sequence

from channels import speedups

logger = logging.getLogger(__name__)

# The largest request body (bytes) Rasa's HTTP server reads; a larger one gets 413 and the
# connection is closed. Everything the REST channel accepts fits: 100,000 characters of message
# (channels/rest.py MAX_MESSAGE) are at most 1.2 MB as JSON (a character outside the BMP is 12
# bytes as "\\ud83d\\ude00", json.dumps' default escaping), plus 8 KB of metadata and a sender
# id. nginx in front of the Rasa replicas (scripts/prod_nginx_conf.sh) has the same limit.
REQUEST_MAX_SIZE = 2 * 1024 * 1024
# Sanic's Config reads SANIC_* environment variables whenever an app is created
# (sanic/config.py, Config.load_environment_vars), so this reaches the app Rasa creates in
# rasa.server.create_app / rasa.core.run._create_app_without_api. Set it to change the limit.
REQUEST_MAX_SIZE_VARIABLE = "SANIC_REQUEST_MAX_SIZE"

# Rasa options that carry a secret, with the environment variable the launcher takes it from
# (the variable + "_FILE": a file holding it, readable by its owner only). They are only used by
# Rasa's HTTP API, so they are added to ``run --enable-api`` only.
SECRET_OPTIONS: dict[str, str] = {
    "--auth-token": "RASA_TOKEN",
    "--jwt-secret": "RASA_JWT_SECRET",
    "--jwt-private-key": "RASA_JWT_PRIVATE_KEY",
}
SHORT_OPTIONS = {"-t": "--auth-token"}  # Rasa's short spelling


class SecretError(Exception):
    """A secret the launcher was told to read but cannot use."""


def quiet_terminal() -> None:
    """``rasa shell`` is the trainee's screen: no Python warnings or start-up logs over the
    Indonesian instructions (they stay in the logs of ``make run``)."""
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore")
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.ERROR)


def read_secret_file(path: str) -> str:
    """The secret in ``path`` (one trailing newline dropped); the file must be a regular file
    that only its owner may read or write (mode 600 or 400)."""
    try:
        info = os.stat(path)
    except OSError as err:
        raise SecretError(f"cannot read {path}: {err.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SecretError(f"{path} is not a regular file")
    if info.st_mode & 0o077:
        raise SecretError(f"{path} may be read by other users (mode "
                          f"{stat.S_IMODE(info.st_mode):o}): chmod 600 {path}")
    with open(path, encoding="utf-8") as handle:
        value = handle.read()
    value = value[:-1] if value.endswith("\n") else value
    value = value[:-1] if value.endswith("\r") else value
    if not value:
        raise SecretError(f"{path} is empty")
    return value


def secret_from(environ: Mapping[str, str], variable: str) -> str | None:
    """The secret in ``variable``, else in the file named by ``variable_FILE``, else None."""
    value = environ.get(variable)
    if value:
        return value
    path = environ.get(f"{variable}_FILE")
    return read_secret_file(path) if path else None


def given_options(argv: Sequence[str]) -> set[str]:
    """The secret options present in ``argv`` (``--opt value``, ``--opt=value``, ``-t``)."""
    found = set()
    for arg in argv:
        name = arg.split("=", 1)[0]
        for short, option in SHORT_OPTIONS.items():
            if name.startswith(short) and not name.startswith("--"):  # -t TOKEN, -tTOKEN
                name = option
        if name in SECRET_OPTIONS:
            found.add(name)
    return found


def rasa_arguments(argv: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """Rasa's arguments (``argv`` without the program name) with the secrets of
    :data:`SECRET_OPTIONS` taken from ``environ`` for ``run --enable-api``.

    An option given on the command line is left as it is (and wins); a secret that is not set
    adds nothing. Anything but ``run --enable-api`` is returned unchanged.
    """
    args = list(argv)
    if not args or args[0] != "run" or (len(args) > 1 and args[1] == "actions"):
        return args
    if "--enable-api" not in args:
        return args
    given = given_options(args)
    for option in sorted(given):
        logger.warning("%s on the command line is visible to every local user (ps); set %s "
                       "instead", option, SECRET_OPTIONS[option])
    for option, variable in SECRET_OPTIONS.items():
        if option in given:
            continue
        value = secret_from(environ, variable)
        if value:
            args += [option, value]
    if not {"--auth-token", "--jwt-secret"} & given_options(args):
        logger.warning("Rasa's HTTP API is enabled without a token (set RASA_TOKEN)")
    return args


def main() -> None:
    # endpoints.yml reads the action server's port from ${ACTION_PORT} (one setting per port);
    # Rasa would keep the text as it is if the variable were missing
    os.environ.setdefault("ACTION_PORT", "5055")
    terminal = len(sys.argv) > 1 and sys.argv[1] == "shell"
    if terminal:
        quiet_terminal()
        speedups.logger.setLevel(logging.ERROR)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s - %(message)s"))
    for own in (speedups.logger, logger):
        own.addHandler(handler)
        own.propagate = False
    try:
        sys.argv[1:] = rasa_arguments(sys.argv[1:], os.environ)
    except SecretError as err:
        sys.exit(f"ERROR: {err}")
    os.environ.setdefault(REQUEST_MAX_SIZE_VARIABLE, str(REQUEST_MAX_SIZE))
    speedups.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
