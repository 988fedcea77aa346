#!/usr/bin/env python3
"""Writes the tiny random Idefics3 folders in test/fixtures/ and their reference outputs.

The reference is an independent PyTorch re-statement of Hugging Face transformers' modeling_idefics3.py
(vision embeddings with bucketized position ids, SigLIP-style encoder, pixel-shuffle connector) and
modeling_llama.py (RMSNorm, rotate_half RoPE, grouped-query attention via repeat_kv, SwiGLU MLP, eager
attention with the 4-d causal + padding mask), written from their public source. Transformers itself cannot
be installed on the machines this project builds on; Debian's python3-torch, python3-numpy and python3-jinja2
can:

    apt-get install -y python3-torch python3-numpy python3-jinja2
    /usr/bin/python3 packages/hf-vlm/scripts/make-fixtures.py

Each fixture folder is laid out like a Hub repository (config.json, safetensors weights, tokenizer.json,
tokenizer_config.json, chat_template.json, preprocessor_config.json, processor_config.json,
generation_config.json). Beside it, <name>.cases.json holds the inputs and <name>.cases.safetensors the
reference outputs (float32) the tests compare against.
"""

import json
import math
import os
import struct
import sys

import jinja2
import numpy as np
import torch

torch.set_grad_enabled(False)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")

# The chat template SmolVLM-256M-Instruct ships (chat_template.json).
CHAT_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}"
    "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n"
    "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)

CONFIGS = {
    "tiny-idefics3-tied": dict(
        tie=True,
        vision=dict(hidden_size=16, intermediate_size=24, num_hidden_layers=2, num_attention_heads=2,
                    image_size=16, patch_size=4, layer_norm_eps=1e-6),
        text=dict(hidden_size=32, intermediate_size=40, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, head_dim=8, rms_norm_eps=1e-5, rope_theta=10000.0),
        scale_factor=2,
        weights=[("model.safetensors", "F32")],
        seed=1,
    ),
    "tiny-idefics3-untied": dict(
        tie=False,
        vision=dict(hidden_size=12, intermediate_size=20, num_hidden_layers=2, num_attention_heads=3,
                    image_size=24, patch_size=4, layer_norm_eps=1e-6),
        text=dict(hidden_size=24, intermediate_size=36, num_hidden_layers=3, num_attention_heads=4,
                  num_key_value_heads=1, head_dim=12, rms_norm_eps=1e-6, rope_theta=100000.0),
        scale_factor=3,
        weights=[("model-00001-of-00002.safetensors", "BF16"), ("model-00002-of-00002.safetensors", "F16")],
        seed=2,
    ),
}

# ---------------------------------------------------------------- tokenizer (byte-level BPE like SmolVLM's)

