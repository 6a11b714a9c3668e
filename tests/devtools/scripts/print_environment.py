"""A Ray job script for the runner tests: prints what the runner passed, then exits with
$exit_code (default 0)."""

import os
import sys

for name in ("STAGE", "var1", "DELTACAT_PACKAGE_URL", "DELTACAT_APP_LOG_LEVEL"):
    print(f"ENV {name}={os.environ.get(name, '<unset>')}", flush=True)
sys.exit(int(os.environ.get("exit_code", "0")))
