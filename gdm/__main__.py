"""``python -m gdm``: the ``gdm`` command (``gdm.cli``)."""
import sys

from .cli import main

sys.exit(main())
