#!/usr/bin/env bash
# The README's CLI walk ("The same walk with the CLI"): the quickstart (examples/quickstart/
# main.cc) with the `deltacat` CLI. Run it from the repository root after `make build`.
# tests/devtools/test_readme_cli.py checks that these commands are the README's, word for word,
# and runs them.
set -euo pipefail
export PATH="$PWD/build/bin:$PATH" DELTACAT_ROOT=/tmp/deltacat-cli-demo
rm -rf "$DELTACAT_ROOT" && deltacat init
cd "$(mktemp -d)"
printf 'id,name,age\n1,ann,31\n2,bob,42\n3,cy,27\n' > users.csv
printf 'id,name,age\n2,bob,43\n4,dee,35\n' > upsert.csv
printf 'id\n3\n' > delete.csv

deltacat namespace create quickstart
deltacat write quickstart/users users.csv --mode create --merge-keys id
before_upsert=$(date +%s%N)                     # a transaction time: epoch ns or ISO-8601
deltacat write quickstart/users upsert.csv --mode merge
deltacat write quickstart/users delete.csv --mode delete
deltacat read quickstart/users --output-format pretty
deltacat read quickstart/users --where "age > 40" --columns id,name
deltacat read quickstart/users --as-of "$before_upsert" --output-format pretty
deltacat compact quickstart/users
deltacat read quickstart/users --output-format json
deltacat log --limit 3
deltacat table describe quickstart/users
