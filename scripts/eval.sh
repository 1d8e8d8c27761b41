#!/usr/bin/env bash
# Score extraction and number parsing on ../shared/eval (see ../shared/eval/SCHEMA.md).
#   scripts/eval.sh [SHARED]
# Figures: grouped 5-fold cross-validation over seeds + dev + train and Tally's own
# articles (folds by article), the learned decision layer beside the rules alone on the
# same folds. A model's score on articles it was trained on says nothing, so none is shown.
set -euo pipefail
shared=${1:-../shared}
bin=$(dirname "$0")/../.venv/bin
eval_dir="$shared/eval"
[ -d "$eval_dir/docs" ] || { echo "eval: $eval_dir not found" >&2; exit 2; }

echo "== figures: grouped 5-fold cross-validation (learned layer, and rules alone on the same folds)"
"$bin/python" -m tally.train --shared "$shared" --cv
# English and French: the peers' suites; German: the suite written for Tally's tests.
for suite in "$eval_dir/external/numbers_en.jsonl" "$eval_dir/external/numbers_fr.jsonl" \
             "$(dirname "$0")/../tests/data/numbers_de.jsonl"; do
  [ -f "$suite" ] || continue
  echo "== numbers, $(basename "$suite" .jsonl)"
  "$bin/python" "$eval_dir/score_numbers.py" "$suite" --cmd "$bin/tally numbers --lang {lang}" | tail -1
done
