// Writes a small Llama-architecture model as a GGUF v3 file (all tensors F32, seeded random weights) so that a real
// inference engine (llama.cpp, through node-llama-cpp) can serve it on the CPU in tests. No weights are downloaded:
// the file is made here. The layout follows the GGUF specification (ggml docs/gguf.md): header, metadata key/value
// pairs, tensor infos, padding to general.alignment, tensor data.
//
// The vocabulary is SentencePiece-style ("llama" tokenizer model): <unk>, <s>, </s>, then the 95 printable ASCII
// characters as normal pieces and the 256 byte-fallback pieces <0x00>..<0xFF>. Any text tokenizes (one token per
// ASCII character, byte fallback otherwise), so the prompt's token count is known to the test.
//
// usage: node make-model.mjs OUT.gguf [--layers N] [--embd N] [--ff N] [--heads N] [--seed N]
import { writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const out = args[0];
if (!out) { console.error("usage: node make-model.mjs OUT.gguf [--layers N] [--embd N] [--ff N] [--heads N] [--seed N]"); process.exit(2); }
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : Number(args[i + 1]); };
const layers = opt("--layers", 4), embd = opt("--embd", 256), ff = opt("--ff", 768), heads = opt("--heads", 4);
let seed = opt("--seed", 1) >>> 0;
const headDim = embd / heads;
if (!Number.isInteger(headDim)) { console.error("--embd must be a multiple of --heads"); process.exit(2); }

const tokens = ["<unk>", "<s>", "</s>"], types = [2, 3, 3];
tokens.push("\u2581"); types.push(1); // SentencePiece writes a space as U+2581
for (let c = 33; c < 127; c++) { tokens.push(String.fromCharCode(c)); types.push(1); }
for (let b = 0; b < 256; b++) { tokens.push("<0x" + b.toString(16).toUpperCase().padStart(2, "0") + ">"); types.push(6); }
const vocab = tokens.length;

// --- a little-endian byte writer ---
const chunks = []; let size = 0;
const push = (buf) => { chunks.push(buf); size += buf.length; };
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); push(b); };
const i32 = (v) => { const b = Buffer.alloc(4); b.writeInt32LE(v); push(b); };
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); push(b); };
const f32 = (v) => { const b = Buffer.alloc(4); b.writeFloatLE(v); push(b); };
const str = (s) => { const b = Buffer.from(s, "utf8"); u64(b.length); push(b); };
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9 };

const kv = [
  ["general.architecture", T.STRING, "llama"],
  ["general.name", T.STRING, "infercost-tiny-llama"],
  ["general.alignment", T.UINT32, 32],
  ["general.file_type", T.UINT32, 0],
  ["llama.context_length", T.UINT32, 4096],
  ["llama.embedding_length", T.UINT32, embd],
  ["llama.block_count", T.UINT32, layers],
  ["llama.feed_forward_length", T.UINT32, ff],
  ["llama.attention.head_count", T.UINT32, heads],
  ["llama.attention.head_count_kv", T.UINT32, heads],
  ["llama.rope.dimension_count", T.UINT32, headDim],
  ["llama.rope.freq_base", T.FLOAT32, 10000],
  ["llama.attention.layer_norm_rms_epsilon", T.FLOAT32, 1e-5],
  ["llama.vocab_size", T.UINT32, vocab],
  ["tokenizer.ggml.model", T.STRING, "llama"],
  ["tokenizer.ggml.tokens", T.ARRAY, [T.STRING, tokens]],
  ["tokenizer.ggml.scores", T.ARRAY, [T.FLOAT32, tokens.map(() => 0)]],
  ["tokenizer.ggml.token_type", T.ARRAY, [T.INT32, types]],
  ["tokenizer.ggml.unknown_token_id", T.UINT32, 0],
  ["tokenizer.ggml.bos_token_id", T.UINT32, 1],
  ["tokenizer.ggml.eos_token_id", T.UINT32, 2],
  ["tokenizer.ggml.add_bos_token", T.BOOL, true],
  ["tokenizer.ggml.add_eos_token", T.BOOL, false],
  ["tokenizer.ggml.add_space_prefix", T.BOOL, false],
];

// Tensor shapes in GGUF order (ne[0] is the row length, the input dimension of a weight matrix).
const tensors = [["token_embd.weight", [embd, vocab]], ["output_norm.weight", [embd]], ["output.weight", [embd, vocab]]];
for (let l = 0; l < layers; l++) {
  tensors.push([`blk.${l}.attn_norm.weight`, [embd]], [`blk.${l}.attn_q.weight`, [embd, embd]],
    [`blk.${l}.attn_k.weight`, [embd, embd]], [`blk.${l}.attn_v.weight`, [embd, embd]],
    [`blk.${l}.attn_output.weight`, [embd, embd]], [`blk.${l}.ffn_norm.weight`, [embd]],
    [`blk.${l}.ffn_gate.weight`, [embd, ff]], [`blk.${l}.ffn_up.weight`, [embd, ff]], [`blk.${l}.ffn_down.weight`, [ff, embd]]);
}

push(Buffer.from("GGUF", "ascii")); u32(3); u64(tensors.length); u64(kv.length);
for (const [key, type, value] of kv) {
  str(key); u32(type);
  if (type === T.STRING) str(value);
  else if (type === T.UINT32) u32(value);
  else if (type === T.FLOAT32) f32(value);
  else if (type === T.BOOL) push(Buffer.from([value ? 1 : 0]));
  else if (type === T.ARRAY) {
    const [elem, items] = value; u32(elem); u64(items.length);
    for (const item of items) elem === T.STRING ? str(item) : elem === T.FLOAT32 ? f32(item) : i32(item);
  }
}
const align = 32, pad = (n) => (align - (n % align)) % align;
let offset = 0;
for (const [name, shape] of tensors) {
  str(name); u32(shape.length); for (const d of shape) u64(d); u32(0 /* F32 */); u64(offset);
  const bytes = shape.reduce((a, b) => a * b, 1) * 4; offset += bytes + pad(bytes);
}
push(Buffer.alloc(pad(size)));

// xorshift32, then a Box-Muller normal scaled like an initialised transformer (std 0.02; norms are ones).
const rand = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return (seed + 0.5) / 4294967296; };
for (const [name, shape] of tensors) {
  const n = shape.reduce((a, b) => a * b, 1), buf = Buffer.alloc(n * 4);
  const isNorm = name.endsWith("norm.weight");
  for (let i = 0; i < n; i++) buf.writeFloatLE(isNorm ? 1 : 0.02 * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()), i * 4);
  push(buf); push(Buffer.alloc(pad(buf.length)));
}
writeFileSync(out, Buffer.concat(chunks, size));
console.log(`${out}: ${layers} layers, embd ${embd}, ff ${ff}, ${heads} heads, vocab ${vocab}, ${size} bytes`);
