"""Small-number suppression (engage/suppression.py), over many random tables.

The checks do not trust the function's own reasoning: a hidden entry counts as worked out
when the equations a reader can write from what is shown (each row and each column of the
table, with its total, adds up) pin it to one value, which is tested with linear algebra.
"""

import random

import numpy
import pytest

from engage.suppression import SMALL, table_suppress


def _entries(table):
    """Every entry of the grid (cells and totals) as ((r, c), Entry)."""
    return [((r, c), entry) for r, row in enumerate(table.grid()) for c, entry in enumerate(row)]


def _derivable(table) -> list[tuple[int, int]]:
    """Hidden entries a reader can solve for from the shown ones and the sums of the rows
    and columns. The grid's lines: cells of row r minus its total = 0, cells of column c
    minus its total = 0, row totals minus the grand total = 0, column totals minus it = 0.
    A hidden entry is determined exactly when its unit vector lies in the row space of
    those equations restricted to the hidden entries."""
    grid = table.grid()
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    hidden = [(r, c) for (r, c), entry in _entries(table) if not entry.shown]
    if not hidden:
        return []
    index = {position: i for i, position in enumerate(hidden)}
    equations = []
    for r in range(rows + 1):  # each grid row: its entries but the last sum to the last
        line = numpy.zeros(len(hidden))
        for c in range(columns + 1):
            if (r, c) in index:
                line[index[(r, c)]] = -1 if c == columns else 1
        equations.append(line)
    for c in range(columns + 1):
        line = numpy.zeros(len(hidden))
        for r in range(rows + 1):
            if (r, c) in index:
                line[index[(r, c)]] = -1 if r == rows else 1
        equations.append(line)
    system = numpy.array(equations)
    rank = numpy.linalg.matrix_rank(system)
    found = []
    for position, i in index.items():
        unit = numpy.zeros(len(hidden))
        unit[i] = 1
        if numpy.linalg.matrix_rank(numpy.vstack([system, unit])) == rank:
            found.append(position)
    return found


def _line_sums(table) -> list[tuple[str, int, int]]:
    """What each line tells a reader about the sum of its hidden entries, as (which line,
    its index, the sum): a line (a grid row or a grid column, totals included) whose total
    is shown gives that total less its shown entries. A line whose total is hidden tells
    only a difference (the hidden total less its hidden cells is the sum of the shown ones),
    so it gives no sum."""
    grid = table.grid()
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    lines = [("row", r, grid[r][:columns], grid[r][columns]) for r in range(rows + 1)]
    lines += [
        ("column", c, [grid[r][c] for r in range(rows)], grid[rows][c]) for c in range(columns + 1)
    ]
    found = []
    for kind, i, entries, total in lines:
        if not total.shown:
            continue
        told = total.value - sum(entry.value for entry in entries if entry.shown)
        # The reader's figure is the true sum of the hidden entries (the lines add up).
        assert told == sum(entry.value for entry in entries if not entry.shown)
        found.append((kind, i, told))
    return found


def _random_table(generator: random.Random) -> list[list[int]]:
    rows = generator.randint(1, 8)
    columns = generator.randint(1, 5)
    kind = generator.random()

    def value():
        if kind < 0.3:  # mostly small: many primary suppressions
            return generator.choice([0, 1, 2, 3, 5, 9, 10, 11, 40])
        if kind < 0.6:
            return generator.randint(0, 30)
        return generator.choice([0, generator.randint(1, 9), generator.randint(10, 500)])

    return [[value() for _ in range(columns)] for _ in range(rows)]


@pytest.mark.parametrize("seed", range(4))
def test_no_small_count_is_shown_no_hidden_count_can_be_worked_out_nor_any_small_sum(seed):
    generator = random.Random(seed)
    for _ in range(400):
        cells = _random_table(generator)
        table = table_suppress(cells)
        for (r, c), entry in _entries(table):
            assert not (entry.shown and 0 < entry.value < SMALL), (cells, r, c)
            assert entry.display == ("hidden" if not entry.shown else f"{entry.value:,}")
        assert _derivable(table) == [], cells
        for kind, i, told in _line_sums(table):
            assert told == 0 or told >= SMALL, (cells, kind, i, told)
        # Nothing is hidden that need not be: with no count from 1 to 9 (so no total of
        # one either), nothing is hidden.
        if all(value == 0 or value >= SMALL for row in cells for value in row):
            assert table.hidden == 0, cells


