"""Optuna's Redis journal storage under the overhead scenario's load, for the benchmark.

W worker processes share one study in a JournalRedisBackend on the given Redis, as Optuna's
docs describe distributed optimisation; each runs N/W trials of the default sampler (TPE, or --sampler random) over
the campaign's search space, and a trial is sampling, then a sleep of D ms, then tell. Prints
one JSON object: each sleep's span (the trial's "training"), when each trial was told, and the
CPU the workers spent from their first trial on (start-up and imports excluded).
"""

import argparse
import json
import multiprocessing
import resource
import time

import warnings

import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalRedisBackend

warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


SAMPLERS = {"tpe": optuna.samplers.TPESampler, "random": optuna.samplers.RandomSampler}


def now_ms() -> float:
    return time.time() * 1000.0


def cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000.0


def worker(index, args, space, barrier, results):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = JournalStorage(JournalRedisBackend(args.redis_url))
    study = optuna.load_study(study_name=args.study, storage=storage)
    spans = []
    told = []
    barrier.wait()
    cpu_start = cpu_ms()

    def objective(trial):
        params = [trial.suggest_float(name, low, high) for name, low, high in space]
        start = now_ms()
        time.sleep(args.trial_ms / 1000.0)
        spans.append({"worker": f"optuna-{index}", "start": start, "end": now_ms()})
        return sum(params)

    def on_told(_study, _trial):
        told.append(now_ms())

    study.optimize(objective, n_trials=args.trials // args.workers, callbacks=[on_told])
    results.put({"spans": spans, "told": told, "cpu_ms": cpu_ms() - cpu_start})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--trial-ms", type=float, required=True)
    parser.add_argument("--space", required=True, help="JSON file: [[name, low, high], ...]")
    parser.add_argument("--study", default="bench-overhead")
    parser.add_argument("--sampler", choices=("tpe", "random"), default="tpe",
                        help="tpe: Optuna's default; random: the storage's own cost with the cheapest sampler")
    args = parser.parse_args()
    with open(args.space) as handle:
        space = [(name, float(low), float(high)) for name, low, high in json.load(handle)]

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = JournalStorage(JournalRedisBackend(args.redis_url))
    optuna.create_study(study_name=args.study, storage=storage, direction="maximize",
                        sampler=SAMPLERS[args.sampler](seed=1))

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(args.workers)
    results = context.Queue()
    processes = [context.Process(target=worker, args=(i, args, space, barrier, results)) for i in range(args.workers)]
    for process in processes:
        process.start()
    collected = [results.get() for _ in processes]
    for process in processes:
        process.join()
    print(json.dumps({
        "optuna": optuna.__version__,
        "spans": [span for result in collected for span in result["spans"]],
        "done_at": max(t for result in collected for t in result["told"]),
        "cpu_ms": sum(result["cpu_ms"] for result in collected),
    }))


if __name__ == "__main__":
    main()
