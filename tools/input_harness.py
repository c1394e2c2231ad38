"""Mutated calls to every public function of sgmbook, one argument at a time, and what happened.

Usage: ``python tools/input_harness.py [--timeout 10] [--details] [--filter SUBSTRING]``

Every entry of ``tests/input_registry.py`` (one valid call per public function, constructor and
method) is called again with one argument replaced by a bad value (NaN, inf, a string, a complex
number, a bool, None, an empty array, a ragged list, a misbehaving callable, ...) or an extreme one
(negative, zero, huge, reversed or constant grid, extra axes).  Each outcome is classified:

* ``clear``        ValueError/TypeError whose message names the parameter (or the callable);
* ``obscure``      another exception, or a message that does not name the parameter;
* ``nonfinite``    returned a result holding NaN or inf (inf is ``documented-inf`` where the function
                   documents an infinite value, e.g. a bound past its blow-up time; NaN never is);
* ``accepted``     returned a finite result for a value that is invalid for any parameter;
* ``domain-ok``    returned a finite result for an extreme value that may be valid (not an error);
* ``hang``         did not return within the timeout.

The harness also runs the known-wrong cases (``SPECIAL``): calls whose result used to be silently
wrong; each must now either raise a clear error or return the right value.  The address space is
capped at 6 GiB so that an oversized request fails instead of swapping.
"""
from __future__ import annotations

import argparse
import math
import os
import resource
import signal
import sys
import time
import warnings
from collections import Counter

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import input_registry as R  # noqa: E402


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def finite(out, depth: int = 0) -> bool:
    """Is every number in the result finite (arrays, floats, tuples, dicts, records)?"""
    if depth > 4 or out is None or isinstance(out, (str, bool)):
        return True
    if isinstance(out, (float, int, np.number)):
        return bool(np.isfinite(out))
    if isinstance(out, np.ndarray):
        return out.dtype.kind not in "fc" or bool(np.all(np.isfinite(out)))
    if isinstance(out, dict):
        return all(finite(v, depth + 1) for v in out.values())
    if isinstance(out, (tuple, list)):
        return all(finite(v, depth + 1) for v in out)
    if hasattr(out, "__dict__"):
        return all(finite(v, depth + 1) for k, v in vars(out).items() if not k.startswith("_"))
    return True


def has_nan(out, depth: int = 0) -> bool:
    if depth > 4:
        return False
    if isinstance(out, (float, np.floating, np.ndarray)):
        return bool(np.any(np.isnan(out)))
    if isinstance(out, (tuple, list)):
        return any(has_nan(o, depth + 1) for o in out)
    return False


def run_one(entry: R.Entry, param: str, value, timeout: float, callable_name: str | None = None) -> tuple[str, str]:
    kwargs = R.materialise(entry.kwargs)
    kwargs[param] = value
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = entry.func(**kwargs)
    except Hang:
        return "hang", f"no answer in {timeout:g} s"
    except (ValueError, TypeError) as exc:
        msg = str(exc)
        extra = (callable_name,) if callable_name else ()
        if R.names_parameter(msg, param, extra):
            return "clear", msg
        return "obscure", f"{type(exc).__name__}: {msg}"
    except Exception as exc:  # noqa: BLE001 - every other exception is an obscure failure
        return "obscure", f"{type(exc).__name__}: {exc}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    if not finite(out):
        if entry.documented_inf and not has_nan(out):
            return "documented-inf", "result holds a documented inf"
        return "nonfinite", "result holds NaN or inf"
    return "finite", "returned"


def mutations(entry: R.Entry):
    """(param, family, label, value, callable_name) for every mutation of the entry."""
    for param, value in entry.kwargs.items():
        if param in entry.skip:
            continue
        if param in entry.callables:
            for label, bad in R.misbehaving_callables(value, param not in entry.object_callables):
                if f"callable {label}" not in entry.valid.get(param, ()):
                    yield param, "invalid", f"callable {label}", bad, bad.__name__
            yield param, "invalid", "not callable", 1.0, None
            continue
        for label, bad in R.invalid_for(entry, param):
            yield param, "invalid", label, bad, None
        for label, bad in R.domain_mutations(value):
            yield param, "domain", label, bad, None


