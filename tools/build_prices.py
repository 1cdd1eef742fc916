#!/usr/bin/env python3
"""Builds the embedded API price catalog from the sourced reference data.

    python3 tools/build_prices.py [SHARED_DATA_DIR]

Reads api-prices.csv from SHARED_DATA_DIR (default /work/shared/data) and writes
src/Infercost/Catalog/Data/prices.json: one entry per CSV row (a row naming two models becomes two
entries), every entry with its source, source kind, observed and effective dates and notes. Prices are
copied as given; nothing is averaged or corrected. The editorial choices (which slug a row belongs to,
long-context tiers read out of the notes, an end date stated only in prose) are all in the tables below
so that a reviewer can read them in one place. See docs/economics.md#price-catalog.
"""
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "Infercost" / "Catalog" / "Data" / "prices.json"

# (provider, CSV model name) -> catalog ids. Vendors' own models get bare slugs (claude-opus-4.5, gpt-5,
# deepseek-r1); open-weights models hosted by a third party are prefixed with the host (groq/llama-3.3-70b).
# Dated snapshot rows (GPT-4o (2024-05-13)) join their family's id so that "cost on date D" reads a history.
SLUGS = {
    ("OpenAI", "GPT-5"): ["gpt-5"],
    ("OpenAI", "GPT-5 (first litellm entry)"): ["gpt-5"],
    ("OpenAI", "GPT-5 mini"): ["gpt-5-mini"],
    ("OpenAI", "GPT-5 nano"): ["gpt-5-nano"],
    ("OpenAI", "GPT-5 pro"): ["gpt-5-pro"],
    ("OpenAI", "GPT-5.1"): ["gpt-5.1"],
    ("OpenAI", "GPT-5.2"): ["gpt-5.2"],
    ("OpenAI", "GPT-5.4"): ["gpt-5.4"],
    ("OpenAI", "GPT-5.4 Pro"): ["gpt-5.4-pro"],
    ("OpenAI", "GPT-5.4 Pro (first litellm entry)"): ["gpt-5.4-pro"],
    ("OpenAI", "GPT-5.4 Pro (<=272k)"): ["gpt-5.4-pro"],
    ("OpenAI", "GPT-5.4 mini"): ["gpt-5.4-mini"],
    ("OpenAI", "GPT-5.4 mini (first litellm entry)"): ["gpt-5.4-mini"],
    ("OpenAI", "GPT-5.4 nano"): ["gpt-5.4-nano"],
    ("OpenAI", "GPT-5.5"): ["gpt-5.5"],
    ("OpenAI", "GPT-4.1"): ["gpt-4.1"],
    ("OpenAI", "GPT-4o"): ["gpt-4o"],
    ("OpenAI", "GPT-4o (2024-05-13)"): ["gpt-4o"],
    ("OpenAI", "GPT-4o (2024-08-06)"): ["gpt-4o"],
    ("OpenAI", "GPT-4o mini"): ["gpt-4o-mini"],
    ("OpenAI", "GPT-4o mini (2024-07-18)"): ["gpt-4o-mini"],
    ("OpenAI", "GPT-4 (8K)"): ["gpt-4"],
    ("OpenAI", "GPT-4 (0314, 8K)"): ["gpt-4"],
    ("OpenAI", "GPT-4 32K"): ["gpt-4-32k"],
    ("OpenAI", "GPT-4 Turbo"): ["gpt-4-turbo"],
    ("OpenAI", "GPT-4 Turbo preview (1106)"): ["gpt-4-turbo"],
    ("OpenAI", "GPT-4 Turbo (2024-04-09)"): ["gpt-4-turbo"],
    ("OpenAI", "GPT-3.5 Turbo"): ["gpt-3.5-turbo"],
    ("OpenAI", "GPT-3.5 Turbo (0301)"): ["gpt-3.5-turbo"],
    ("OpenAI", "GPT-3.5 Turbo (0613)"): ["gpt-3.5-turbo"],
    ("OpenAI", "GPT-3.5 Turbo (1106)"): ["gpt-3.5-turbo"],
    ("OpenAI", "GPT-3.5 Turbo (0125)"): ["gpt-3.5-turbo"],
    ("OpenAI", "GPT-3.5 Turbo (launch, ChatGPT API)"): ["gpt-3.5-turbo"],
    ("Anthropic", "Claude Opus 4.5"): ["claude-opus-4.5"],
    ("Anthropic", "Claude Opus 4.5 (first litellm entry)"): ["claude-opus-4.5"],
    ("Anthropic", "Claude Opus 4"): ["claude-opus-4"],
    ("Anthropic", "Claude Opus 4.1"): ["claude-opus-4.1"],
    ("Anthropic", "Claude Opus 4.6"): ["claude-opus-4.6"],
    ("Anthropic", "Claude Opus 4.7"): ["claude-opus-4.7"],
    ("Anthropic", "Claude Sonnet 4"): ["claude-sonnet-4"],
    ("Anthropic", "Claude Sonnet 4.5"): ["claude-sonnet-4.5"],
    ("Anthropic", "Claude Sonnet 4.6"): ["claude-sonnet-4.6"],
    ("Anthropic", "Claude Sonnet 4 and 4.5 (<=200k)"): ["claude-sonnet-4", "claude-sonnet-4.5"],
    ("Anthropic", "Claude Haiku 4.5"): ["claude-haiku-4.5"],
    ("Anthropic", "Claude Haiku 3.5"): ["claude-3.5-haiku"],
    ("Anthropic", "Claude 3.5 Haiku"): ["claude-3.5-haiku"],
    ("Anthropic", "Claude 3.5 Sonnet (2024-06-20)"): ["claude-3.5-sonnet"],
    ("Anthropic", "Claude 3 Opus"): ["claude-3-opus"],
    ("Anthropic", "Claude 3 Sonnet"): ["claude-3-sonnet"],
    ("Anthropic", "Claude 3 Haiku"): ["claude-3-haiku"],
    ("Anthropic", "Claude 2.0"): ["claude-2"],
    ("Anthropic", "Claude 2.1"): ["claude-2.1"],
    ("Anthropic", "Claude 2 / 2.1"): ["claude-2", "claude-2.1"],
    ("Anthropic", "Claude Instant 1.2"): ["claude-instant-1.2"],
    ("Anthropic", "Claude Instant"): ["claude-instant-1.2"],
    ("DeepSeek", "DeepSeek V3"): ["deepseek-v3"],
    ("DeepSeek", "DeepSeek R1"): ["deepseek-r1"],
    ("DeepSeek", "DeepSeek V3.2"): ["deepseek-v3.2"],
    ("DeepSeek", "DeepSeek V3.2 (first litellm entry)"): ["deepseek-v3.2"],
    ("DeepSeek", "DeepSeek V3.2 (deepseek-chat, non-thinking)"): ["deepseek-chat"],
    ("DeepSeek", "DeepSeek V3.2 (deepseek-reasoner, thinking)"): ["deepseek-reasoner"],
    ("DeepSeek", "DeepSeek V2.5/V3 promo (deepseek-chat)"): ["deepseek-chat"],
    ("DeepSeek", "DeepSeek V3 (deepseek-chat)"): ["deepseek-chat"],
    ("DeepSeek", "DeepSeek R1 (deepseek-reasoner)"): ["deepseek-reasoner"],
    ("DeepSeek", "DeepSeek Chat (promo)"): ["deepseek-chat"],
    ("DeepSeek", "DeepSeek Chat"): ["deepseek-chat"],
    ("DeepSeek", "DeepSeek Reasoner"): ["deepseek-reasoner"],
    ("DeepSeek", "DeepSeek V4 Flash"): ["deepseek-v4-flash"],
    ("DeepSeek", "DeepSeek-V4-Flash"): ["deepseek-v4-flash"],
    ("DeepSeek", "DeepSeek V4 Pro"): ["deepseek-v4-pro"],
    ("DeepSeek", "DeepSeek-V4-Pro"): ["deepseek-v4-pro"],
    ("Google", "Gemini 2.5 Flash"): ["gemini-2.5-flash"],
    ("Google", "Gemini 2.5 Pro"): ["gemini-2.5-pro"],
    ("Google", "Gemini 2.5 Flash-Lite"): ["gemini-2.5-flash-lite"],
    ("Google", "Gemini 1.5 Flash"): ["gemini-1.5-flash"],
    ("Google", "Gemini 1.5 Flash (-001)"): ["gemini-1.5-flash"],
    ("Google", "Gemini 1.5 Flash (<=128k)"): ["gemini-1.5-flash"],
    ("Google", "Gemini 1.5 Pro (Gemini API key)"): ["gemini-1.5-pro"],
    ("Google", "Gemini 1.5 Pro (Vertex key)"): ["gemini-1.5-pro"],
    ("Google", "Gemini 1.5 Pro (<=128k)"): ["gemini-1.5-pro"],
    ("Mistral", "Mixtral 8x7B (open-mixtral-8x7b)"): ["mixtral-8x7b"],
    ("Mistral", "Mixtral 8x7B"): ["mixtral-8x7b"],
    ("Mistral", "Mixtral 8x22B (open-mixtral-8x22b)"): ["mixtral-8x22b"],
    ("Mistral", "Mixtral 8x22B"): ["mixtral-8x22b"],
    ("Mistral", "Mistral 7B (open-mistral-7b)"): ["mistral-7b"],
    ("Mistral", "Mistral 7B"): ["mistral-7b"],
    ("Groq", "Llama 3.3 70B (versatile)"): ["groq/llama-3.3-70b"],
    ("Groq", "Llama 3 70B (8K)"): ["groq/llama-3-70b"],
    ("Groq", "gpt-oss-120b"): ["groq/gpt-oss-120b"],
    ("Groq", "gpt-oss-20b"): ["groq/gpt-oss-20b"],
    ("Cerebras", "gpt-oss-120b"): ["cerebras/gpt-oss-120b"],
    ("Cerebras", "Llama 3.1 70B"): ["cerebras/llama-3.1-70b"],
    ("Together AI", "Llama 3.1 70B Instruct Turbo"): ["together/llama-3.1-70b"],
    ("Together AI", "DeepSeek-V3"): ["together/deepseek-v3"],
    ("Together AI", "DeepSeek-R1"): ["together/deepseek-r1"],
    ("AWS Bedrock", "Llama 3 70B Instruct"): ["bedrock/llama-3-70b"],
    ("DeepInfra", "Llama 3 70B Instruct"): ["deepinfra/llama-3-70b"],
    ("Replicate", "Llama 3 70B Instruct"): ["replicate/llama-3-70b"],
    ("Anyscale", "Llama 3 70B Instruct"): ["anyscale/llama-3-70b"],
    ("SambaNova", "Llama 3.1 70B Instruct"): ["sambanova/llama-3.1-70b"],
    ("Fireworks", "Qwen3-235B-A22B"): ["fireworks/qwen3-235b-a22b"],
}

