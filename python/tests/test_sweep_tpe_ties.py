"""TPE on discrete parameters: trials share values there, and only the outer trials of a run of
equal values get a gap as kernel width. Which trials those are is a pseudo-random key per trial
and parameter (the same as the TypeScript client's), not the trial number: by number, the same
trials got the wide kernels in every parameter and the rest narrow ones everywhere."""

from mldb.sweep_tpe import _dims, _Parzen, tie_key


def _wide_trials(parzen, obs, dim_index):
    sigmas = [comp[dim_index][1] for comp in parzen.comps[:len(obs)]]
    narrow = min(sigmas)
    return {o["number"] for o, s in zip(obs, sigmas) if s > narrow}


def test_equal_values_share_out_wide_kernels_by_trial_and_parameter():
    params = {k: {"distribution": "int_uniform", "min": 0, "max": 4} for k in ("a", "b", "c")}
    # twelve trials, each with the same value in all three parameters: 0, 1, 2 four times each
    obs = [{"number": n, "params": {k: n % 3 for k in params}, "state": "complete", "loss": 0.0, "step": None}
           for n in range(12)]
    parzen = _Parzen(obs, _dims(params))
    wide = [_wide_trials(parzen, obs, j) for j in range(3)]
    assert all(len(w) >= 3 for w in wide)
    # the same values in every parameter, yet not the same trials wide in every parameter
    assert not (wide[0] == wide[1] == wide[2])


def test_tie_keys_match_the_typescript_client():
    # src/sweep/tpe.ts tieKey for the same (number, parameter index) pairs
    got = [tie_key(n, j) for n in (0, 1, 2, 99, 12345, 2 ** 31 - 1) for j in (0, 1, 5)]
    assert got == [3955302380, 1605550031, 1329355916, 588696057, 3585126544, 3407330947, 3024399520, 1683538802,
                   1199446971, 1965878695, 3553005915, 1682222269, 1624652911, 997998203, 45908223, 1401495154,
                   4139874529, 1041711568]