def special_cases():
    """Calls whose result used to be silently wrong: (description, thunk, check(result) -> bool)."""
    from scipy.integrate import trapezoid

    from sgmbook import metrics, schemes
    from sgmbook.experiments import local_lipschitz as convergence
    from sgmbook.targets import heat, manifold

    x = np.linspace(-4, 4, 401)
    p = np.exp(-0.5 * x ** 2)
    q = np.exp(-0.5 * (x - 1.0) ** 2 / 1.1)
    pn, qn = p / trapezoid(p, x), q / trapezoid(q, x)
    kl = float(trapezoid(pn * np.log(pn / qn), x))
    yield ("kl_1d_density on a decreasing grid", lambda: metrics.kl_1d_density(x[::-1], p[::-1], q[::-1]),
           lambda r: abs(r - kl) < 1e-6)
    yield ("kl_1d_density on a constant grid", lambda: metrics.kl_1d_density(np.zeros(5), np.ones(5), np.ones(5)),
           lambda r: False)
    flow = heat.bump_flow(2.0)
    yield ("bump flow: two times, one point", lambda: flow.evolve(np.array([0.5, 1.0]), np.array([0.0])),
           lambda r: r.hessian_logp.shape == (2, 1))
    yield ("scheme coefficients with a negative step", lambda: schemes.coefficients("em", -0.1), lambda r: False)
    yield ("scheme coefficients with a NaN step", lambda: schemes.coefficients("ei", float("nan")),
           lambda r: False)
    g = manifold.UniformInterval()
    yield ("UniformInterval.hess_heat(1e-12, 1e3)", lambda: g.hess_heat(1e-12, np.array([1e3])),
           lambda r: abs(r[0] + 1e12) < 1e-6 * 1e12)
    yield ("UniformInterval.hess_heat(1e-8, 1e3) within 1/s", lambda: g.hess_heat(1e-8, np.array([1e3])),
           lambda r: abs(r[0]) <= 1e8 * (1 + 1e-9))
    c = manifold.UniformCircle()
    yield ("UniformCircle.logpdf_heat(1e-9, (1, 1))", lambda: c.logpdf_heat(1e-9, np.array([[1.0, 1.0]])),
           lambda r: np.all(np.isfinite(r)))
    gx = np.linspace(995, 1005, 101)
    from sgmbook.targets import Gaussian
    G = Gaussian(np.zeros(1), np.array([1.0]))
    yield ("girsanov_discretisation_bound far out",
           lambda: convergence.girsanov_discretisation_bound(G.score, lambda t, z: G.logpdf(t, z[:, None]),
                                                             np.array([1.0, 0.5, 0.1]), gx),
           lambda r: np.isfinite(r))


def run_special(timeout: float) -> Counter:
    counts = Counter()
    for desc, thunk, check in special_cases():
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = thunk()
            verdict = "right" if check(out) else "WRONG"
        except Hang:
            verdict = "hang"
        except (ValueError, TypeError) as exc:
            verdict = "clear error"
            desc += f"  [{exc}]"
        except Exception as exc:  # noqa: BLE001
            verdict = "obscure error"
            desc += f"  [{type(exc).__name__}: {exc}]"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        counts[verdict] += 1
        print(f"  special  {verdict:13s} {desc[:200]}")
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--details", action="store_true", help="print every non-clear outcome")
    ap.add_argument("--filter", default="", help="only entries whose name contains this")
    args = ap.parse_args(argv)
    cap = 6 * 2 ** 30
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.signal(signal.SIGALRM, _alarm)
    counts: Counter = Counter()
    per_family: Counter = Counter()
    start = time.time()
    n_calls = 0
    for name, entry in sorted(R.ENTRIES.items()):
        if args.filter not in name:
            continue
        for param, family, label, bad, cname in mutations(entry):
            outcome, detail = run_one(entry, param, bad, args.timeout, cname)
            if outcome == "finite":
                outcome = "accepted" if family == "invalid" else "domain-ok"
            counts[outcome] += 1
            per_family[(label, outcome)] += 1
            n_calls += 1
            if args.details and outcome not in ("clear", "domain-ok", "documented-inf"):
                print(f"  {outcome:9s} {name}({param}={label}): {detail[:160]}")
    print(f"\n{n_calls} mutated calls over {sum(args.filter in n for n in R.ENTRIES)} entry points "
          f"in {time.time() - start:.0f} s")
    for k in ("clear", "obscure", "nonfinite", "accepted", "hang", "domain-ok", "documented-inf"):
        print(f"  {k:10s} {counts[k]}")
    print("\nknown-wrong cases:")
    sc = run_special(args.timeout)
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(sc.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
