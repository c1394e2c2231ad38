"""Exact law against Monte Carlo: ``laws.gaussian`` + closed-form W2 versus sampling + POT, at equal wall time.

The task: W2 between the Euler-Maruyama output and the target N(mu, diag(s2)) with the exact score
(T = 2, 50 steps). The exact route costs one mean/covariance recursion; the Monte Carlo route samples as
many particles as the same wall time allows (at least 200) and estimates W2 with POT's exact solver on
the samples against target samples (d <= 100) or with the sliced W2 (larger d). The table reports the time
and the error each route reaches against the exact value.
"""
from __future__ import annotations

import time

import numpy as np

from _common import best_time, table
import sgmbook as sg


SCHED = sg.schedules.uniform(2.0, 0.0, 50)

def main() -> str:
    rows = []
    rng = np.random.default_rng(0)
    warm = rng.standard_normal((50, 2))
    sg.w2_empirical(warm, warm + 1)  # first calls load POT's solvers
    sg.sliced_w2(warm, warm + 1, 5, rng=np.random.default_rng(0))
    for d, full in [(2, False), (10, False), (100, False), (1000, False), (10_000, False), (10, True), (200, True)]:
        mu = rng.uniform(-1, 1, d)
        s2 = rng.uniform(0.5, 2.0, d)
        target = sg.Gaussian(mu, np.diag(s2) if full else s2)
        cov0 = np.eye(d) if full else np.ones(d)

        def exact():
            m, S = sg.laws.gaussian(target.affine_score, np.zeros(d), cov0, SCHED, scheme="em")
            return sg.w2_gaussian(m, S, mu, target.cov)

        t_exact = best_time(exact, repeat=2, min_time=0.01)
        w_exact = exact()
        budget = max(t_exact, 0.02)
        n = 200
        start = time.perf_counter()
        while True:
            y = sg.samplers.sample(target.score, rng.standard_normal((n, d)), SCHED, scheme="em", rng=rng)
            x = target.sample(n, rng)
            est = sg.w2_empirical(y, x) if d <= 100 else sg.sliced_w2(y, x, 50, rng=np.random.default_rng(0))
            if time.perf_counter() - start > budget or n >= 4000:
                break
            n *= 2
        t_mc = time.perf_counter() - start
        rows.append([d, "full" if full else "diagonal", f"{t_exact * 1e3:.2f}", f"{w_exact:.4g}",
                     n, f"{t_mc * 1e3:.0f}", f"{est:.4g}", f"{abs(est - w_exact) / w_exact:.0%}"])
    return table(["d", "covariance", "exact: ms", "exact W2", "MC particles", "MC: ms", "MC estimate",
                  "MC relative error"], rows)


if __name__ == "__main__":
    print(main())