# Dates the notes state in prose but the CSV's date columns do not carry.
# (source prefix, provider, model) -> fields to set.
DATE_FIXES = {
    # "litellm moved deepseek-chat to $0.28/$0.42 ... on 2026-01-14 (V3.2 pricing)"; same for deepseek-reasoner.
    ("litellm-berri", "DeepSeek", "DeepSeek V3.2 (deepseek-chat, non-thinking)"): {"effectiveFrom": "2026-01-14"},
    ("litellm-berri", "DeepSeek", "DeepSeek V3.2 (deepseek-reasoner, thinking)"): {"effectiveFrom": "2026-01-14"},
    # "llm-prices says this $0.14/$0.28 price ran until 2025-02-08".
    ("litellm-history", "DeepSeek", "DeepSeek V2.5/V3 promo (deepseek-chat)"): {"effectiveUntil": "2025-02-08"},
    ("llm-prices", "DeepSeek", "DeepSeek Chat (promo)"): {"effectiveUntil": "2025-02-08"},
}

# Two catalog ids that are one served model, so their prices on a date should agree; where they do not, both are
# marked disputed. (provider, model) -> the other id.
# litellm's deepseek-v3.2 key gives $0.28/$0.40 while deepseek-chat (V3.2 non-thinking since 2026-01-14) gives
# $0.28/$0.42: the same model at two prices.
SAME_MODEL = {
    ("DeepSeek", "DeepSeek V3.2"): "deepseek-chat",
    ("DeepSeek", "DeepSeek V3.2 (first litellm entry)"): "deepseek-chat",
}

