"""The benchmarks (``make bench``; ``python -m bench``, or one of them as ``python -m bench.<name>``).

Each prints its figures as it measures them. Standard output is line-buffered here, for every
benchmark run as a module, so the lines appear at once when the output goes to a pipe (``tee``,
or the runner in ``bench.__main__`` that collects them into ``RESULTS.md``).
"""

import sys

if hasattr(sys.stdout, "reconfigure"):
    sys.stdout.reconfigure(line_buffering=True)
