from alliance.consensus.next_statement import choose, rank, score


def test_nothing_left_to_vote_on_gives_none():
    assert choose([], {}) is None


def test_statements_with_few_votes_come_first():
    assert rank([1, 2, 3], {1: 10, 2: 0, 3: 4}) == [2, 3, 1]


def test_a_statement_nobody_voted_on_counts_as_zero_votes():
    assert choose([5, 6], {5: 1}) == 6


def test_ties_go_to_the_oldest_statement_whatever_the_input_order():
    assert rank([9, 3, 7], {}) == [3, 7, 9]
    assert rank([7, 9, 3], {3: 2, 7: 2, 9: 2}) == [3, 7, 9]


def test_among_equally_known_statements_divisive_and_uniting_ones_come_first():
    counts = {1: 5, 2: 5, 3: 5}
    assert rank([1, 2, 3], counts, consensus={1: 0.1, 2: 0.8, 3: 0.1}, divisive={3}) == [3, 2, 1]


def test_scarcity_still_outweighs_insight_when_the_gap_is_large():
    # Divisive with 20 votes: 2/21; unknown with 2 votes: 1/3.
    assert choose([1, 2], {1: 20, 2: 2}, divisive={1}) == 2


def test_insight_can_outweigh_a_small_difference_in_votes():
    # Divisive with 4 votes: 2/5; plain with 3 votes: 1/4.
    assert choose([1, 2], {1: 4, 2: 3}, divisive={1}) == 1


def test_consensus_outside_zero_to_one_is_clamped():
    assert score(0, consensus=7.0) == score(0, consensus=1.0) == 2.0
    assert score(0, consensus=-3.0) == score(0) == 1.0


def test_the_same_inputs_always_give_the_same_order():
    counts = {n: n % 4 for n in range(50)}
    consensus = {n: (n % 7) / 7 for n in range(50)}
    first = rank(range(50), counts, consensus=consensus, divisive={3, 11})
    assert all(
        rank(reversed(range(50)), counts, consensus=consensus, divisive=[11, 3]) == first
        for _ in range(3)
    )
