"""The Tree-structured Parzen Estimator (Bergstra et al. 2011), written from the
algorithm with the same rules as the TypeScript client (docs/schema.md,
"Sweeps"): 10 random startup trials, 24 candidates drawn from the good trials'
density l(x), the one with the highest l(x)/g(x) kept; gamma(n) = min(ceil(0.1 n), 25);
one joint kernel per trial plus a prior of weight 1; truncated normal kernels
as wide as the larger gap to the neighbouring observations; log space for log
distributions; categorical kernels; running trials count as bad (constant liar)
without counting in gamma's n, and pruned ones rank after complete ones by their deepest step;
equal values (discrete parameters) share out the neighbour gaps by a key per trial and parameter."""

import json
import math
from statistics import NormalDist

from .sweep_space import sample_random

_N = NormalDist()
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


def _q(x, step, lo, hi):
    return min(hi, max(lo, float("%.12g" % (round(x / step) * step))))


def _num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None


def _lognum(v):
    v = _num(v)
    return math.log(v) if v is not None and v > 0 else None


def _dims(params):
    dims = []
    for key, s in params.items():
        d = s["distribution"]

        def bounded(lo, hi, to_i, from_i):
            return {"kind": "num", "key": key, "lo": lo, "hi": hi, "range": hi - lo, "mu": (lo + hi) / 2,
                    "sigma": hi - lo, "to": to_i, "from": from_i}

        if d == "constant":
            continue
        if d == "categorical":
            keys = [json.dumps(v, sort_keys=True) for v in s["values"]]
            dims.append({"kind": "cat", "key": key, "n": len(keys), "values": s["values"],
                         "index": lambda v, keys=keys: keys.index(json.dumps(v, sort_keys=True))
                         if json.dumps(v, sort_keys=True) in keys else None})
        elif d == "uniform":
            dims.append(bounded(s["min"], s["max"], _num, lambda x: x))
        elif d == "int_uniform":
            dims.append(bounded(s["min"] - 0.5, s["max"] + 0.5, _num,
                                lambda x, s=s: min(s["max"], max(s["min"], int(round(x))))))
        elif d == "q_uniform":
            dims.append(bounded(s["min"] - s["q"] / 2, s["max"] + s["q"] / 2, _num,
                                lambda x, s=s: _q(x, s["q"], s["min"], s["max"])))
        elif d == "log_uniform_values":
            dims.append(bounded(math.log(s["min"]), math.log(s["max"]), _lognum, math.exp))
        elif d == "q_log_uniform_values":
            dims.append(bounded(math.log(max(s["min"] - s["q"] / 2, s["min"] / 2)), math.log(s["max"] + s["q"] / 2),
                                _lognum, lambda x, s=s: _q(math.exp(x), s["q"], s["min"], s["max"])))
        else:  # normal, log_normal: the prior is the distribution itself
            log = d == "log_normal"
            dims.append({"kind": "num", "key": key, "lo": -math.inf, "hi": math.inf, "range": 4 * s["sigma"],
                         "mu": s["mu"], "sigma": s["sigma"], "to": _lognum if log else _num,
                         "from": math.exp if log else (lambda x: x)})
    return dims


def _weights(n):
    if n < 25:
        return [1.0] * n
    m = n - 25
    ramp = [1 / n] if m == 1 else [1 / n + (1 - 1 / n) * i / (m - 1) for i in range(m)]
    return ramp + [1.0] * 25


def tie_key(number, j):
    """The order of a trial among equal values of the j-th numeric parameter (src/sweep/tpe.ts tieKey)."""
    m = 0xFFFFFFFF
    h = (((number + 1) * 0x9E3779B1) & m) ^ (((j + 1) * 0x85EBCA6B) & m)
    h = ((h ^ (h >> 16)) * 0x7FEB352D) & m
    h = ((h ^ (h >> 15)) * 0x846CA68B) & m
    return h ^ (h >> 16)


def _neighbor_sigmas(xs, dim, ties):
    # The prior's centre is not a neighbour (Optuna 5's rule, as src/sweep/tpe.ts). Equal values are ordered by
    # a pseudo-random key per trial and parameter, so the wide kernels at the ends of a run of equals do not go
    # to the same trials in every parameter (ordering by trial number did).
    pts = [(x if x is not None else dim["mu"], ties[i], i) for i, x in enumerate(xs)]
    pts = [(x, i) for x, _, i in sorted(pts)]
    lo = dim["lo"] if math.isfinite(dim["lo"]) else (pts[0][0] if pts else dim["mu"]) - dim["range"]
    hi = dim["hi"] if math.isfinite(dim["hi"]) else (pts[-1][0] if pts else dim["mu"]) + dim["range"]
    out = [dim["range"]] * len(xs)
    for j, (x, i) in enumerate(pts):
        left = x - lo if j == 0 else x - pts[j - 1][0]
        right = hi - x if j == len(pts) - 1 else pts[j + 1][0] - x
        # the outermost kernels look inwards only (Optuna's consider_endpoints=False)
        if len(pts) >= 2 and j == 0:
            out[i] = right
        elif len(pts) >= 2 and j == len(pts) - 1:
            out[i] = left
        else:
            out[i] = max(left, right)
    return out