SKIPPED = {
    # A blended figure only; input and output list prices are in the litellm rows.
    ("seed-note", "OpenAI", "GPT-5.4 mini"),
}

KINDS = {"seed", "litellm_current", "litellm_history", "historical_launch", "vendor_doc", "third_party"}


def number(text):
    text = text.strip()
    return float(text) if text else None


def clean(value):
    """Whole numbers print without a trailing .0 so that the JSON reads like the CSV."""
    if value is None:
        return None
    return int(value) if value == int(value) and abs(value) < 1e15 else value


def date(text):
    """ISO date; a year or year-month is kept as its first day, and the note says so."""
    text = text.strip()
    if not text:
        return None, None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, None
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return text + "-01", f"Observed date given only as {text}; taken as its first day."
    if re.fullmatch(r"\d{4}", text):
        return text + "-01-01", f"Observed date given only as {text}; taken as its first day."
    raise ValueError(f"unreadable date {text!r}")


def source_id(source):
    """The id before any '@commit' or parenthesised remark: 'litellm-berri@00035b69 (...)' -> 'litellm-berri'."""
    return re.split(r"[@ (]", source.strip(), maxsplit=1)[0]


def one_hour_write(notes):
    """Anthropic's 1-hour cache-write price, as the notes state it (litellm '1h cache write $6', Anthropic's pricing
    table '1h cache write $10'); None where the notes give none."""
    m = re.search(r"1h cache write \$(\d+(?:\.\d+)?)", notes)
    return clean(float(m.group(1))) if m else None