def bytes_to_unicode():
    """GPT-2's byte-to-character table (the ByteLevel pre-tokenizer's alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) + list(
        range(ord("\xae"), ord("\xff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


SPECIAL_FIRST = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
SPECIAL_LAST = ["<fake_token_around_image>", "<image>", "<global-img>", "<end_of_utterance>"]
MERGES = [("U", "s"), ("e", "r"), ("Us", "er"), ("A", "s"), ("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "s")]


def make_tokenizer():
    table = bytes_to_unicode()
    alphabet = [table[b] for b in range(33, 127)] + [table[ord(" ")], table[ord("\n")]]
    vocab = {}
    for token in SPECIAL_FIRST + alphabet + [a + b for a, b in MERGES]:
        vocab[token] = len(vocab)
    added = []
    for token in SPECIAL_FIRST:
        added.append(dict(id=vocab[token], content=token, single_word=False, lstrip=False, rstrip=False,
                          normalized=False, special=True))
    for token in SPECIAL_LAST:
        vocab_id = len(vocab)
        vocab[token] = vocab_id
        added.append(dict(id=vocab_id, content=token, single_word=False, lstrip=False, rstrip=False,
                          normalized=False, special=True))
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}]},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {k: v for k, v in vocab.items() if k not in SPECIAL_LAST},
                  "merges": [[a, b] for a, b in MERGES]},
    }
    return tokenizer, vocab


# ---------------------------------------------------------------- safetensors (written by hand, like the spec)

def write_safetensors(path, tensors, dtype):
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name, t in tensors:
        if dtype == "F32":
            raw = t.float().contiguous().numpy().tobytes()
        elif dtype == "BF16":
            raw = t.to(torch.bfloat16).contiguous().view(torch.int16).numpy().tobytes()
        else:
            raw = t.half().contiguous().view(torch.int16).numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def rounded(t, dtype):
    """The values a reader gets back from a file written in `dtype`."""
    if dtype == "BF16":
        return t.to(torch.bfloat16).float()
    if dtype == "F16":
        return t.half().float()
    return t.float()


# ---------------------------------------------------------------- random weights with Hugging Face's names

def make_weights(cfg, vocab_size, generator):
    v, t = cfg["vision"], cfg["text"]
    def randn(*shape, std=0.2):
        return torch.randn(*shape, generator=generator) * std
    def norm_weight(n):
        return 1 + randn(n, std=0.1)
    w = {}
    p = "model.vision_model."
    dv = v["hidden_size"]
    n_pos = (v["image_size"] // v["patch_size"]) ** 2
    w[p + "embeddings.patch_embedding.weight"] = randn(dv, 3, v["patch_size"], v["patch_size"])
    w[p + "embeddings.patch_embedding.bias"] = randn(dv, std=0.1)
    w[p + "embeddings.position_embedding.weight"] = randn(n_pos, dv, std=0.5)
    for i in range(v["num_hidden_layers"]):
        q = f"{p}encoder.layers.{i}."
        for proj in ["q_proj", "k_proj", "v_proj", "out_proj"]:
            w[q + f"self_attn.{proj}.weight"] = randn(dv, dv, std=0.3)
            w[q + f"self_attn.{proj}.bias"] = randn(dv, std=0.1)
        w[q + "layer_norm1.weight"] = norm_weight(dv)
        w[q + "layer_norm1.bias"] = randn(dv, std=0.1)
        w[q + "mlp.fc1.weight"] = randn(v["intermediate_size"], dv, std=0.3)
        w[q + "mlp.fc1.bias"] = randn(v["intermediate_size"], std=0.1)
        w[q + "mlp.fc2.weight"] = randn(dv, v["intermediate_size"], std=0.3)
        w[q + "mlp.fc2.bias"] = randn(dv, std=0.1)
        w[q + "layer_norm2.weight"] = norm_weight(dv)
        w[q + "layer_norm2.bias"] = randn(dv, std=0.1)
    w[p + "post_layernorm.weight"] = norm_weight(dv)
    w[p + "post_layernorm.bias"] = randn(dv, std=0.1)
    d = t["hidden_size"]
    w["model.connector.modality_projection.proj.weight"] = randn(d, dv * cfg["scale_factor"] ** 2, std=0.2)
    p = "model.text_model."
    w[p + "embed_tokens.weight"] = randn(vocab_size, d, std=1.0)
    hd, nh, nkv = t["head_dim"], t["num_attention_heads"], t["num_key_value_heads"]
    for i in range(t["num_hidden_layers"]):
        q = f"{p}layers.{i}."
        w[q + "self_attn.q_proj.weight"] = randn(nh * hd, d, std=0.3)
        w[q + "self_attn.k_proj.weight"] = randn(nkv * hd, d, std=0.3)
        w[q + "self_attn.v_proj.weight"] = randn(nkv * hd, d, std=0.3)
        w[q + "self_attn.o_proj.weight"] = randn(d, nh * hd, std=0.3)
        w[q + "mlp.gate_proj.weight"] = randn(t["intermediate_size"], d, std=0.3)
        w[q + "mlp.up_proj.weight"] = randn(t["intermediate_size"], d, std=0.3)
        w[q + "mlp.down_proj.weight"] = randn(d, t["intermediate_size"], std=0.3)
        w[q + "input_layernorm.weight"] = norm_weight(d)
        w[q + "post_attention_layernorm.weight"] = norm_weight(d)
    w[p + "norm.weight"] = norm_weight(d)
    if not cfg["tie"]:
        w["lm_head.weight"] = randn(vocab_size, d, std=0.3)
    return w


# ---------------------------------------------------------------- the reference forward pass

def layer_norm(x, weight, bias, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), weight, bias, eps)


def linear(x, w, b=None):
    return torch.nn.functional.linear(x, w, b)


def vision_position_ids(n_side, batch):
    """Idefics3VisionEmbeddings.forward for full images (patch_attention_mask all true)."""
    boundaries = torch.arange(1 / n_side, 1.0, 1 / n_side)
    ids = []
    for _ in range(batch):
        nb = torch.tensor(n_side)
        fh = torch.arange(0, 1 - 1e-6, 1 / nb)
        fw = torch.arange(0, 1 - 1e-6, 1 / nb)
        bh = torch.bucketize(fh, boundaries, right=True)
        bw = torch.bucketize(fw, boundaries, right=True)
        ids.append((bh[:, None] * n_side + bw).flatten())
    return torch.stack(ids)


def vision_tower(w, v, pixel_values):
    """pixel_values [N, 3, S, S] normalised -> last_hidden_state [N, P, Dv] (after post_layernorm)."""
    p = "model.vision_model."
    x = torch.nn.functional.conv2d(pixel_values, w[p + "embeddings.patch_embedding.weight"],
                                   w[p + "embeddings.patch_embedding.bias"], stride=v["patch_size"])
    x = x.flatten(2).transpose(1, 2)
    n_side = v["image_size"] // v["patch_size"]
    pos = vision_position_ids(n_side, x.shape[0])
    assert pos.tolist() == [list(range(n_side * n_side))] * x.shape[0], "full-image position ids are 0..N-1"
    x = x + w[p + "embeddings.position_embedding.weight"][pos]
    heads = v["num_attention_heads"]
    hd = v["hidden_size"] // heads
    for i in range(v["num_hidden_layers"]):
        q = f"{p}encoder.layers.{i}."
        residual = x
        h = layer_norm(x, w[q + "layer_norm1.weight"], w[q + "layer_norm1.bias"], v["layer_norm_eps"])
        b, n, _ = h.shape
        qs = linear(h, w[q + "self_attn.q_proj.weight"], w[q + "self_attn.q_proj.bias"]).view(b, n, heads, hd).transpose(1, 2)
        ks = linear(h, w[q + "self_attn.k_proj.weight"], w[q + "self_attn.k_proj.bias"]).view(b, n, heads, hd).transpose(1, 2)
        vs = linear(h, w[q + "self_attn.v_proj.weight"], w[q + "self_attn.v_proj.bias"]).view(b, n, heads, hd).transpose(1, 2)
        att = torch.matmul(qs, ks.transpose(2, 3)) * hd ** -0.5
        att = torch.softmax(att.float(), dim=-1)
        out = torch.matmul(att, vs).transpose(1, 2).reshape(b, n, -1)
        x = residual + linear(out, w[q + "self_attn.out_proj.weight"], w[q + "self_attn.out_proj.bias"])
        residual = x
        h = layer_norm(x, w[q + "layer_norm2.weight"], w[q + "layer_norm2.bias"], v["layer_norm_eps"])
        h = linear(h, w[q + "mlp.fc1.weight"], w[q + "mlp.fc1.bias"])
        h = torch.nn.functional.gelu(h, approximate="tanh")  # gelu_pytorch_tanh
        x = residual + linear(h, w[q + "mlp.fc2.weight"], w[q + "mlp.fc2.bias"])
    return layer_norm(x, w[p + "post_layernorm.weight"], w[p + "post_layernorm.bias"], v["layer_norm_eps"])


def pixel_shuffle(x, scale_factor):
    """Idefics3Connector.pixel_shuffle, view for view."""
    bsz, seq, embed_dim = x.size()
    height = width = int(seq ** 0.5)
    x = x.view(bsz, height, width, embed_dim)
    x = x.view(bsz, height, int(width / scale_factor), embed_dim * scale_factor)
    x = x.permute(0, 2, 1, 3)
    x = x.reshape(bsz, int(width / scale_factor), int(height / scale_factor), embed_dim * (scale_factor ** 2))
    x = x.permute(0, 2, 1, 3)
    return x.reshape(bsz, int(seq / (scale_factor ** 2)), embed_dim * (scale_factor ** 2))


def image_features(w, cfg, images):
    """images [N, S, S, 3] in [0, 1] -> connector output [N, tokens, D]."""
    pixel_values = ((images - 0.5) / 0.5).permute(0, 3, 1, 2)  # rescaled input, image_mean = image_std = 0.5
    hidden = vision_tower(w, cfg["vision"], pixel_values)
    return linear(pixel_shuffle(hidden, cfg["scale_factor"]), w["model.connector.modality_projection.proj.weight"])


def rms_norm(x, weight, eps):
    x = x.float()
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def repeat_kv(hidden, n_rep):
    batch, kv_heads, slen, head_dim = hidden.shape
    if n_rep == 1:
        return hidden
    hidden = hidden[:, :, None, :, :].expand(batch, kv_heads, n_rep, slen, head_dim)
    return hidden.reshape(batch, kv_heads * n_rep, slen, head_dim)


def llama(w, t, embeds, attention_mask, lm_head):
    """LlamaModel + lm_head without position_ids: positions 0..L-1 for every row."""
    b, length, _ = embeds.shape
    hd, nh, nkv = t["head_dim"], t["num_attention_heads"], t["num_key_value_heads"]
    position_ids = torch.arange(length)[None].expand(b, length)
    inv_freq = 1.0 / (t["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    freqs = (inv_freq[None, :, None].float().expand(b, -1, 1) @ position_ids[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]
    min_value = torch.finfo(torch.float32).min
    causal = torch.triu(torch.full((length, length), min_value), diagonal=1)[None, None].expand(b, 1, -1, -1).clone()
    padding = (causal + attention_mask[:, None, None, :].float()) == 0
    mask = causal.masked_fill(padding, min_value)
    x = embeds
    p = "model.text_model."
    for i in range(t["num_hidden_layers"]):
        q = f"{p}layers.{i}."
        residual = x
        h = rms_norm(x, w[q + "input_layernorm.weight"], t["rms_norm_eps"])
        qs = linear(h, w[q + "self_attn.q_proj.weight"]).view(b, length, -1, hd).transpose(1, 2)
        ks = linear(h, w[q + "self_attn.k_proj.weight"]).view(b, length, -1, hd).transpose(1, 2)
        vs = linear(h, w[q + "self_attn.v_proj.weight"]).view(b, length, -1, hd).transpose(1, 2)
        qs, ks = qs * cos + rotate_half(qs) * sin, ks * cos + rotate_half(ks) * sin
        ks, vs = repeat_kv(ks, nh // nkv), repeat_kv(vs, nh // nkv)
        att = torch.matmul(qs, ks.transpose(2, 3)) * hd ** -0.5 + mask
        att = torch.softmax(att, dim=-1, dtype=torch.float32)
        out = torch.matmul(att, vs).transpose(1, 2).reshape(b, length, -1)
        x = residual + linear(out, w[q + "self_attn.o_proj.weight"])
        residual = x
        h = rms_norm(x, w[q + "post_attention_layernorm.weight"], t["rms_norm_eps"])
        h = linear(torch.nn.functional.silu(linear(h, w[q + "mlp.gate_proj.weight"])) * linear(h, w[q + "mlp.up_proj.weight"]),
                   w[q + "mlp.down_proj.weight"])
        x = residual + h
    x = rms_norm(x, w[p + "norm.weight"], t["rms_norm_eps"])
    return linear(x, lm_head)


def model_logits(w, cfg, ids, mask, images, image_token_id):
    """Idefics3ForConditionalGeneration.forward: embed, scatter image features into <image> slots, decode."""
    embeds = w["model.text_model.embed_tokens.weight"][ids].clone()
    image_rows = [r for r in range(ids.shape[0]) if (ids[r] == image_token_id).any()]
    features = None
    if image_rows:
        features = image_features(w, cfg, images[image_rows])
        slots = ids == image_token_id
        assert int(slots.sum()) == features.shape[0] * features.shape[1]
        embeds[slots] = features.reshape(-1, features.shape[-1])
    lm_head = w["model.text_model.embed_tokens.weight"] if cfg["tie"] else w["lm_head.weight"]
    return llama(w, cfg["text"], embeds, mask, lm_head), features


# ---------------------------------------------------------------- fixtures

def encode(vocab, text):
    """Greedy BPE for the fixture's few merges, enough to build test inputs (the tests check real tokenization)."""
    table = bytes_to_unicode()
    out = []
    specials = sorted(SPECIAL_FIRST + SPECIAL_LAST, key=len, reverse=True)
    i = 0
    while i < len(text):
        hit = next((s for s in specials if text.startswith(s, i)), None)
        if hit:
            out.append(vocab[hit])
            i += len(hit)
            continue
        j = i
        while j < len(text) and not any(text.startswith(s, j) for s in specials):
            j += 1
        word = [table[b] for b in text[i:j].encode()]
        for a, b in MERGES:
            k = 0
            while k < len(word) - 1:
                if word[k] == a and word[k + 1] == b:
                    word[k:k + 2] = [a + b]
                else:
                    k += 1
        out.extend(vocab[piece] for piece in word)
        i = j
    return out