def test_a_row_with_one_small_cell_hides_another_beside_it():
    table = table_suppress([[4, 25, 30], [12, 40, 18]])
    shown = [[entry.shown for entry in row] for row in table.cells]
    assert shown[0][0] is False
    assert sum(not s for s in shown[0]) >= 2  # its row total alone would give it away
    assert sum(not row[0] for row in shown) >= 2  # so would its column's
    # The complements are the smallest counts that protect it, not zeros.
    assert _derivable(table) == []


def test_two_hidden_cells_of_a_row_that_sum_under_ten_hide_a_third():
    # The 3 and the 4 are hidden, and each is protected by a cycle through the second row;
    # but with the first row's total shown, 37 less the 30 says they sum to 7, so both are
    # under 10. The smallest shown count of that row (the 30, not the 0) is hidden too.
    table = table_suppress([[3, 4, 30, 0], [20, 25, 40, 0]])
    first = table.cells[0]
    assert not first[0].shown and not first[1].shown
    assert not first[2].shown and table.row_totals[0].shown
    assert first[3].shown  # a hidden zero would not help
    for kind, i, told in _line_sums(table):
        assert told == 0 or told >= SMALL, (kind, i, told)
    assert _derivable(table) == []


def test_a_hidden_small_count_with_a_larger_one_is_not_narrowed_down_by_their_line():
    # A hidden 3 and a hidden 12 in one column, with its total shown, leave 15: still at
    # least 10, so the rule is met without hiding more in that column.
    table = table_suppress([[3, 40], [12, 50], [30, 60]])
    assert [entry.shown for entry in (*table.cells[0], *table.cells[1])] == [False] * 4
    assert table.cells[2][0].shown and table.column_totals[0].shown
    told = {(kind, i): value for kind, i, value in _line_sums(table)}
    assert told[("column", 0)] == 15
    for kind, i, told in _line_sums(table):
        assert told == 0 or told >= SMALL, (kind, i, told)
    assert _derivable(table) == []


def test_totals_that_would_reveal_a_small_cell_are_hidden():
    # One column: each cell is its row's total, so a small cell hides its row total too,
    # and a second row with it.
    table = table_suppress([[3], [50], [20]])
    assert not table.cells[0][0].shown
    assert not table.row_totals[0].shown
    assert _derivable(table) == []
    assert table.total.shown  # 73 with two rows hidden tells nothing about either


def test_a_small_total_is_hidden():
    table = table_suppress([[2, 3]])
    assert not table.total.shown
    assert all(not entry.shown for entry in table.cells[0])


def test_zeros_are_shown_and_a_table_of_large_counts_is_untouched():
    table = table_suppress([[0, 12], [15, 0]])
    assert [[e.display for e in row] for row in table.cells] == [["0", "12"], ["15", "0"]]
    assert table.total.display == "27"


def test_a_count_hidden_elsewhere_is_hidden_and_protected_here():
    """`hide`: a Place's row hidden among its PCNs stays hidden among the Places, and
    another row is hidden with it so the total does not give it away."""
    assert all(row[0].shown for row in table_suppress([[40], [30], [25]]).cells)
    table = table_suppress([[40], [30], [25]], hide=[(0, 0)])
    assert not table.cells[0][0].shown
    assert [row[0].shown for row in table.cells].count(False) == 2
    assert table.total.shown
    assert _derivable(table) == []


@pytest.mark.parametrize("bad", [[], [[]], [[1, 2], [3]], [[-1]], [["3"]]])
def test_a_malformed_table_is_refused(bad):
    with pytest.raises(ValueError):
        table_suppress(bad)