def long_context(notes):
    """A higher rate above N input tokens, as the notes state it (litellm 'input >200k $6; output >200k $22.5',
    llm-prices 'Above 200K: $6/$22.50', bigbull '$0.15/$0.60 above 128K')."""
    m = re.search(r"input >(\d+)k \$(\d+(?:\.\d+)?); output >\d+k \$(\d+(?:\.\d+)?)", notes)
    if m:
        return {"thresholdTokens": int(m.group(1)) * 1000, "inputUsdPerMTok": clean(float(m.group(2))),
                "outputUsdPerMTok": clean(float(m.group(3)))}
    m = re.search(r"[Aa]bove (\d+)K: \$(\d+(?:\.\d+)?)/\$(\d+(?:\.\d+)?)", notes) or re.search(
        r"\$(\d+(?:\.\d+)?)/\$(\d+(?:\.\d+)?) above (\d+)K", notes)
    if m:
        if m.re.pattern.startswith("\\$"):
            inp, out, k = m.group(1), m.group(2), m.group(3)
        else:
            k, inp, out = m.group(1), m.group(2), m.group(3)
        return {"thresholdTokens": int(k) * 1000, "inputUsdPerMTok": clean(float(inp)),
                "outputUsdPerMTok": clean(float(out))}
    return None


def batch(text):
    text = text.strip()
    if not text:
        return None
    m = re.match(r"(\d+)%", text)
    if not m:
        raise ValueError(f"unreadable batch discount {text!r}")
    return clean(int(m.group(1)) / 100)


def main():
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data")
    rows = list(csv.DictReader(open(data / "api-prices.csv", newline="", encoding="utf-8")))
    prices = []
    for index, row in enumerate(rows, start=2):
        provider, model, source = row["provider"], row["model"], row["source"]
        sid = source_id(source)
        if (sid, provider, model) in SKIPPED:
            print(f"api-prices.csv line {index}: skipped ({provider} {model}: blended figure only)", file=sys.stderr)
            continue
        slugs = SLUGS.get((provider, model))
        if slugs is None:
            raise SystemExit(f"api-prices.csv line {index}: no slug for {(provider, model)}; add it to SLUGS")
        kind = row["record_type"].strip()
        if kind not in KINDS:
            raise SystemExit(f"api-prices.csv line {index}: unknown record_type {kind!r}")
        observed, observed_note = date(row["date_observed"])
        effective, _ = date(row["effective_from"])
        notes = row["notes"].strip()
        if observed_note:
            notes = (notes + " " + observed_note).strip()
        entry = {
            "model": None,
            "provider": provider,
            "name": model,
            "inputUsdPerMTok": clean(number(row["input_usd_per_mtok"])),
            "cachedInputUsdPerMTok": clean(number(row["cached_input_read_usd_per_mtok"])),
            "cacheWriteUsdPerMTok": clean(number(row["cache_write_usd_per_mtok"])),
            "cacheWrite1hUsdPerMTok": one_hour_write(notes),
            "outputUsdPerMTok": clean(number(row["output_usd_per_mtok"])),
            "batchDiscount": batch(row["batch_discount"]),
            "longContext": long_context(notes),
            "contextWindowTokens": int(row["context_window_tokens"]) if row["context_window_tokens"].strip() else None,
            "effectiveFrom": effective,
            "effectiveUntil": None,
            "observedOn": observed,
            "source": source.strip(),
            "sourceKind": kind,
            "aliases": [row["source_key"].strip()] if row["source_key"].strip() else [],
            "notes": notes,
            "sameModelAs": SAME_MODEL.get((provider, model)),
        }
        entry.update(DATE_FIXES.get((sid, provider, model), {}))
        for slug in slugs:
            e = dict(entry)
            e["model"] = slug
            e["aliases"] = [a for a in entry["aliases"] if a.lower() != slug]
            prices.append({k: v for k, v in e.items() if v is not None and v != [] and v != ""})
    OUT.write_text(json.dumps({"prices": prices}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(prices)} prices to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
