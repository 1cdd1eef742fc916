using System.Net;
using System.Text;
using System.Text.Json;

namespace Infercost.Server.Tests;

// Every question beyond cost/fit/sweep/check: the body is the request record the CLI builds from its flags, and the
// answer is byte for byte what the CLI prints with --json.
public sealed class MoreQuestionEndpointTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> Post(string path, string json) =>
        await server.CreateClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Token);

    public static TheoryData<string, string, string> SameAsCli => new()
    {
        { "/api/prices", """{ "provider": "anthropic" }""", "prices --provider anthropic" },
        { "/api/prices", """{ "history": "claude-opus-4.5" }""", "prices --history claude-opus-4.5" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "costIn": 0.01, "costOut": 3 }""", "margin --price-model claude-sonnet-4.5 --cost-in 0.01 --cost-out 3" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": 2, "profile": "chat" }""",
            "margin --price-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2 --profile chat" },
        { "/api/margin", """{ "priceModel": "deepseek-v3", "model": "deepseek-v3", "gpu": "nvidia-h200-sxm", "gpus": 8, "gpuPrice": 3, "profile": "chat", "specMethod": "mtp", "specAcceptance": [0.85] }""",
            "margin --price-model deepseek-v3 --model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --gpu-price 3 --profile chat --spec-method mtp --spec-acceptance 0.85" },
        { "/api/subscription-population", """{ "plan": "max-20x", "users": 2000, "seed": 7 }""", "subscription population --plan max-20x --users 2000 --seed 7" },
        { "/api/subscription-population", """{ "plan": "pro", "users": 500, "mixture": ["0.9:10000:1", "0.1:300000:0.8"], "costOut": 5 }""",
            "subscription population --plan pro --users 500 --mixture 0.9:10000:1 --mixture 0.1:300000:0.8 --cost-out 5" },
        { "/api/workload", """{ "profile": "coding-agent", "model": "claude-sonnet-4.5" }""", "workload --profile coding-agent --model claude-sonnet-4.5" },
        { "/api/workload", """{ "profile": "coding-agent", "model": "claude-sonnet-4.5", "cacheHit": 0.95, "compaction": 0.5, "outputReduction": 0.65, "requestsPerDay": 5000 }""",
            "workload --profile coding-agent --model claude-sonnet-4.5 --cache-hit 0.95 --compaction 0.5 --output-reduction 0.65 --requests-per-day 5000" },
        { "/api/workload", """{ "profile": "chat", "selfHost": true, "serveModel": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": 2 }""",
            "workload --profile chat --self-host --serve-model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2" },
        { "/api/workload", """{ "profile": "chat", "selfHost": true, "serveModel": "deepseek-v3", "gpu": "nvidia-h200-sxm", "gpus": 8, "gpuPrice": 3, "specMethod": "mtp", "specAcceptance": [0.85] }""",
            "workload --profile chat --self-host --serve-model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --gpu-price 3 --spec-method mtp --spec-acceptance 0.85" },
        { "/api/workload", """{ "profile": "chat", "selfHost": true, "serveModel": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "draftModel": "llama-3.1-8b", "specLength": 3, "specAcceptance": [0.8, 0.7] }""",
            "workload --profile chat --self-host --serve-model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --draft-model llama-3.1-8b --spec-length 3 --spec-acceptance 0.8,0.7" },
        { "/api/route", """{ "profile": "chat", "tier": ["claude-opus-4.5=0.1", "claude-sonnet-4.5=0.3", "claude-haiku-4.5=0.6"] }""",
            "route --profile chat --tier claude-opus-4.5=0.1 --tier claude-sonnet-4.5=0.3 --tier claude-haiku-4.5=0.6" },
        { "/api/route", """{ "profile": "rag", "tier": ["gpt-5.4=0.2", "my-llama@0.1/0.4=0.8"], "baseline": "gpt-5.4" }""",
            "route --profile rag --tier gpt-5.4=0.2 --tier my-llama@0.1/0.4=0.8 --baseline gpt-5.4" },
        { "/api/cost", """{ "model": "qwen3-30b-a3b", "gpu": "nvidia-h100-sxm", "gpus": 1, "moeKernel": "cutlass" }""",
            "cost --model qwen3-30b-a3b --gpu nvidia-h100-sxm --gpus 1 --moe-kernel cutlass" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "model": "qwen3-30b-a3b", "gpu": "nvidia-h100-sxm", "gpus": 2, "gpuPrice": 2, "profile": "chat", "moeKernel": "cutlass" }""",
            "margin --price-model claude-sonnet-4.5 --model qwen3-30b-a3b --gpu nvidia-h100-sxm --gpus 2 --gpu-price 2 --profile chat --moe-kernel cutlass" },
        { "/api/check", """{ "model": "qwen3-30b-a3b", "gpu": "nvidia-h100-sxm", "gpus": 2, "decodeTps": 1000, "moeKernel": "cutlass" }""",
            "check --model qwen3-30b-a3b --gpu nvidia-h100-sxm --gpus 2 --decode-tps 1000 --moe-kernel cutlass" },
        { "/api/breakeven", """{ "profile": "chat", "apiModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": 2, "maxUtilisation": 0.8 }""",
            "breakeven --profile chat --api-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2 --max-utilisation 0.8" },
        { "/api/breakeven", """{ "profile": "chat", "apiModel": "deepseek-v3", "model": "deepseek-v3", "gpu": "nvidia-h200-sxm", "gpus": 8, "gpuPrice": 3, "specMethod": "mtp", "specLength": 2, "specAcceptance": [0.85, 0.7] }""",
            "breakeven --profile chat --api-model deepseek-v3 --model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --gpu-price 3 --spec-method mtp --spec-length 2 --spec-acceptance 0.85,0.7" },
        { "/api/subscription-value", """{ "plan": "max-20x" }""", "subscription value --plan max-20x" },
        { "/api/subscription-value", """{ "weeksPerMonth": "52/12", "apiIn": 5, "apiOut": 25 }""", "subscription value --weeks-per-month 52/12 --api-in 5 --api-out 25" },
        { "/api/subscription-cost", """{ "plan": "max-20x", "inputPerDay": 10e6, "outputPerDay": 1e5, "costIn": 0.005, "costOut": 5.13 }""",
            "subscription cost --plan max-20x --input-per-day 10e6 --output-per-day 1e5 --cost-in 0.005 --cost-out 5.13" },
        { "/api/subscription-cost", """{ "plan": "pro", "inputPerDay": 70000, "outputPerDay": 30000, "moeEfficiency": 0.6 }""",
            "subscription cost --plan pro --input-per-day 70000 --output-per-day 30000 --moe-efficiency 0.6" },
        { "/api/price-curve", """{ "model": "gpt-3.5-turbo" }""", "price-curve --model gpt-3.5-turbo" },
        { "/api/price-curve", """{ "factor": 10, "fromPrice": 60, "years": 3, "fromDate": "2025-01-01", "slowFactor": 9.24 }""",
            "price-curve --factor 10 --from-price 60 --years 3 --from-date 2025-01-01 --slow-factor 9.24" },
        { "/api/breakeven", """{ "profile": "chat", "apiModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": 2, "engine": "sglang" }""",
            "breakeven --profile chat --api-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2 --engine sglang" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": 2, "profile": "chat", "engine": "trtllm" }""",
            "margin --price-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2 --profile chat --engine trtllm" },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "gpus": 220000, "claimedMegawatts": 300 }""", "datacenter --gpu nvidia-h100-sxm --gpus 220000 --claimed-megawatts 300" },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "megawatts": 100, "model": "llama-3.3-70b", "tokensPerUserDay": 20000 }""",
            "datacenter --gpu nvidia-h100-sxm --megawatts 100 --model llama-3.3-70b --tokens-per-user-day 20000" },
        { "/api/datacenter", """{ "gpu": "nvidia-b200", "users": 1e7, "tokensPerUserDay": 20000, "model": "deepseek-r1", "engine": "trtllm-1", "pue": 1.1 }""",
            "datacenter --gpu nvidia-b200 --users 1e7 --tokens-per-user-day 20000 --model deepseek-r1 --engine trtllm-1 --pue 1.1" },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "users": 1e6, "tokensPerUserDay": 20000, "prefillTps": 4000, "decodeTps": 1000, "input": 1000, "output": 500 }""",
            "datacenter --gpu nvidia-h100-sxm --users 1e6 --tokens-per-user-day 20000 --prefill-tps 4000 --decode-tps 1000 --input 1000 --output 500" },
        { "/api/check", """{ "model": "llama-3.3-70b", "gpu": "nvidia-a100-sxm-80gb", "gpus": 4, "decodeTps": 556, "engine": "sglang" }""",
            "check --model llama-3.3-70b --gpu nvidia-a100-sxm-80gb --gpus 4 --decode-tps 556 --engine sglang" },
        { "/api/compare", """{ "model": "llama-3.3-70b", "gpu": "nvidia-a100-sxm-80gb", "versus": ["nvidia-h100-sxm", "nvidia-h200-sxm"], "gpus": 8, "claimRatio": 4 }""",
            "compare --model llama-3.3-70b --gpu nvidia-a100-sxm-80gb --versus nvidia-h100-sxm,nvidia-h200-sxm --gpus 8 --claim-ratio 4" },
        { "/api/training", """{ "trainParams": 405e9, "trainTokens": 15.6e12, "trainGpuPrice": 2, "publishedGpuHours": 30.84e6 }""",
            "training --train-params 405e9 --train-tokens 15.6e12 --train-gpu-price 2 --published-gpu-hours 30.84e6" },
        { "/api/training", """{ "trainParams": 37e9, "trainTokens": 14.8e12, "trainPrecision": "fp8", "trainMfu": 0.3, "trainGpus": 2048 }""",
            "training --train-params 37e9 --train-tokens 14.8e12 --train-precision fp8 --train-mfu 0.3 --train-gpus 2048" },
        { "/api/session", """{ "priceModel": "claude-sonnet-4.5", "turns": 12, "gaps": [20, 20, 20, 900] }""", "session --price-model claude-sonnet-4.5 --turns 12 --gaps 20,20,20,900" },
        { "/api/session", """{ "priceModel": "claude-opus-4.5", "turns": 200, "compactAt": 150000, "summaryTokens": 3000, "ttl": "1h" }""",
            "session --price-model claude-opus-4.5 --turns 200 --compact-at 150000 --summary-tokens 3000 --ttl 1h" },
        { "/api/dataflow", """{ "model": "llama-3.3-70b", "gpu": "groq-lpu-v1", "compareGpu": "nvidia-h100-sxm", "engine": "sglang" }""",
            "dataflow --model llama-3.3-70b --gpu groq-lpu-v1 --compare-gpu nvidia-h100-sxm --engine sglang" },
        { "/api/dataflow", """{ "model": "llama-3.3-70b", "gpu": "cerebras-wse-3", "peakTflops": 62500, "chips": 1, "streamGbps": 150 }""",
            "dataflow --model llama-3.3-70b --gpu cerebras-wse-3 --peak-tflops 62500 --chips 1 --stream-gbps 150" },
        { "/api/pnl", """{ "scenario": "deepseek-day6" }""", "pnl deepseek-day6" },
        { "/api/pnl", """{ "scenario": "deepseek-day6", "trainingCost": 5.576e6, "amortiseYears": 1 }""", "pnl deepseek-day6 --training-cost 5.576e6 --amortise-years 1" },
        { "/api/pnl", """{ "scenario": "deepseek-day6", "trainParams": 37e9, "trainTokens": 14.8e12 }""", "pnl deepseek-day6 --train-params 37e9 --train-tokens 14.8e12" },
        { "/api/pnl", """{ "gpus": 1814, "gpuPrice": 2, "inputTokens": 608e9, "cachedTokens": 342e9, "outputTokens": 168e9, "priceIn": 0.55, "priceCached": 0.14, "priceOut": 2.19 }""",
            "pnl --gpus 1814 --gpu-price 2 --input-tokens 608e9 --cached-tokens 342e9 --output-tokens 168e9 --price-in 0.55 --price-cached 0.14 --price-out 2.19" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 5, "requests": 300, "input": 500, "output": 100 }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 5 --requests 300 --input 500 --output 100" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 2, "rate": 4, "duration": "60s", "sloTtft": "1s", "sloTpot": "30ms", "arrival": "gamma", "cv": 3, "outputDist": "lognormal:100:0.5", "gpuPrice": 2 }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 2 --rate 4 --duration 60s --slo-ttft 1s --slo-tpot 30ms --arrival gamma --cv 3 --output-dist lognormal:100:0.5 --gpu-price 2" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 8, "requests": 300, "input": 500, "output": 100, "router": "least-tokens", "pool": ["gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5"] }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 8 --requests 300 --input 500 --output 100 --router least-tokens --pool gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 2, "rate": 2, "requests": 400, "input": 300, "output": 50, "turns": 4, "router": "session", "prefixCache": "2GB", "kvOffload": "100GB@25GB/s" }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 2 --rate 2 --requests 400 --input 300 --output 50 --turns 4 --router session --prefix-cache 2GB --kv-offload 100GB@25GB/s" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 8, "requests": 300, "input": 500, "output": 100, "role": "prefill", "pool": ["gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5,role=decode"] }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 8 --requests 300 --input 500 --output 100 --role prefill --pool gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5,role=decode" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": 24, "requests": 300, "input": 500, "output": 100, "pool": ["gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5"] }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 24 --requests 300 --input 500 --output 100 --pool gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 8, "requests": 300, "input": 500, "output": 100, "pool": ["gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5"], "mtbf": "30s", "repairTime": "10s" }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 8 --requests 300 --input 500 --output 100 --pool gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5 --mtbf 30s --repair-time 10s" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 8, "requests": 300, "input": 500, "output": 100, "pool": ["gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5"], "autoscaleMin": 1, "coldStart": "20s" }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 8 --requests 300 --input 500 --output 100 --pool gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5 --autoscale-min 1 --cold-start 20s" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 8, "requests": 300, "input": 500, "output": 100, "pool": ["gpu=nvidia-a100-sxm-80gb,gpus=2"], "runs": 3 }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 8 --requests 300 --input 500 --output 100 --pool gpu=nvidia-a100-sxm-80gb,gpus=2 --runs 3" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": 16, "requests": 200, "input": 300, "output": 50 }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 16 --requests 200 --input 300 --output 50" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 6, "requests": 300, "input": 500, "output": 100, "bands": true }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 6 --requests 300 --input 500 --output 100 --bands" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 6, "requests": 300, "input": 500, "output": 100, "bands": true, "runs": 3 }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 6 --requests 300 --input 500 --output 100 --bands --runs 3" },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 30, "input": 200, "output": 50, "maxGpusPerReplica": 1, "trialTime": "10s" }""",
            "plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate 30 --input 200 --output 50 --max-gpus-per-replica 1 --trial-time 10s" },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 30, "input": 200, "output": 50, "maxGpusPerReplica": 1, "trialTime": "10s", "bands": true }""",
            "plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate 30 --input 200 --output 50 --max-gpus-per-replica 1 --trial-time 10s --bands" },
        { "/api/search", """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "gpusPerReplica": [1, 2], "rate": 5, "input": 200, "output": 50, "trialTime": "10s", "trialRequests": 1000 }""",
            "search --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus-per-replica 1,2 --rate 5 --input 200 --output 50 --trial-time 10s --trial-requests 1000" },
        { "/api/speculate", """{ "model": "deepseek-v3", "gpu": "nvidia-h100-sxm", "gpus": 16, "specAcceptance": [0.85] }""",
            "speculate --model deepseek-v3 --gpu nvidia-h100-sxm --gpus 16 --spec-acceptance 0.85" },
        { "/api/speculate", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "specMethod": "draft", "draftModel": "llama-3.1-8b", "specLength": 4, "specAcceptance": [0.8, 0.75, 0.7], "batches": [1, 8, 64] }""",
            "speculate --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 4 --spec-method draft --draft-model llama-3.1-8b --spec-length 4 --spec-acceptance 0.8,0.75,0.7 --batches 1,8,64" },
        { "/api/speculate", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "tp": 4, "specMethod": "medusa", "specTopk": [[0.6, 0.15, 0.08], [0.4, 0.12], [0.3]], "specTreeNodes": 6, "batches": [1, 16] }""",
            "speculate --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 4 --tp 4 --spec-method medusa --spec-topk 0.6,0.15,0.08/0.4,0.12/0.3 --spec-tree-nodes 6 --batches 1,16" },
        { "/api/search", """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "gpusPerReplica": [1], "rate": 2, "input": 200, "output": 50, "trialTime": "10s", "trialRequests": 1000, "specMethod": ["eagle", "medusa"], "specTopk": [[0.6, 0.2], [0.4]], "specTree": [2, 1], "specAcceptanceFor": { "eagle": [0.8, 0.7] } }""",
            "search --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus-per-replica 1 --rate 2 --input 200 --output 50 --trial-time 10s --trial-requests 1000 --spec-method eagle,medusa --spec-topk 0.6,0.2/0.4 --spec-tree 2,1 --spec-acceptance-for eagle=0.8,0.7" },
        { "/api/frontier", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": [1, 4], "input": 200, "output": 50 }""",
            "frontier --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 1,4 --input 200 --output 50" },
    };

    [Theory]
    [MemberData(nameof(SameAsCli))]
    public async Task Question_ReturnsTheCliJsonRecord(string path, string body, string cli)
    {
        var response = await Post(path, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CliJson.Run(cli.Split(' ')), await response.Content.ReadAsStringAsync(Token));
    }

    public static TheoryData<string, string, string, string> Invalid => new()
    {
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 0 }""", "rate", "rate must be in [1E-06, 1E+06]; was 0." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "sloTpot": "fast" }""", "sloTpot", "sloTpot must be a duration such as 2s, 50ms or 1.5 (seconds); was 'fast'." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "concurrency": 4 }""", "concurrency", "concurrency runs a closed loop; drop rate/rateCurve, or drop concurrency." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1 }""", "rate", "rate is required: give rate REQ/S, rateCurve FILE or concurrency N." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "batch": 8 }""", "batch", "batch does not apply to a simulation" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "requests": 100000000 }""", "requests",
            "requests 100000000 means about 100,000,000 requests × 1000 output tokens = 100 billion tokens to simulate; one run simulates at most 2 billion" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "router": "random" }""", "router", "router must be" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "prefixCache": "kv" }""", "prefixCache",
            "prefixCache lets each replica's prefix cache decide what a session's follow-up turn finds; add turns, or drop it." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "turns": 3, "prefixCache": "lots" }""", "prefixCache",
            "prefixCache must be kv, unbounded, off, a block count or a size such as 200GB; was 'lots'." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "turns": 3, "prefixCache": "kv", "kvOffload": "1TB@0GB/s" }""", "kvOffload",
            "kvOffload tier 1 must be SIZE@BANDWIDTH such as 1TB@50GB/s; was '1TB@0GB/s'." },
        { "/api/frontier", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": [0] }""", "concurrency", "concurrency must be in [1, 1000000]; was 0." },
        { "/api/cost", """{ "model": "qwen3-30b-a3b", "gpu": "nvidia-h100-sxm", "gpus": 1, "moeKernel": "fast" }""", "moeKernel",
            "moeKernel must be one of trtllm-gen, cutlass, triton; was 'fast'." },
        { "/api/cost", """{ "model": "qwen3-30b-a3b", "gpu": "nvidia-h100-sxm", "gpus": 1, "moeKernel": "trtllm-gen" }""", "moeKernel",
            "moeKernel trtllm-gen runs on Blackwell (SM100) only; this accelerator is hopper." },
        { "/api/cost", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "moeKernel": "triton" }""", "moeKernel",
            "moeKernel triton runs routed experts; llama-3.1-8b is dense and has none." },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "megawatts": 10, "moeKernel": "cutlass" }""", "moeKernel",
            "moeKernel applies to the engine's rate; add model." },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 1, "moeKernel": "triton" }""", "moeKernel",
            "moeKernel triton runs routed experts; llama-3.1-8b is dense and has none." },
        { "/api/frontier", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "outputDist": "10000000" }""", "gpus", "Not even one sequence fits" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "costIn": 1 }""", "costIn", "give both costIn and costOut." },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "costIn": 1, "costOut": 2, "gpus": 8 }""", "gpus", "give either costIn/costOut or the engine's cluster (gpus), not both." },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm" }""", "gpus", "gpus is required for a self-hosted cluster" },
        { "/api/margin", """{ "costIn": 1, "costOut": 2 }""", "priceModel", "priceModel is required" },
        { "/api/margin", """{ "priceModel": "deepseek-v3", "costIn": 1, "costOut": 2, "specMethod": "mtp" }""", "specMethod",
            "give either costIn/costOut or the engine's cluster (specMethod), not both." },
        { "/api/subscription-population", """{ "plan": "max-20x", "users": 0 }""", "users", "users must be in [1, 10000000]; was 0." },
        { "/api/subscription-population", """{ "plan": "platinum" }""", "plan", "unknown plan 'platinum'" },
        { "/api/subscription-population", """{ "plan": "pro", "sigma": 9 }""", "sigma", "sigma must be in [0, 5]; was 9." },
        { "/api/workload", """{ "profile": "chat" }""", "model", "give model ID to price an API model, or selfHost with serveModel, gpu and gpus." },
        { "/api/workload", """{ "model": "gpt-5", "gpu": "nvidia-h100-sxm" }""", "gpu", "gpu applies to a self-hosted cluster; add selfHost." },
        { "/api/workload", """{ "model": "claude-sonnet-4.5", "compaction": 1 }""", "compaction", "compaction must be in [0, 0.99]; was 1." },
        { "/api/workload", """{ "model": "claude-sonnet-4.5", "requestsPerDay": -1 }""", "requestsPerDay", "requestsPerDay must be in [0, 1E+12]; was -1." },
        { "/api/workload", """{ "model": "claude-sonnet-4.5", "profile": "chatt" }""", "profile", "unknown workload profile 'chatt'" },
        { "/api/workload", """{ "selfHost": true, "serveModel": "llama-3.3-70b", "gpu": "nvidia-h100-sxm" }""", "gpus", "gpus is required for a self-hosted cluster (with the model, gpu and gpus)." },
        { "/api/workload", """{ "model": "gpt-5", "specMethod": "mtp" }""", "specMethod", "specMethod applies to a self-hosted cluster's decoding; add selfHost." },
        { "/api/workload", """{ "selfHost": true, "serveModel": "deepseek-v3", "gpu": "nvidia-h200-sxm", "gpus": 8, "specMethod": "mtp", "specAcceptance": [1.5] }""", "specAcceptance", "specAcceptance must be in [0, 1]; was 1.5." },
        { "/api/workload", """{ "selfHost": true, "serveModel": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "specMethod": "mtp" }""", "specMethod", "llama-3.3-70b has none" },
        { "/api/workload", """{ "selfHost": true, "serveModel": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "draftModel": "no-such-model" }""", "draftModel", "no-such-model" },
        { "/api/route", """{ "tier": ["claude-opus-4.5"] }""", "tier", "tier must be MODEL=SHARE or NAME@IN/OUT=SHARE; was 'claude-opus-4.5'." },
        { "/api/route", """{ "profile": "chat" }""", "tier", "tier is required" },
        { "/api/breakeven", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8 }""", "apiModel", "apiModel is required" },
        { "/api/breakeven", """{ "apiModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "maxUtilisation": 0 }""", "maxUtilisation", "maxUtilisation must be in [0.01, 1]; was 0." },
        { "/api/breakeven", """{ "apiModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm" }""", "gpus", "gpus is required for a self-hosted cluster" },
        { "/api/breakeven", """{ "apiModel": "deepseek-v3", "model": "deepseek-v3", "gpu": "nvidia-h200-sxm", "gpus": 8, "specMethod": "mtp", "specAcceptance": [1.5] }""", "specAcceptance",
            "specAcceptance must be in [0, 1]; was 1.5." },
        { "/api/subscription-value", """{ "apiIn": 5 }""", "apiOut", "apiIn and apiOut go together; give both or neither." },
        { "/api/subscription-value", """{ "weeksPerMonth": "9" }""", "weeksPerMonth", "weeksPerMonth must be in [1, 6]; was 9." },
        { "/api/subscription-cost", """{ "plan": "pro", "moeEfficiency": 0 }""", "moeEfficiency", "moeEfficiency must be in [0.001, 1]; was 0." },
        { "/api/subscription-cost", """{ "inputPerDay": 5 }""", "plan", "plan is required" },
        { "/api/price-curve", """{ }""", "points", "give exactly one of points FILE.csv, model ID or factor X." },
        { "/api/price-curve", """{ "factor": 10 }""", "fromPrice", "factor needs fromPrice (the starting $/MTok)." },
        { "/api/price-curve", """{ "points": "2024-01-01,1\n" }""", "points", "points must number at least 2 to fit a curve; points has 1." },
        { "/api/price-curve", """{ "factor": 10, "fromPrice": 1, "years": 1000 }""", "years", "years must be in [0.001, 100]; was 1000." },
        { "/api/check", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "prefillTps": 1000, "engine": "vllm" }""", "engine",
            "engine picks the serving model that reads a decodeTps claim; the rooflines of other claims do not depend on it." },
        { "/api/compare", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8 }""", "versus", "versus is required" },
        { "/api/compare", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "versus": ["nvidia-h100-sxm"] }""", "versus", "versus names nvidia-h100-sxm twice" },
        { "/api/dataflow", """{ "model": "llama-3.3-70b", "gpu": "cerebras-wse-3" }""", "peakTflops", "peakTflops is required: the catalog has no dense fp16 peak for cerebras-wse-3" },
        { "/api/dataflow", """{ "model": "llama-3.3-70b", "gpu": "groq-lpu-v1", "compareBatch": 8 }""", "compareBatch", "compareBatch describes the compared GPU; add compareGpu." },
        { "/api/dataflow", """{ "model": "llama-3.3-70b", "gpu": "groq-lpu-v1", "sramUsable": 2 }""", "sramUsable", "sramUsable must be in [0.01, 1]; was 2." },
        { "/api/session", """{ "turns": 3 }""", "priceModel", "priceModel is required" },
        { "/api/session", """{ "priceModel": "claude-sonnet-4.5", "ttl": "10m" }""", "ttl", "ttl must be 5m or 1h; was '10m'." },
        { "/api/session", """{ "priceModel": "claude-sonnet-4.5", "gaps": [20, -1] }""", "gaps", "gaps must be in [0, 1E+08]; was -1." },
        { "/api/session", """{ "priceModel": "claude-sonnet-4.5", "compactAt": 1000, "summaryTokens": 2000 }""", "summaryTokens", "summaryTokens must be below compactAt (1000); was 2000." },
        { "/api/session", """{ "priceModel": "gpt-4o", "ttl": "1h" }""", "ttl", "ttl 1h has no price for gpt-4o" },
        { "/api/training", """{ "trainTokens": 1e12 }""", "trainParams", "trainParams is required to estimate a training run (with trainTokens)." },
        { "/api/training", """{ "trainParams": 1e9, "trainTokens": 1e12, "trainMfu": 2 }""", "trainMfu", "trainMfu must be in [0.0001, 1]; was 2." },
        { "/api/training", """{ "trainParams": 1e9, "trainTokens": 1e12, "trainGpu": "nvidia-h100-sxm", "trainPrecision": "fp4" }""", "trainPrecision", "trainPrecision fp4 has no dense peak on nvidia-h100-sxm" },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm" }""", "gpus", "Give one of gpus, megawatts, capex, tokensPerDay or users to size the datacentre." },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "gpus": 8, "megawatts": 1 }""", "megawatts", "Give only one of gpus, megawatts, capex, tokensPerDay, users; was gpus and megawatts." },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "tokensPerDay": 1e9 }""", "tokensPerDay", "tokensPerDay needs a serving rate (model, or prefillTps and decodeTps) to turn into accelerators." },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "gpus": 8, "engine": "vllm" }""", "engine", "engine applies to the engine's rate; add model." },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "gpus": 8, "pue": 0.5 }""", "pue", "pue must be in [1, 3]; was 0.5." },
        { "/api/datacenter", """{ "gpu": "nvidia-h100-sxm", "gpus": 10, "model": "deepseek-r1", "replicaGpus": 1 }""", "replicaGpus", "replicaGpus 1: deepseek-r1 does not fit on 1 × nvidia-h100-sxm" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "costIn": 1, "costOut": 2, "engine": "vllm" }""", "engine", "give either costIn/costOut or the engine's cluster (engine), not both." },
        { "/api/workload", """{ "profile": "chat", "selfHost": true, "serveModel": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "engine": "tgi" }""", "engine", "engine must be one of" },
        { "/api/pnl", """{ "scenario": "deepseek-day6", "gpus": 8 }""", "gpus", "gpus cannot change the built-in scenario deepseek-day6" },
        { "/api/pnl", """{ "gpus": 8 }""", "priceIn", "priceIn is required without a scenario" },
        { "/api/pnl", """{ "scenario": "deepseek-day6", "amortiseYears": 3 }""", "amortiseYears", "amortiseYears applies to the lab view; add trainingCost (or trainParams and trainTokens)." },
        { "/api/pnl", """{ "scenario": "deepseek-day6", "hours": 0 }""", "hours", "hours must be in [0.000277778, 8784]; was 0." },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm" }""", "rate", "rate is required: give rate REQ/S or rateCurve FILE." },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 1, "prefillGpusPerReplica": 2 }""", "disaggregated",
            "prefillGpusPerReplica and decodeGpusPerReplica size the pools of disaggregated; add disaggregated." },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 1, "maxGpusPerReplica": 2000 }""", "maxGpusPerReplica", "maxGpusPerReplica must be in [1, 1024]; was 2000." },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 1, "trialTime": "forever" }""", "trialTime", "trialTime must be a duration" },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 1, "gpuPrice": 2, "owned": true }""", "gpuPrice", "gpuPrice is a rental price; with owned give purchasePrice instead." },
        { "/api/search", """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "rate": 5, "top": 0 }""", "top", "top must be in [1, 1000]; was 0." },
        { "/api/search", """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "rate": 5, "gpusPerReplica": [1, 2, 4, 8], "layouts": "widest", "maxBatch": [8, 16, 32, 64, 128], "prefillChunk": [512, 1024, 2048, 4096] }""",
            "candidates", "must be in [1, 64] for POST /api/search; was 80. Narrow a list, or run it as a job: POST /api/jobs/search." },
        { "/api/search", """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "rate": 5, "state": "s.jsonl" }""", "state", "state is not a field of this request" },
        { "/api/cost", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "engineProfile": { "format": "x", "engine": "vllm", "stepOverheadMs": 3, "mbu": 0.7, "model": "m", "accelerator": "a", "gpus": 1, "layout": "TP1", "levels": 4, "source": "s" } }""",
            "engineProfile", "engineProfile: not an engine profile (format must be 'infercost-engine-profile/1'; was 'x')" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "engineProfile": { "format": "infercost-engine-profile/1", "engine": "vllm", "stepOverheadMs": 3, "mbu": 7, "model": "m", "accelerator": "a", "gpus": 1, "layout": "TP1", "levels": 4, "source": "s" } }""",
            "engineProfile", "engineProfile: mbu must be in" },
        { "/api/prices", """{ "provider": "nobody-sells-this" }""", "model", "no prices match the filters" },
        { "/api/cost", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "specMethod": "medusa", "specTopk": [[0.6, 0.75]] }""", "specTopk",
            "specTopk head 1 must give each rank's own accuracy from top-1 down (non-increasing); was 0.6, 0.75." },
        { "/api/plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 1, "specMethod": "medusa", "specTreeNodes": 4 }""", "specTreeNodes",
            "specTreeNodes builds the tree from the heads' accuracies: give specTopk too." },
        { "/api/search", """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "rate": 5, "specMethod": ["eagle"], "specAcceptanceFor": { "mtp": [0.85] } }""", "specAcceptanceFor",
            "specAcceptanceFor must name methods that specMethod lists (eagle); was 'mtp'." },
        { "/api/speculate", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "specAcceptance": [1.5] }""", "specAcceptance", "specAcceptance must be in [0, 1]; was 1.5." },
        { "/api/speculate", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "specMethod": "lookahead" }""", "specMethod", "specMethod must be" },
        { "/api/speculate", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "batches": [] }""", "batches", "batches must list 1 to" },
        { "/api/speculate", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "draftModel": "no-such-model" }""", "draftModel", "no-such-model" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "pool": ["gpus=2,tp=0"] }""", "pool", "pool 'gpus=2,tp=0': tp must be in [1, 1024]; was 0." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "pool": ["gpus=2"], "autoscaleMin": 4 }""", "autoscaleMin", "autoscaleMin must be in [0, 3] (the replicas of the fleet); was 4." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": 8, "pool": ["gpus=2"], "mtbf": "1h" }""", "mtbf", "mtbf fails replicas of an open-loop fleet; it does not apply to concurrency." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "pool": ["gpus=2,role=decode"] }""", "pool",
            "pool 'gpus=2,role=decode': role=decode needs a role on every pool, and pool 1 (the request's own replicas) is combined; give it role prefill or decode." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "role": "prefill", "pool": ["gpus=2,role=prefill"] }""", "pool",
            "pool 'gpus=2,role=prefill': every pool is role=prefill; a fleet with roles needs at least one decode pool too." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "role": "both", "pool": ["gpus=2,role=decode"] }""", "role", "role must be one of combined, prefill, decode; was 'both'." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task InvalidInput_Is400NamingTheField(string path, string body, string field, string detail)
    {
        var response = await Post(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(field, json.RootElement.GetProperty("field").GetString());
        Assert.Contains(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    // The profile calibrate deployment writes (--profile-out): the server takes the same object in the body.
    private const string Profile = """{ "format": "infercost-engine-profile/1", "engine": "vllm", "stepOverheadMs": 3, "mbu": 0.7, "model": "llama-3.1-8b", "accelerator": "nvidia-h100-sxm", "gpus": 1, "layout": "TP1", "levels": 4, "source": "mine.csv" }""";

    [Fact]
    public async Task Cost_WithAnEngineProfileObject_IsTheCliWithEngineProfileFile()
    {
        var response = await Post("/api/cost", $$"""{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "engineProfile": {{Profile}} }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cli = CliJson.RunWithFiles(new Dictionary<string, string> { ["mine.json"] = Profile },
            "cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--engine-profile", "mine.json");
        Assert.Equal(cli, await response.Content.ReadAsStringAsync(Token));
        Assert.DoesNotContain("\"engineProfile\": null", cli, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryQuestionAndTheJobs()
    {
        var document = await server.CreateClient().GetStringAsync("/openapi/v1.json", Token);

        foreach (var name in new[] { "prices", "margin", "speculate", "subscription-population", "simulate", "frontier", "search", "jobs/simulate", "jobs/search", "jobs/{id}/events" })
        {
            Assert.Contains($"\"/api/{name}\"", document, StringComparison.Ordinal);
        }
    }
}
