#!/usr/bin/env python3
"""Regenerates files/models/sable-2.4/*.safetensors and prints their sha256 and size.

The shards are synthetic: valid safetensors files (8-byte header length, JSON header,
tensor data) whose tensor data is deterministic pseudo-random bytes (SHA-256 in counter
mode over a fixed seed). Shapes: a rank-4 LoRA adapter on q_proj and v_proj of an
18-layer model with hidden size 1536, 6 layers per shard, bfloat16. Run from this folder.
"""
import hashlib, json, struct, pathlib

HIDDEN, RANK, LAYERS, PER_SHARD = 1536, 4, 18, 6
out = pathlib.Path(__file__).parent / "files/models/sable-2.4"

def stream(seed: str, n: int) -> bytes:
    buf, i = bytearray(), 0
    while len(buf) < n:
        buf += hashlib.sha256(f"{seed}:{i}".encode()).digest(); i += 1
    return bytes(buf[:n])

shards = LAYERS // PER_SHARD
for s in range(shards):
    header, data, off = {"__metadata__": {"format": "pt", "adapter": "sable-2.4", "shard": f"{s+1}/{shards}"}}, bytearray(), 0
    for layer in range(s * PER_SHARD, (s + 1) * PER_SHARD):
        for proj in ("q_proj", "v_proj"):
            for part, shape in (("lora_A", [RANK, HIDDEN]), ("lora_B", [HIDDEN, RANK])):
                name = f"base_model.model.layers.{layer}.self_attn.{proj}.{part}.weight"
                n = shape[0] * shape[1] * 2
                header[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [off, off + n]}
                data += stream(name, n); off += n
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    blob = struct.pack("<Q", len(h)) + h + bytes(data)
    path = out / f"adapter-{s+1:05d}-of-{shards:05d}.safetensors"
    path.write_bytes(blob)
    print(path.name, len(blob), hashlib.sha256(blob).hexdigest())
