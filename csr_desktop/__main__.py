"""`python -m csr_desktop` behaves exactly like the `csr-desktop` command."""

import sys

from csr_desktop.cli import main

sys.exit(main())
