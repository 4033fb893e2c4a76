"""Sweep configs in W&B's format, normalised into the JSON both clients store in
``sweeps.config`` (docs/schema.md, "Sweeps"). Python tells ints from floats, so
integer ``min``/``max`` mean ``int_uniform`` as in W&B."""

import math
import random

from .errors import ValidationError

_TOP = ("name", "project", "method", "metric", "parameters", "run_cap", "runCap", "seed", "early_terminate",
        "earlyTerminate", "requeue_lost", "requeueLost", "program", "command", "description", "entity")
DISTRIBUTIONS = ("constant", "categorical", "uniform", "int_uniform", "q_uniform", "log_uniform_values",
                 "q_log_uniform_values", "normal", "log_normal")


def _fail(key, message):
    raise ValidationError("sweep config: %s: %s" % (key, message), key)


def _num(key, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        _fail(key, "must be a finite number, got %r" % (v,))
    return v


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _keys(key, obj, allowed):
    for k in obj:
        if k not in allowed:
            _fail("%s.%s" % (key, k), "unknown key; expected one of %s" % ", ".join(allowed))


def _param(key, raw):
    if not isinstance(raw, dict):
        _fail(key, "must be a mapping such as {min: 0, max: 1} or {values: [...]}")
    _keys(key, raw, ("distribution", "value", "values", "probabilities", "min", "max", "q", "mu", "sigma"))
    dist = raw.get("distribution")
    if dist is not None and dist not in DISTRIBUTIONS:
        _fail(key + ".distribution", "unsupported distribution %r; use one of %s" % (dist, ", ".join(DISTRIBUTIONS)))
    if dist is None:
        if "value" in raw:
            dist = "constant"
        elif "values" in raw:
            dist = "categorical"
        elif "min" in raw and "max" in raw:
            dist = "int_uniform" if _is_int(raw["min"]) and _is_int(raw["max"]) else "uniform"
        elif "mu" in raw or "sigma" in raw:
            dist = "normal"
        else:
            _fail(key, "needs value, values, min and max, or a distribution")

    def only(*ks):
        _keys(key, raw, ("distribution",) + ks)

    if dist == "constant":
        only("value")
        return {"distribution": "constant", "value": raw["value"]}
    if dist == "categorical":
        only("values", "probabilities")
        values = raw.get("values")
        if not isinstance(values, list) or not values:
            _fail(key + ".values", "must be a non-empty list")
        out = {"distribution": "categorical", "values": values}
        if raw.get("probabilities") is not None:
            p = raw["probabilities"]
            if not isinstance(p, list) or len(p) != len(values):
                _fail(key + ".probabilities", "must be a list of %d numbers" % len(values))
            p = [_num("%s.probabilities[%d]" % (key, i), x) for i, x in enumerate(p)]
            if min(p) < 0 or abs(sum(p) - 1) > 1e-6:
                _fail(key + ".probabilities", "must be non-negative and sum to 1")
            out["probabilities"] = p
        return out
    if dist in ("normal", "log_normal"):
        only("mu", "sigma")
        mu = _num(key + ".mu", raw.get("mu", 0))
        sigma = _num(key + ".sigma", raw.get("sigma", 1))
        if sigma <= 0:
            _fail(key + ".sigma", "must be > 0, got %r" % sigma)
        return {"distribution": dist, "mu": mu, "sigma": sigma}
    q = dist in ("q_uniform", "q_log_uniform_values")
    only("min", "max", "q") if q else only("min", "max")
    for k in ("min", "max"):
        if k not in raw:
            _fail("%s.%s" % (key, k), "is missing")
    lo, hi = _num(key + ".min", raw["min"]), _num(key + ".max", raw["max"])
    if not lo < hi:
        _fail(key + ".max", "must be greater than min (%r), got %r" % (lo, hi))
    if dist == "int_uniform" and not (float(lo).is_integer() and float(hi).is_integer()):
        _fail(key + ".min", "int_uniform needs integer min and max")
    if dist in ("log_uniform_values", "q_log_uniform_values") and lo <= 0:
        _fail(key + ".min", "must be > 0 for %s, got %r" % (dist, lo))
    if dist == "int_uniform":
        lo, hi = int(lo), int(hi)
    out = {"distribution": dist, "min": lo, "max": hi}
    if q:
        qv = _num(key + ".q", raw.get("q", 1))
        if qv <= 0:
            _fail(key + ".q", "must be > 0, got %r" % qv)
        out["q"] = qv
    return out


def _parameters(prefix, raw, out, path=""):
    if not isinstance(raw, dict) or not raw:
        _fail(prefix, "must be a non-empty mapping of parameters")
    for k, v in raw.items():
        key = "%s.%s" % (prefix, k)
        if not isinstance(k, str) or k == "" or "." in k:
            _fail(key, 'a parameter name must be non-empty and without "."; nest it under parameters instead')
        name = "%s.%s" % (path, k) if path else k
        if isinstance(v, dict) and "parameters" in v:
            _keys(key, v, ("parameters",))
            _parameters(key + ".parameters", v["parameters"], out, name)
        else:
            out[name] = _param(key, v)


def _pruner(key, raw):
    if raw is None:
        return None
    if not isinstance(raw, dict):
        _fail(key, "must be a mapping such as {type: hyperband, min_iter: 3}")

    def int_of(k, default, least):
        v = _num("%s.%s" % (key, k), raw.get(k, default))
        if not float(v).is_integer() or v < least:
            _fail("%s.%s" % (key, k), "must be an integer >= %d, got %r" % (least, v))
        return int(v)

    if raw.get("type") == "hyperband":
        _keys(key, raw, ("type", "min_iter", "eta", "s", "max_iter", "strict"))
        if "max_iter" in raw or "s" in raw:
            _fail(key + ".max_iter", "is not supported; give min_iter (and eta)")
        if "min_iter" not in raw:
            _fail(key + ".min_iter", "is missing")
        eta = _num(key + ".eta", raw.get("eta", 3))
        if eta <= 1:
            _fail(key + ".eta", "must be > 1, got %r" % eta)
        return {"type": "hyperband", "minIter": int_of("min_iter", 1, 1), "eta": eta}
    if raw.get("type") == "median":
        _keys(key, raw, ("type", "n_startup_trials", "n_warmup_steps", "interval_steps"))
        return {"type": "median", "nStartupTrials": int_of("n_startup_trials", 5, 0),
                "nWarmupSteps": int_of("n_warmup_steps", 0, 0), "intervalSteps": int_of("interval_steps", 1, 1)}
    _fail(key + ".type", "must be hyperband or median, got %r" % (raw.get("type"),))


def _pick(raw, a, b):
    if raw.get(a) is not None and raw.get(b) is not None:
        _fail(a, "give either %s or %s, not both" % (a, b))
    return raw.get(a) if raw.get(a) is not None else raw.get(b)


def parse_sweep_config(raw, name=None, project=None):
    """Checks and normalises a sweep config (a dict as parsed from W&B's YAML or
    JSON); an unknown key or a bad range raises ValidationError naming the key.

    ``parse_sweep_config({'name': 'b', 'method': 'bayes', 'metric': {'name': 'loss'}, 'parameters': {'x': {'min': 0.0, 'max': 1.0}}})``
    """
    if not isinstance(raw, dict):
        raise ValidationError("a sweep config must be a mapping (a YAML or JSON object)", "config")
    for k in raw:
        if k not in _TOP:
            _fail(k, "unknown key; expected one of %s" % ", ".join(_TOP))
    nm = raw.get("name", name)
    if not isinstance(nm, str) or not nm.strip() or len(nm) > 200 or any(c.isspace() or c == "/" for c in nm):
        _fail("name", 'must be a name without spaces or "/", got %r' % (nm,))
    proj = raw.get("project", project) or "default"
    if not isinstance(proj, str) or not proj.strip():
        _fail("project", "must be a non-empty string, got %r" % (proj,))
    method = raw.get("method", "random")
    method = "bayes" if method == "tpe" else method
    if method not in ("grid", "random", "bayes"):
        _fail("method", "must be grid, random, bayes or tpe, got %r" % (method,))
    m = raw.get("metric")
    if not isinstance(m, dict):
        _fail("metric", "is missing; give {name: <series>, goal: minimize | maximize}")
    _keys("metric", m, ("name", "goal", "target"))
    if not isinstance(m.get("name"), str) or not m["name"]:
        _fail("metric.name", "must be a series name such as valid/loss, got %r" % (m.get("name"),))
    goal = m.get("goal", "minimize")
    if goal not in ("minimize", "maximize"):
        _fail("metric.goal", "must be minimize or maximize, got %r" % (goal,))
    params = {}
    _parameters("parameters", raw.get("parameters"), params)
    cap = _pick(raw, "run_cap", "runCap")
    if cap is not None and (not _is_int(cap) or cap < 1):
        _fail("run_cap", "must be an integer >= 1, got %r" % (cap,))
    seed = raw.get("seed")
    if seed is None:
        seed = random.randrange(2 ** 31)
    if not _is_int(seed) or seed < 0:
        _fail("seed", "must be an integer >= 0, got %r" % (seed,))
    requeue = _pick(raw, "requeue_lost", "requeueLost")
    requeue = False if requeue is None else requeue
    if not isinstance(requeue, bool):
        _fail("requeue_lost", "must be true or false, got %r" % (requeue,))
    out = {"name": nm, "project": proj, "method": method, "metric": {"name": m["name"], "goal": goal},
           "parameters": params, "runCap": cap, "seed": seed,
           "earlyTerminate": _pruner("early_terminate", _pick(raw, "early_terminate", "earlyTerminate")),
           "requeueLost": requeue}
    if method == "grid":
        for k, p in params.items():
            if p["distribution"] not in ("constant", "categorical", "int_uniform", "q_uniform"):
                _fail("parameters." + k, "method grid needs values, value, int_uniform or q_uniform; %s is continuous"
                      % p["distribution"])
    if raw.get("program") is not None:
        if not isinstance(raw["program"], str) or not raw["program"]:
            _fail("program", "must be the path of the training script")
        out["program"] = raw["program"]
    if raw.get("command") is not None:
        if not isinstance(raw["command"], list) or not all(isinstance(c, str) for c in raw["command"]):
            _fail("command", "must be a list of strings: the program and its arguments, such as [python, train.py]")
        out["command"] = raw["command"]
    if raw.get("description") is not None:
        out["description"] = str(raw["description"])
    return out
