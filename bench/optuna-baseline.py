"""Optuna's TPE on the same functions, for `npm run bench -- --sweeps` (run only where optuna is installed).
Prints one JSON object: {"branin": median, ...} over SEEDS seeds of the best after TRIALS trials."""
import json, math, statistics, sys
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
SEEDS, TRIALS = int(sys.argv[1]), int(sys.argv[2])

def branin(t):
    x, y = t.suggest_float("x", -5, 10), t.suggest_float("y", 0, 15)
    b, c, s = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - s) * math.cos(x) + 10

A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
C = [1.0, 1.2, 3.0, 3.2]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]

def hartmann(t):
    x = [t.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    return -sum(C[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i in range(4))

def rosenbrock(t):
    x = [t.suggest_float(f"x{i}", -5, 10) for i in range(5)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(4))

out = {"version": optuna.__version__}
for name, f in (("branin", branin), ("hartmann6", hartmann), ("rosenbrock5", rosenbrock)):
    bests = []
    for seed in range(SEEDS):
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(f, n_trials=TRIALS)
        bests.append(study.best_value)
    out[name] = statistics.median(bests)
print(json.dumps(out))
