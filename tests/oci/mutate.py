"""Random mutations of a JSON document for the fuzzing tests (config_fuzz.sh, seccomp.sh):
each copy of good gets one to three changes at random places: a value replaced by one of
values, or a key deleted. The same seed gives the same sequence."""
import json
import random


def _paths(o, p=()):
    yield p
    if isinstance(o, dict):
        for k, v in o.items():
            yield from _paths(v, p + (k,))
    elif isinstance(o, list):
        for i, v in enumerate(o):
            yield from _paths(v, p + (i,))


def mutations(good, values, count, seed):
    random.seed(seed)
    all_paths = [p for p in _paths(good) if p]
    for _ in range(count):
        c = json.loads(json.dumps(good))
        for _ in range(random.randint(1, 3)):
            p = random.choice(all_paths)
            o = c
            try:
                for k in p[:-1]:
                    o = o[k]
                if random.random() < 0.2 and isinstance(o, dict):
                    del o[p[-1]]
                else:
                    o[p[-1]] = random.choice(values)
            except (KeyError, IndexError, TypeError):
                pass
        yield c
