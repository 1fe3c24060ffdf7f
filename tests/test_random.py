import numpy as np
import pytest

from statcraft._random import as_generator, spawn_generators, spawn_seeds


def test_as_generator_accepts_the_documented_types():
    g = np.random.default_rng(1)
    assert as_generator(g) is g
    assert isinstance(as_generator(None), np.random.Generator)
    assert as_generator(3).random() == np.random.default_rng(3).random()
    ss = np.random.SeedSequence(5)
    assert as_generator(ss).random() == np.random.default_rng(np.random.SeedSequence(5)).random()


@pytest.mark.parametrize("bad", ["1", 1.5, True, np.random.RandomState(0)])
def test_as_generator_rejects_other_types(bad):
    with pytest.raises(TypeError, match="`rng` must be None, an int seed"):
        as_generator(bad)


def test_negative_seed_is_a_value_error():
    with pytest.raises(ValueError, match="`rng` seed must be non-negative"):
        as_generator(-1)


def test_children_do_not_depend_on_how_many_are_spawned():
    first = [g.random() for g in spawn_generators(11, 2)]
    more = [g.random() for g in spawn_generators(11, 6)]
    assert first == more[:2]
    assert len(set(more)) == 6


def test_spawning_from_a_generator_advances_it_once():
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    a = spawn_seeds(g1, 3)
    b = spawn_seeds(g2, 3)
    assert [s.generate_state(1)[0] for s in a] == [s.generate_state(1)[0] for s in b]
    assert g1.random() == g2.random()
