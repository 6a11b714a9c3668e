#!/usr/bin/env bash
# The quickstart (examples/quickstart/main.cc) with the `deltacat` CLI; the README shows the
# same commands. Run from the repository root after `make build`
# (tests/cli/cli_acceptance_test.cc runs it with DELTACAT_BIN_DIR set to the build's bin/).
set -euo pipefail
export PATH="${DELTACAT_BIN_DIR:-$PWD/build/bin}:$PATH"
cd "$(mktemp -d)"                                  # scratch directory; the catalog is ./.deltacat
printf 'id,name,age\n1,ann,31\n2,bob,42\n3,cy,27\n' > users.csv
printf 'id,name,age\n2,bob,43\n4,dee,35\n' > upserts.csv
printf 'id\n3\n' > deletes.csv
deltacat init
deltacat table create users --schema users.csv --merge-keys id   # schema from a data file
deltacat write users users.csv                     # AUTO on a merge-keyed table: an upsert
BEFORE=$(date +%s%N)                               # a point in time to travel back to
deltacat write users upserts.csv --mode merge      # bob turns 43, dee arrives
deltacat write users deletes.csv --mode delete     # cy leaves
deltacat read users
deltacat read users --as-of "$BEFORE"              # time travel: before the upsert and delete
deltacat log --limit 3
deltacat compact users
deltacat read users --where "age > 40" --output-format csv
