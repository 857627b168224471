#!/usr/bin/env bash
# The old name of bench/run, kept so that earlier commands and results files still work: it runs bench/run with the
# same arguments (`--only NAME` still selects single benchmarks).
exec "$(dirname "${BASH_SOURCE[0]}")/run" "$@"