class _Parzen:
    def __init__(self, obs, dims, prior_weight=1.0):
        n = len(obs)
        w = _weights(n) + [prior_weight]
        total = sum(w)
        self.w = [x / total for x in w]
        self.dims = dims
        self.comps = []  # per component: list per dim of (mu, sigma, lognorm) or log-probabilities
        n_kernels = n + 1
        nums = {}
        for j, dim in enumerate(d for d in dims if d["kind"] == "num"):
            nums[dim["key"]] = _neighbor_sigmas([dim["to"](o["params"].get(dim["key"])) for o in obs], dim,
                                                [tie_key(o["number"], j) for o in obs])
        for k in range(n_kernels):
            o = obs[k] if k < n else None
            comp = []
            for dim in dims:
                if dim["kind"] == "num":
                    x = dim["to"](o["params"].get(dim["key"])) if o else None
                    if x is not None:
                        mu = x
                        sigma = min(max(nums[dim["key"]][k], dim["range"] / min(100, 1 + n_kernels)), dim["range"])
                    else:
                        mu, sigma = dim["mu"], dim["sigma"]
                    a, b = (dim["lo"] - mu) / sigma, (dim["hi"] - mu) / sigma
                    mass = _cdf(-a) - _cdf(-b) if a > 0 else _cdf(b) - _cdf(a)
                    comp.append((mu, sigma, -math.log(sigma) - _LOG_SQRT_2PI - math.log(max(mass, 1e-300))))
                else:
                    row = [prior_weight / n_kernels] * dim["n"]
                    i = dim["index"](o["params"].get(dim["key"])) if o else None
                    if i is not None:
                        row[i] += 1
                    else:
                        row = [1.0] * dim["n"]
                    s = sum(row)
                    comp.append([math.log(p / s) for p in row])
            self.comps.append(comp)

    def sample(self, rng):
        k = rng.choices(range(len(self.w)), weights=self.w)[0]
        out = []
        for dim, c in zip(self.dims, self.comps[k]):
            if dim["kind"] == "num":
                mu, sigma, _ = c
                a, b = (dim["lo"] - mu) / sigma, (dim["hi"] - mu) / sigma
                flip = a > 0
                if flip:
                    a, b = -b, -a
                pa, pb = _cdf(a), _cdf(b)
                if pb - pa > 1e-12:
                    z = _N.inv_cdf(min(max(pa + rng.random() * (pb - pa), 1e-300), 1 - 1e-16))
                else:
                    z = b - rng.random() * min(b - a, 1 / max(1, -b))
                z = min(max(z, a), b)
                out.append(min(max(mu + sigma * (-z if flip else z), dim["lo"]), dim["hi"]))
            else:
                out.append(rng.choices(range(dim["n"]), weights=[math.exp(p) for p in c])[0])
        return out

    def log_pdf(self, x):
        terms = []
        for wk, comp in zip(self.w, self.comps):
            s = math.log(wk)
            for dim, c, v in zip(self.dims, comp, x):
                if dim["kind"] == "num":
                    mu, sigma, norm = c
                    z = (v - mu) / sigma
                    s += norm - 0.5 * z * z
                else:
                    s += c[v]
            terms.append(s)
        m = max(terms)
        return m + math.log(sum(math.exp(t - m) for t in terms))


def gamma(n):
    return min(math.ceil(0.1 * n), 25)


def _pruned_rank(o):
    # Optuna's rank of a pruned trial: deeper steps first, then by value (NaN last); one that reported nothing after all
    if o["step"] is None:
        return (1, 0, 0.0)
    return (0, -o["step"], math.inf if o["loss"] is None else o["loss"])


def split_observations(obs):
    """Good and bad by Optuna's rule (as src/sweep/tpe.ts): gamma of the finished trials are good, complete ones by
    loss before pruned ones; running trials are always bad (constant liar) and do not count in gamma's n."""
    complete = sorted((o for o in obs if o["state"] == "complete" and o["loss"] is not None), key=lambda o: o["loss"])
    pruned = sorted((o for o in obs if o["state"] == "pruned"), key=_pruned_rank)
    running = [o for o in obs if o["state"] == "running"]
    ranked = complete + pruned
    nb = gamma(len(ranked))
    return sorted(ranked[:nb], key=lambda o: o["number"]), sorted(ranked[nb:] + running, key=lambda o: o["number"])


def sample_tpe(params, obs, rng, n_startup_trials=10, n_ei_candidates=24):
    """One TPE draw of every parameter given the sweep's history (rng: random.Random)."""
    # Optuna's startup count: complete and pruned trials, whether or not a pruned one reported a value
    finished = sum(1 for o in obs if (o["state"] == "complete" and o["loss"] is not None) or o["state"] == "pruned")
    if finished < n_startup_trials:
        return sample_random(params, rng)
    dims = _dims(params)
    below, above = split_observations(obs)
    l, g = _Parzen(below, dims), _Parzen(above, dims)
    best, best_score = None, -math.inf
    for _ in range(n_ei_candidates):
        raw = l.sample(rng)
        x = []
        for dim, v in zip(dims, raw):
            if dim["kind"] == "cat":
                x.append(v)
            else:
                snapped = dim["to"](dim["from"](v))
                x.append(v if snapped is None else min(max(snapped, dim["lo"]), dim["hi"]))
        score = l.log_pdf(x) - g.log_pdf(x)
        if best is None or score > best_score:
            best, best_score = x, score
    out = {k: s["value"] for k, s in params.items() if s["distribution"] == "constant"}
    for dim, v in zip(dims, best):
        out[dim["key"]] = dim["values"][v] if dim["kind"] == "cat" else dim["from"](v)
    return {k: out[k] for k in params}
