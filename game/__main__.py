"""`python -m game` is the `accord` command."""

import sys

from game.cli import main

sys.exit(main())
