#!/usr/bin/env bash
# Score extraction and number parsing on ../shared/eval (see ../shared/eval/SCHEMA.md).
#   scripts/eval.sh [SHARED] [--show-errors]
set -euo pipefail
shared=${1:-../shared}
shift || true
bin=$(dirname "$0")/../.venv/bin
eval_dir="$shared/eval"
[ -d "$eval_dir/docs" ] || { echo "eval: $eval_dir not found" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin/python" - "$eval_dir/gold" "$tmp" <<'PY'
import json, pathlib, sys
gold, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
rows = [json.loads(l) for f in ("seeds.jsonl", "dev.jsonl") for l in open(gold / f, encoding="utf-8") if l.strip()]
for lang in ("en", "fr"):
    keep = [r for r in rows if r["doc"].startswith("fr_") == (lang == "fr")]
    (out / f"gold_{lang}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
PY

"$bin/tally" extract "$eval_dir"/docs/seeds/*.txt "$eval_dir"/docs/dev/en_*.txt --format jsonl >"$tmp/pred_en.jsonl"
echo "== figures, seeds + English dev docs"
"$bin/python" "$eval_dir/score.py" "$tmp/gold_en.jsonl" "$tmp/pred_en.jsonl" "$@"
if ls "$eval_dir"/docs/dev/fr_*.txt >/dev/null 2>&1; then
  "$bin/tally" extract "$eval_dir"/docs/dev/fr_*.txt --format jsonl >"$tmp/pred_fr.jsonl"
  echo "== figures, French dev docs"
  "$bin/python" "$eval_dir/score.py" "$tmp/gold_fr.jsonl" "$tmp/pred_fr.jsonl" "$@"
fi
held=$(dirname "$0")/../tests/data/heldout
if [ -f "$held/gold.jsonl" ]; then
  echo "== figures, Tally's own held-out-style articles (tests/data/heldout)"
  for lang in en fr; do
    "$bin/python" -c "import json,sys; [print(l, end='') for l in open('$held/gold.jsonl') if json.loads(l)['doc'].startswith('$lang')]" >"$tmp/held_gold_$lang.jsonl"
    "$bin/tally" extract "$held"/${lang}_h*.txt --format jsonl >"$tmp/held_$lang.jsonl" 2>/dev/null
    printf '%s: ' "$lang"; "$bin/python" "$eval_dir/score.py" "$tmp/held_gold_$lang.jsonl" "$tmp/held_$lang.jsonl" | tail -1
  done
fi
for lang in en fr; do
  suite="$eval_dir/external/numbers_$lang.jsonl"
  [ -f "$suite" ] || continue
  echo "== numbers, $lang"
  "$bin/python" "$eval_dir/score_numbers.py" "$suite" --cmd "$bin/tally numbers --lang {lang}" | tail -1
done
