"""``python -m case_studies [NAME ...] [--quick] [--out DIR] [--seed N]``.

The same as ``statcraft case-studies run`` (see :mod:`statcraft.cli`), with every study run when
no name is given.
"""

from __future__ import annotations

import sys

from statcraft.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    names = [a for a in args if not a.startswith("-")]
    if not names and "--all" not in args and not {"-h", "--help"} & set(args):
        args = [*args, "--all"]
    sys.exit(main(["case-studies", "run", *args]))
