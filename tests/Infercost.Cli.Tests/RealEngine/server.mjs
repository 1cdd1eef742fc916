// An OpenAI-compatible HTTP front for a real inference engine: llama.cpp, through node-llama-cpp's prebuilt CPU
// binaries (npm packages, no download at run time). The tests run `infercost measure` against it, so that the load
// generator meets a real engine's tokenizer, batching and timing, not only Infercost's own emulator.
//
// What the engine does: tokenization (the model file's SentencePiece vocabulary), prefill, decode with the KV cache,
// and batching of the sequences in flight (one llama.cpp context with --slots sequences; node-llama-cpp evaluates the
// queued tokens of all of them in one batch). What this file does: HTTP, the OpenAI request and response shapes
// (chat/completions and completions, streamed as server-sent events or whole), a FIFO of requests waiting for a free
// slot, and usage counts. Chat messages are joined with newlines (no chat template: the test model has none).
//
// usage: node server.mjs --model FILE.gguf [--name NAME] [--port N] [--slots N] [--threads N] [--context N]
// Prints "listening http://127.0.0.1:PORT" on stdout once the model is loaded (port 0 picks a free one).
import http from "node:http";
import { getLlama } from "node-llama-cpp";

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
const modelPath = opt("--model");
if (!modelPath) { console.error("usage: node server.mjs --model FILE.gguf [--name NAME] [--port N] [--slots N] [--threads N]"); process.exit(2); }
const name = opt("--name", "tiny-llama");
const slots = Number(opt("--slots", "4"));
const threads = Number(opt("--threads", "1"));
const contextPerSlot = Number(opt("--context", "1024"));

const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ sequences: slots, contextSize: contextPerSlot * slots, threads });
const eos = model.tokens.eos;

const free = Array.from({ length: slots }, () => context.getSequence());
const waiting = [];
const acquire = () => free.length > 0 ? Promise.resolve(free.pop()) : new Promise((resolve) => waiting.push(resolve));
const release = async (sequence) => {
  await sequence.clearHistory();
  const next = waiting.shift();
  if (next) next(sequence); else free.push(sequence);
};

const json = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
};
const error = (res, status, message, type) => json(res, status, { error: { message, type, code: status } });

async function complete(req, res, chat) {
  let body;
  try { body = JSON.parse(await readBody(req)); } catch { return error(res, 400, "request body is not JSON", "invalid_request_error"); }
  if (body.model !== name) return error(res, 404, `The model '${body.model}' does not exist.`, "NotFoundError");
  const text = chat ? (Array.isArray(body.messages) ? body.messages.map((m) => String(m.content ?? "")).join("\n") : null) : body.prompt;
  if (typeof text !== "string") return error(res, 400, chat ? "messages must be a list" : "prompt must be a string", "invalid_request_error");
  const maxTokens = body.max_tokens ?? body.max_completion_tokens ?? 16;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) return error(res, 400, "max_tokens must be a positive integer", "invalid_request_error");
  const prompt = model.tokenize(text);
  if (prompt.length + maxTokens > contextPerSlot)
    return error(res, 400, `prompt (${prompt.length} tokens) + max_tokens (${maxTokens}) exceeds the context of ${contextPerSlot}`, "invalid_request_error");

  const stream = body.stream === true, usageInStream = body.stream_options?.include_usage === true, ignoreEos = body.ignore_eos === true;
  const id = `cmpl-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, created = Math.floor(Date.now() / 1000);
  const object = chat ? (stream ? "chat.completion.chunk" : "chat.completion") : "text_completion";
  const choice = (piece, finish) => chat
    ? (stream ? { index: 0, delta: piece === null ? {} : { content: piece }, finish_reason: finish } : { index: 0, message: { role: "assistant", content: piece }, finish_reason: finish })
    : { index: 0, text: piece ?? "", finish_reason: finish };

  let closed = false;
  res.on("close", () => { closed = !res.writableFinished; });
  const sequence = await acquire();
  let generated = 0, finish = "length", whole = "";
  try {
    if (stream) res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    for await (const token of sequence.evaluate(prompt, { temperature: 0 })) {
      if (closed) break;
      if (token === eos && !ignoreEos) { finish = "stop"; break; }
      generated++;
      const piece = model.detokenize([token]);
      if (stream) res.write(`data: ${JSON.stringify({ id, object, created, model: name, choices: [choice(piece, null)] })}\n\n`);
      else whole += piece;
      if (generated >= maxTokens) break;
    }
  } finally {
    await release(sequence);
  }
  if (closed) return;
  const usage = { prompt_tokens: prompt.length, completion_tokens: generated, total_tokens: prompt.length + generated };
  if (stream) {
    res.write(`data: ${JSON.stringify({ id, object, created, model: name, choices: [choice(null, finish)] })}\n\n`);
    if (usageInStream) res.write(`data: ${JSON.stringify({ id, object, created, model: name, choices: [], usage })}\n\n`);
    res.end("data: [DONE]\n\n");
  } else {
    json(res, 200, { id, object, created, model: name, choices: [choice(whole, finish)], usage });
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0; const parts = [];
    req.on("data", (c) => { size += c.length; if (size > 1 << 20) { reject(new Error("body too large")); req.destroy(); } else parts.push(c); });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? "").split("?")[0];
  if (req.method === "GET" && path === "/v1/models")
    return json(res, 200, { object: "list", data: [{ id: name, object: "model", created: 0, owned_by: "llama.cpp" }] });
  if (req.method === "POST" && (path === "/v1/chat/completions" || path === "/v1/completions"))
    return complete(req, res, path === "/v1/chat/completions").catch((e) => { if (!res.headersSent) error(res, 500, String(e?.message ?? e), "server_error"); else res.destroy(); });
  error(res, 404, `no route ${req.method} ${path}`, "NotFoundError");
});
server.listen(Number(opt("--port", "0")), "127.0.0.1", () => console.log(`listening http://127.0.0.1:${server.address().port}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
