#!/usr/bin/env python3
"""Builds the embedded catalogs from the sourced reference data.

    python3 tools/build_catalog.py [SHARED_DATA_DIR]

Reads accelerators.json and models.json from SHARED_DATA_DIR (default /work/shared/data) and writes
src/Infercost/Catalog/Data/{accelerators,models}.json in the project's own format: camelCase keys,
the unit in the key name, every entry with sources, asOf and notes. The output is deterministic
(same input, same bytes). The facts come from the reference data; the notes are this project's
own prose, kept in NOTES below, so that a reviewer can read every editorial choice in one place.
See docs/catalog.md for the conventions.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "Infercost" / "Catalog" / "Data"
PRECISIONS = ["fp16", "bf16", "fp8", "int8", "int4", "fp4"]

# Devices sharing one scale-up fabric. 8 for HGX/DGX-style 8-GPU nodes and AMD 8-GPU nodes,
# 72 for GB200 NVL72, 1 for PCIe cards without NVLink, 256 for a TPU pod.
SCALE_UP_DOMAIN = {
    "nvidia-a100-sxm-40gb": 8, "nvidia-a100-sxm-80gb": 8, "nvidia-h100-sxm": 8, "nvidia-h200-sxm": 8,
    "nvidia-b200": 8, "nvidia-gb200": 72, "nvidia-h100-pcie": 1, "nvidia-l40s": 1, "nvidia-l4": 1,
    "nvidia-rtx-4090": 1, "amd-mi300x": 8, "amd-mi325x": 8, "amd-mi355x": 8,
    "google-tpu-v5e": 256, "google-tpu-v6e": 256, "groq-lpu-v1": 576, "cerebras-wse-3": 1,
}
PCIE_CARDS = {"nvidia-h100-pcie", "nvidia-l40s", "nvidia-l4", "nvidia-rtx-4090"}

# Scale-up bandwidth assumed where the reference data has none but the part clearly has a fabric.
ASSUMED_SCALE_UP = {"amd-mi325x": 448.0, "amd-mi355x": 448.0}

NOTES = {
    "nvidia-a100-sxm-40gb": [
        "Ampere has no FP8 or FP4 tensor path, so fp8 and fp4 are null; int4 (1248 TOPS) is llm-analysis's figure.",
        "Bandwidth: 1.555 TB/s (llm-analysis, LLM-Viewer) kept over GenZ's rounded 1.6 TB/s.",
        "Board power is the 80GB SXM figure from aiconfigurator, assumed to hold for the 40GB part.",
        "No rental or purchase figure specific to the 40GB part was found; both are null.",
    ],
    "nvidia-a100-sxm-80gb": [
        "Bandwidth 2.039 TB/s is the SXM part's; the 1.94 TB/s in one datasheet table belongs to the PCIe 80GB card.",
        "Rental is the midpoint of an editorial 1.00-2.00 $/h band drawn from 2026 quotes (0.86 spot to 3.00 hyperscaler).",
        "Purchase price is the $15,000 MSRP on Hugging Face's hardware page.",
    ],
    "nvidia-h100-sxm": [
        "Bandwidth 3.35 TB/s (aiconfigurator, llm-analysis) kept; LLM-Viewer uses 3.072 and GenZ 3.4.",
        "Peaks are dense: 989 BF16 and 1979 FP8 (aiconfigurator prints 1978). Datasheet tables quoting 1979 BF16 give the sparse figure.",
        "No INT4/FP4 tensor figure appears in the NVIDIA-derived tables, so both are null.",
        "Rental is the midpoint of a 2.00-3.50 $/h band from 2026 quotes (1.49 to 5.00); purchase is the midpoint of $25,000 and the $30,000 MSRP.",
    ],
    "nvidia-h100-pcie": [
        "Dense BF16 756 TFLOPS (aiconfigurator prints 756.5); bandwidth 2.0 TB/s (LLM-Viewer: 2.048).",
        "Scale-up is plain PCIe Gen5 x16, 64 GB/s per direction; NVLink-bridged pairs (llm-analysis assumes 300 GB/s) are not modelled.",
        "Rental is the midpoint of a 1.80-2.80 $/h band from RunPod quotes (2026-05). No purchase price was found.",
    ],
    "nvidia-h200-sxm": [
        "Capacity is the marketed 141 GB; aiconfigurator stores 141 GiB.",
        "Same compute as H100 SXM; only memory size and bandwidth differ.",
        "Rental is the midpoint of a 2.50-4.50 $/h band (quotes from 2.50 to 7.00); purchase is the $32,000 MSRP on Hugging Face's hardware page.",
    ],
    "nvidia-b200": [
        "Shipping HGX B200 figures (180 GB, 7.7 TB/s) kept over the launch announcement's 192 GB and 8 TB/s.",
        "Rental is the midpoint of a 5.00-6.50 $/h band (quotes 5.98-6.08); purchase is the midpoint of the $30,000-40,000 range reported in Oct 2024.",
    ],
    "nvidia-gb200": [
        "Per Blackwell GPU of an NVL72 rack. Dense 2.5/5/10 PFLOPS (BF16/FP8/FP4) from aiconfigurator, which matches the rack's 720 PF sparse FP8 / 72 / 2; one vendor table gives 2.25/4.5/9.",
        "Memory 186 GB per GPU from 13.4 TB / 72; launch material says 192 GB.",
        "Rental is the only figure given: 4.50 $/h (one quote of $9.08 per two-GPU superchip). Purchase is null: only rack prices exist ($2-5M per 72 GPUs, about $28,000-69,000 per GPU all-in).",
    ],
    "nvidia-l40s": [
        "362 TFLOPS is the dense BF16/FP16 tensor figure (some pages mislabel it TF32); FP8 733 dense, 1466 with sparsity.",
        "PCIe Gen4 card without NVLink: scale-up domain 1.",
        "Rental is the midpoint of a 0.80-1.90 $/h band (quotes 0.28 to 3.50); purchase is the midpoint of $8,500 and $9,000 MSRPs.",
    ],
    "nvidia-l4": [
        "Dense peaks from aiconfigurator; 242 TFLOPS FP16 quoted elsewhere is the sparse figure.",
        "Rental is null: no typical band was set, only one spot fixing of 0.2684 $/h (2026-04-18). No purchase price was found.",
    ],
    "nvidia-rtx-4090": [
        "GeForce tensor math with FP32 accumulation runs at half rate: bf16/fp16 165.2 and fp8 330.3 are the FP32-accumulate figures kept; with FP16 accumulation FP16 is 330.3 and FP8 660.6.",
        "No NVLink: scale-up bandwidth null and domain 1.",
        "Rental is the midpoint of a 0.20-0.40 $/h band; purchase is the $1,599 launch price (2022-10-12).",
    ],
    "amd-mi300x": [
        "Scale-up: the sources give 896 GB/s aggregate Infinity Fabric per GPU, treated as bidirectional and halved to 448 GB/s per direction. GenZ and an OCI document use 400 GB/s.",
        "FP16 figures of 2,615 (codesota) and 330.6 (gpu.blog) were rejected: the first is dense FP8, the second a non-matrix rate.",
        "Rental is the midpoint of a 1.50-3.00 $/h band (median quote 1.99); purchase is the midpoint of a $10,000-15,000 street range.",
    ],
    "amd-mi325x": [
        "Same CDNA 3 compute as MI300X; FP8 set equal to MI300X's (derived, medium confidence). INT8 not sourced.",
        "Scale-up 448 GB/s per direction is assumed equal to MI300X (same platform); not separately sourced. GenZ lists 400 GB/s.",
        "Board power and purchase price were not found. Rental is null (no typical band); one quote of 1.95 $/h exists (2026-05-18).",
    ],
    "amd-mi355x": [
        "Dense FP4 10.05 PF is half of the 20.1 PF sparse maximum; FP8 and BF16 follow the usual 1:2:4 rate ratio (derived, low-to-medium confidence).",
        "Figures of 2.3/4.6/9.2 PF seen elsewhere belong to the 1000 W MI350X.",
        "Scale-up 448 GB/s per direction is assumed equal to MI300X; no MI355X figure was sourced.",
        "No public rental or purchase price was found.",
    ],
    "google-tpu-v5e": [
        "Bandwidth 819 GB/s (Google's chip table; a newer table says 800 GiB/s, GenZ 820 GB/s).",
        "ICI 400 GB/s is bidirectional, halved to 200 GB/s per direction; some locales state 1600 Gbps.",
        "Scale-up domain is a 256-chip pod. Not sold; no per-chip-hour price was found.",
    ],
    "google-tpu-v6e": [
        "Google's 918 TFLOPS and 1638 GB/s kept over GenZ's 926 and 1640.",
        "ICI 800 GB/s is bidirectional, halved to 400 GB/s per direction. Scale-up domain is a 256-chip pod.",
        "Not sold; no per-chip-hour price was found.",
    ],
    "groq-lpu-v1": [
        "230 MB of on-chip SRAM per chip at 80 TB/s; a 70B model spans hundreds of chips.",
        "Peaks: 188 TFLOPS FP16 and 750 TOPS INT8 (TechPowerUp); one page labels 750 as FP8.",
        "Scale-up domain 576 is the chip count of one GroqRack deployment cited for a 70B model; no per-link bandwidth was sourced, so scale-up bandwidth is null and collectives use the scale-out figure.",
        "Power ~300 W is a low-confidence secondary figure. Sold only as a per-token API: no rental or purchase price.",
    ],
    "cerebras-wse-3": [
        "One wafer in a CS-3 system: 44 GB SRAM at ~21 PB/s.",
        "Only a 125 PFLOPS headline is published, labelled sparse FP16, FP16 or FP8 depending on the source; no dense figure exists, so every peak is null.",
        "Power is the whole CS-3 system (~23 kW). Scale-up domain 1: systems connect through SwarmX/MemoryX, modelled as scale-out.",
        "Purchase is null: only a $2-3M per-system range was found. Sold as a per-token API; no rental figure.",
    ],
}

COMMON_ACCEL_NOTES = {
    "scaleOut": "Scale-out {0} GB/s per direction is an assumption: {1}.",
}

MODEL_NOTES = {
    "llama-3.1-8b": ["Context 131,072 via llama3 RoPE scaling (factor 8 over 8,192)."],
    "llama-3.1-70b": ["Context 131,072 via llama3 RoPE scaling (factor 8 over 8,192)."],
    "llama-3.1-405b": ["Context 131,072 via llama3 RoPE scaling (factor 8 over 8,192).",
                       "The BF16 release; Meta also publishes an FP8 variant."],
    "llama-3.3-70b": ["Shape identical to Llama 3.1 70B (vocab 128,256, hidden 8,192, MLP 28,672, 80 layers, 64/8 heads)."],
    "mixtral-8x7b": ["All 32 layers are MoE: 8 experts, 2 per token, expert width 14,336.",
                     "Nominal 46.7B total / 12.9B active."],
    "mixtral-8x22b": ["Base v0.1 vocabulary of 32,000; the Instruct config uses 32,768.",
                      "Nominal 141B total / 39B active."],
    "deepseek-v3": [
        "Multi-head latent attention: the cache holds a 512-wide latent plus a 64-wide RoPE key per layer; kvHeads 128 is nominal.",
        "Weights are published in FP8 (e4m3, 128x128 block scales).",
        "671B total / 37B active excludes the 14B multi-token-prediction module shipped in the checkpoint (685B).",
        "Context 163,840 positions in the config (YaRN factor 40 over 4,096); the README advertises 128K.",
        "routerBias is DeepSeek's e_score_correction_bias (one value per routed expert).",
    ],
    "deepseek-r1": [
        "Same architecture as DeepSeek-V3 (identical config apart from transformers_version).",
        "Weights are published in FP8; 671B / 37B excludes the 14B multi-token-prediction module.",
        "routerBias is DeepSeek's e_score_correction_bias.",
    ],
    "deepseek-v3.2": [
        "DeepSeek-V3 shape plus DeepSeek Sparse Attention: a 64-head, 128-dim indexer picks the top 2,048 tokens per query. The indexer's weights and its 128-dim cached key per token are not modelled.",
        "Weights are published in FP8; 671B / 37B excludes the 14B multi-token-prediction module.",
        "routerBias is DeepSeek's e_score_correction_bias.",
    ],
    "gpt-oss-120b": [
        "Alternates 128-token sliding-window and full attention (18 of each), with learned per-head attention sinks and biases on QKV and output projections.",
        "Expert weights are MXFP4; attention, router, embeddings and LM head stay BF16.",
        "The publisher's 5.1B active excludes the input embedding table.",
    ],
    "gpt-oss-20b": [
        "Alternates 128-token sliding-window and full attention (12 of each), with learned per-head attention sinks and biases on QKV and output projections.",
        "Expert weights are MXFP4; attention, router, embeddings and LM head stay BF16.",
        "The publisher's 3.6B active excludes the input embedding table.",
    ],
    "qwen3-235b-a22b": [
        "Every layer is MoE (mlp_only_layers empty); the config's intermediate_size 12,288 is unused, so denseIntermediateSize is null.",
        "Per-head q/k RMSNorm. Context 40,960 in the config; 131,072 with YaRN per the model card.",
    ],
    "qwen3-30b-a3b": [
        "Every layer is MoE (mlp_only_layers empty); the config's intermediate_size 6,144 is unused, so denseIntermediateSize is null.",
        "Per-head q/k RMSNorm. Context 40,960 in the config; 131,072 with YaRN per the model card.",
    ],
    "qwen2.5-7b": [
        "Biases on the Q, K and V projections. Sliding window disabled (use_sliding_window false).",
        "Context 32,768 in the Instruct config; the base model's config says 131,072.",
        "Shape from GenZ's copy of the Instruct config and config excerpts in the code index (medium confidence for dtype).",
    ],
    "mistral-7b": [
        "v0.1: a 4,096-token sliding window on all 32 layers caps the KV cache at 4,096 tokens per sequence. v0.2/v0.3 drop the window (sliding_window null).",
        "Nominal 7.3B; computed 7.24B. BF16 assumed (derived configs show both bfloat16 and float32).",
    ],
}


def strip_id(s: str) -> str:
    """'aiconfigurator-systems(a100_sxm, 80GB SKU)' -> 'aiconfigurator-systems'."""
    return re.split(r"[\s(:]", s, maxsplit=1)[0]


def source_date(src: dict) -> str | None:
    if src.get("date"):
        return src["date"]
    m = re.search(r"\((?:[^)]*?)(\d{4}-\d{2}(?:-\d{2})?)\)", src.get("where", ""))
    return m.group(1) if m else None


def ordered_unique(items):
    seen, out = set(), []
    for i in items:
        if i and i not in seen:
            seen.add(i)
            out.append(i)
    return out


def as_of(ids, sources, extra_dates=()):
    dates = [source_date(sources[i]) for i in ids if i in sources] + list(extra_dates)
    dates = [d for d in dates if d]
    return max(dates) if dates else "2026-08"


def num(x):
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def accelerator(a: dict, sources: dict) -> dict:
    aid = a["id"]
    ids = []
    for v in a.get("field_sources", {}).values():
        ids += [strip_id(s) for s in v]
    obs_dates = []
    for block in ("cloud_usd_per_gpu_hour", "purchase_usd"):
        for o in a.get(block, {}).get("observations", []):
            ids.append(strip_id(o["source"]))
            if o.get("date"):
                obs_dates.append(o["date"])
    ids = ordered_unique(ids)
    notes = list(NOTES[aid])

    up = a["scale_up"]
    per_dir = up.get("gbps_per_direction")
    if per_dir is None and up.get("gbps_bidirectional") is not None:
        per_dir = up["gbps_bidirectional"] / 2  # note written in NOTES for each such part
    if per_dir is None and aid in ASSUMED_SCALE_UP:
        per_dir = ASSUMED_SCALE_UP[aid]

    scale_out = 25 if aid in PCIE_CARDS else 50
    why = ("one 200 Gb/s NIC per PCIe card" if scale_out == 25 else "one 400 Gb/s NIC per device")
    notes.append(COMMON_ACCEL_NOTES["scaleOut"].format(scale_out, why))

    rent = a["cloud_usd_per_gpu_hour"]
    lo, hi = rent.get("typical_low"), rent.get("typical_high")
    rental = (lo + hi) / 2 if lo is not None and hi is not None else (lo if lo is not None else hi)

    return {
        "id": aid,
        "name": a["name"],
        "vendor": a["vendor"],
        "memoryGB": num(a["memory_gb"]),
        "memoryBandwidthTBps": num(a["memory_bandwidth_tbps"]),
        "denseTflops": {p: num(a["dense_tflops"].get(p)) for p in PRECISIONS},
        "tdpW": num(a.get("tdp_w")),
        "scaleUpGBpsPerDirection": num(per_dir),
        "scaleUpDomain": SCALE_UP_DOMAIN[aid],
        "scaleOutGBpsPerDirection": scale_out,
        "rentalUsdPerHour": num(round(rental, 4)) if rental is not None else None,
        "purchaseUsd": num(a["purchase_usd"].get("estimate")),
        "sources": ids,
        "asOf": as_of(ids, sources, obs_dates),
        "notes": notes,
    }


def model(m: dict, sources: dict) -> dict:
    mid = m["id"]
    ids = ordered_unique(strip_id(s) for s in m["sources"])
    att = m["attention"]
    is_mla = "mla" in att
    is_gpt_oss = mid.startswith("gpt-oss")
    is_deepseek = mid.startswith("deepseek")
    moe = m.get("moe")

    sliding = None
    if att.get("sliding_window"):
        layers = att.get("layers_sliding", m["num_layers"])
        sliding = {"windowTokens": att["sliding_window"], "layers": layers}

    entry = {
        "id": mid,
        "name": m["name"],
        "hfRepo": m["hf_repo"],
        "layers": m["num_layers"],
        "hiddenSize": m["hidden_size"],
        "attentionHeads": m["num_attention_heads"],
        "kvHeads": m["num_kv_heads"],
        "headDim": m["head_dim"],
        "denseIntermediateSize": (m["intermediate_size_dense"]
                                  if moe is None or moe["first_k_dense_layers"] > 0 else None),
        "vocabSize": m["vocab_size"],
        "tieWordEmbeddings": m["tie_word_embeddings"],
        "attention": "mla" if is_mla else "gqa",
    }
    if is_mla:
        x = att["mla"]
        entry["mla"] = {"qLoraRank": x["q_lora_rank"], "kvLoraRank": x["kv_lora_rank"],
                        "qkNopeHeadDim": x["qk_nope_head_dim"], "qkRopeHeadDim": x["qk_rope_head_dim"],
                        "vHeadDim": x["v_head_dim"]}
    entry |= {
        "slidingWindow": sliding,
        "attentionSinks": bool(att.get("attention_sinks", False)),
        "qkvBias": bool(att.get("attention_bias", False)) or mid.startswith("qwen2.5"),
        "outputBias": is_gpt_oss,
        "qkNorm": mid.startswith("qwen3"),
        "moe": None if moe is None else {
            "experts": moe["num_experts"],
            "expertsPerToken": moe["experts_per_token"],
            "sharedExperts": moe["shared_experts"],
            "expertIntermediateSize": moe["expert_intermediate_size"],
            "firstDenseLayers": moe["first_k_dense_layers"],
            "expertBias": is_gpt_oss,
            "routerBias": is_gpt_oss or is_deepseek,
        },
        "maxContextTokens": m["max_context_tokens"],
        "defaultWeightPrecision": "fp8" if is_deepseek else "bf16",
    }
    if is_gpt_oss:
        entry["defaultExpertPrecision"] = "fp4"
    entry |= {
        "publishedTotalBillions": num(m["params_total_b_nominal"]),
        "publishedActiveBillions": num(m["params_active_b_nominal"]),
        "releaseDate": m.get("release_date"),
        "sources": ids,
        "asOf": as_of(ids, sources),
        "notes": MODEL_NOTES[mid],
    }
    return entry


def write(path: Path, key: str, entries: list) -> None:
    text = json.dumps({key: entries}, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data")
    acc = json.loads((data / "accelerators.json").read_text(encoding="utf-8"))
    mod = json.loads((data / "models.json").read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "accelerators.json", "accelerators", [accelerator(a, acc["sources"]) for a in acc["accelerators"]])
    write(OUT / "models.json", "models", [model(m, mod["sources"]) for m in mod["models"]])


if __name__ == "__main__":
    main()
