"""Search spaces: random draws with W&B's meaning of each distribution, grid
points (the last parameter varies fastest, as every client walks them), and
nested parameters ('a.b') back into objects."""

import math


def _round_to(x, q):
    return float("%.12g" % (round(x / q) * q))


def _clamp_q(x, spec):
    q = spec["q"]
    if x > spec["max"]:
        y = _round_to(x - q, q)
        return y if y >= spec["min"] else spec["max"]
    if x < spec["min"]:
        y = _round_to(x + q, q)
        return y if y <= spec["max"] else spec["min"]
    return x


def _weighted(rng, weights):
    u = rng.random() * sum(weights)
    for i, w in enumerate(weights):
        u -= w
        if u < 0:
            return i
    return len(weights) - 1


def sample_param(spec, rng):
    """One random draw of a parameter (rng is a random.Random)."""
    d = spec["distribution"]
    if d == "constant":
        return spec["value"]
    if d == "categorical":
        p = spec.get("probabilities")
        return spec["values"][_weighted(rng, p) if p else rng.randrange(len(spec["values"]))]
    if d == "uniform":
        return spec["min"] + rng.random() * (spec["max"] - spec["min"])
    if d == "int_uniform":
        return spec["min"] + rng.randrange(spec["max"] - spec["min"] + 1)
    if d == "q_uniform":
        return _clamp_q(_round_to(spec["min"] + rng.random() * (spec["max"] - spec["min"]), spec["q"]), spec)
    lo, hi = spec.get("min"), spec.get("max")
    if d == "log_uniform_values":
        return math.exp(math.log(lo) + rng.random() * (math.log(hi) - math.log(lo)))
    if d == "q_log_uniform_values":
        return _clamp_q(_round_to(math.exp(math.log(lo) + rng.random() * (math.log(hi) - math.log(lo))), spec["q"]), spec)
    if d == "normal":
        return rng.gauss(spec["mu"], spec["sigma"])
    if d == "log_normal":
        return math.exp(rng.gauss(spec["mu"], spec["sigma"]))
    raise ValueError("unknown distribution %r" % d)


def sample_random(params, rng):
    return {k: sample_param(s, rng) for k, s in params.items()}


def grid_values(spec):
    d = spec["distribution"]
    if d == "constant":
        return [spec["value"]]
    if d == "categorical":
        return list(spec["values"])
    if d == "int_uniform":
        return list(range(spec["min"], spec["max"] + 1))
    if d == "q_uniform":
        out, i = [], 0
        while True:
            v = _round_to(spec["min"] + i * spec["q"], spec["q"])
            if v > spec["max"] + 1e-12:
                return out
            out.append(int(v) if float(v).is_integer() and isinstance(spec["q"], int) else v)
            i += 1
    return []


def grid_size(params):
    n = 1
    for s in params.values():
        n *= len(grid_values(s))
    return n


def grid_point(params, index):
    out = {}
    rest = index
    for k, s in reversed(list(params.items())):
        values = grid_values(s)
        out[k] = values[rest % len(values)]
        rest //= len(values)
    return {k: out[k] for k in params}


def nest_params(flat):
    out = {}
    for k, v in flat.items():
        parts = k.split(".")
        node = out
        for p in parts[:-1]:
            if not isinstance(node.get(p), dict):
                node[p] = {}
            node = node[p]
        node[parts[-1]] = v
    return out
