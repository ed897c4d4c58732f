"""``python -m helpers.data.demo``: regenerate the synthetic demo events."""

import sys

from helpers.data.demo.generator import main

sys.exit(main())