def left_pad(rows, pad_id):
    width = max(len(r) for r in rows)
    ids = [[pad_id] * (width - len(r)) + r for r in rows]
    mask = [[0] * (width - len(r)) + [1] * len(r) for r in rows]
    return torch.tensor(ids), torch.tensor(mask)


def render(prompt_text, with_image):
    template = jinja2.Environment(trim_blocks=True, lstrip_blocks=True).from_string(CHAT_TEMPLATE)
    content = ([{"type": "image"}] if with_image else []) + [{"type": "text", "text": prompt_text}]
    return template.render(messages=[{"role": "user", "content": content}], add_generation_prompt=True)


def build(name, cfg):
    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    generator = torch.Generator().manual_seed(cfg["seed"])
    tokenizer, vocab = make_tokenizer()
    vocab_size = len(vocab) + 1  # one embedding row no token uses, like padded vocabularies
    v, t = cfg["vision"], cfg["text"]
    image_seq_len = (v["image_size"] // v["patch_size"]) ** 2 // cfg["scale_factor"] ** 2
    image_token_id = vocab["<image>"]
    eou = vocab["<end_of_utterance>"]
    config = {
        "architectures": ["Idefics3ForConditionalGeneration"],
        "image_token_id": image_token_id,
        "model_type": "idefics3",
        "scale_factor": cfg["scale_factor"],
        "tie_word_embeddings": cfg["tie"],
        "torch_dtype": "float32" if cfg["weights"][0][1] == "F32" else "bfloat16",
        "vocab_size": vocab_size,
        "text_config": {"model_type": "llama", "hidden_act": "silu", "vocab_size": vocab_size,
                        "max_position_embeddings": 256, "bos_token_id": 1, "eos_token_id": eou, "pad_token_id": 2,
                        "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": cfg["tie"], **t},
        "vision_config": {"model_type": "idefics3", "hidden_act": "gelu_pytorch_tanh", "num_channels": 3, **v},
    }
    weights = make_weights(cfg, vocab_size, generator)
    # split the names over the weight files in order; the reference sees what the files hold
    names = list(weights)
    per_file = math.ceil(len(names) / len(cfg["weights"]))
    weight_map = {}
    for k, (file, dtype) in enumerate(cfg["weights"]):
        chunk = names[k * per_file:(k + 1) * per_file]
        write_safetensors(os.path.join(directory, file), [(n, weights[n]) for n in chunk], dtype)
        for n in chunk:
            weights[n] = rounded(weights[n], dtype)
            weight_map[n] = file
    if len(cfg["weights"]) > 1:
        with open(os.path.join(directory, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f, indent=2)
    files = {
        "config.json": config,
        "tokenizer.json": tokenizer,
        "tokenizer_config.json": {"add_prefix_space": False, "bos_token": "<|im_start|>", "eos_token": "<end_of_utterance>",
                                  "pad_token": "<|im_end|>", "unk_token": "<|endoftext|>",
                                  "additional_special_tokens": ["<fake_token_around_image>", "<image>", "<end_of_utterance>"],
                                  "clean_up_tokenization_spaces": False, "model_max_length": 256,
                                  "tokenizer_class": "GPT2Tokenizer", "processor_class": "Idefics3Processor"},
        "chat_template.json": {"chat_template": CHAT_TEMPLATE},
        "preprocessor_config.json": {"do_convert_rgb": True, "do_image_splitting": True, "do_normalize": True,
                                     "do_pad": True, "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5],
                                     "image_std": [0.5, 0.5, 0.5], "image_processor_type": "Idefics3ImageProcessor",
                                     "max_image_size": {"longest_edge": v["image_size"]}, "processor_class": "Idefics3Processor",
                                     "resample": 1, "rescale_factor": 1 / 255, "size": {"longest_edge": 4 * v["image_size"]}},
        "processor_config.json": {"image_seq_len": image_seq_len, "processor_class": "Idefics3Processor"},
        "generation_config.json": {"bos_token_id": 1, "eos_token_id": eou, "pad_token_id": 2},
    }
    for file, content in files.items():
        with open(os.path.join(directory, file), "w") as f:
            json.dump(content, f, indent=1)
            f.write("\n")

    image_block = "<fake_token_around_image><global-img>" + "<image>" * image_seq_len + "<fake_token_around_image>"
    size = v["image_size"]
    images = torch.rand(2, size, size, 3, generator=generator)
    prompts = {"image": ["is the sky blue?", "2+2?"], "text": ["the cat is", "Hi"]}
    rendered = {k: [render(p, k == "image") for p in ps] for k, ps in prompts.items()}
    cases = {"image_seq_len": image_seq_len, "rendered": rendered, "cases": {}}
    outputs = []

    def add_case(case, rows):
        ids, mask = left_pad(rows, 2)
        logits, features = model_logits(weights, cfg, ids, mask, images, image_token_id)
        cases["cases"][case] = {"input_ids": ids.tolist(), "attention_mask": mask.tolist()}
        outputs.append((f"{case}.logits", logits))
        if features is not None:
            outputs.append((f"{case}.image_features", features))
        return ids, mask

    with_images = [encode(vocab, r.replace("<image>", image_block)) for r in rendered["image"]]
    text_only = [encode(vocab, r) for r in rendered["text"]]
    add_case("image", with_images)
    add_case("text", text_only)
    add_case("mixed", [with_images[0], text_only[1]])

    # greedy decoding by full recomputation (no cache): what generate with a cache must reproduce
    ids, mask = left_pad(with_images, 2)
    generated = [[], []]
    gaps = []
    for _ in range(6):
        logits, _ = model_logits(weights, cfg, ids, mask, images, image_token_id)
        last = logits[:, -1]
        top = torch.topk(last, 2, dim=-1).values
        gaps.append(float((top[:, 0] - top[:, 1]).min()))
        nxt = last.argmax(-1)
        for r in range(2):
            generated[r].append(int(nxt[r]))
        ids = torch.cat([ids, nxt[:, None]], 1)
        mask = torch.cat([mask, torch.ones(2, 1, dtype=mask.dtype)], 1)
    cases["greedy"] = {"tokens": generated, "min_top2_gap": min(gaps)}
    outputs.append(("images", images))
    write_safetensors(os.path.join(OUT, f"{name}.cases.safetensors"), outputs, "F32")
    with open(os.path.join(OUT, f"{name}.cases.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    print(f"{name}: vocab {vocab_size}, image tokens {image_seq_len}, greedy {generated}, min top-2 gap {min(gaps):.4f}")


if __name__ == "__main__":
    torch.manual_seed(0)
    for fixture, settings in CONFIGS.items():
        build(fixture, settings)
    sys.exit(0)
