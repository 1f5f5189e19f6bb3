"""Small-number suppression for tables of counts of people (statistical disclosure control).

`table_suppress(cells)` takes a table of counts (rows of non-negative whole numbers) and says
which of its cells, row totals, column totals and grand total may be shown:

- **Primary suppression.** Every count from 1 to `SMALL - 1` (1 to 9) is hidden. A zero is
  shown: it tells nothing about any one person.
- **Secondary suppression.** No hidden count can be worked out from what is shown, by
  subtracting the shown cells of its row or column from the row's or column's total, or by
  any chain of such subtractions across rows and columns. A table with its margins is a
  set of sums: every row (with its total) and every column (with its total) adds up. Write
  the table with its totals as one grid where each line sums to zero; the hidden entries are
  the edges of a graph between its rows and columns, and a hidden entry can be solved for
  exactly when its edge is a bridge of that graph (no cycle of hidden entries runs through
  it). So every hidden entry is put on a cycle: while a bridge is left, the cheapest
  rectangle of four entries through it (preferring counts already hidden, then the smallest
  counts of 10 or more, zeros last: a hidden zero beside a hidden small count would give it
  away by sum) is hidden too.
- **Groups of hidden entries are not small either.** A line (a row or a column of the grid,
  its total included) whose total is shown tells the reader the sum of its hidden entries:
  the total less the shown ones. Two hidden cells of one row that sum to 7 say that both are
  under 10; a hidden 3 and a hidden 12 whose line leaves 15 say one of them may be small. So
  in every line the hidden entries' sum is 0 or at least `SMALL`: else one more entry of that
  line is hidden (the cheapest, as above: the smallest shown count of 10 or more). A line
  whose total is hidden tells only the hidden total less its hidden cells, which is the sum
  of the shown cells and so tells nothing new. Hiding an entry can leave a bridge, so the
  two steps (cycles, then lines) are run in turn until neither hides anything more.
- **Every hidden entry looks the same.** Shown as "hidden", whether it is a small count or
  a larger one hidden to protect it: marking them apart would tell a reader that one lies
  between 1 and 9 and the other is 0 or 10 or more, and a sum of the two would then narrow
  both down.

The result keeps the numbers (for tests and for the code that decides what to show) and a
`shown` flag beside each; templates and exports show only what is shown.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

SMALL = 10  # counts from 1 to SMALL - 1 are never shown


@dataclass
class Entry:
    value: int
    shown: bool = True

    @property
    def display(self) -> str:
        return f"{self.value:,}" if self.shown else "hidden"


@dataclass
class SuppressedTable:
    """`cells[r][c]`, `row_totals[r]`, `column_totals[c]` and `total`, each an `Entry`."""

    cells: list[list[Entry]]
    row_totals: list[Entry]
    column_totals: list[Entry]
    total: Entry
    hidden: int = field(default=0)

    def grid(self) -> list[list[Entry]]:
        """The table with its totals as one grid: the last column holds the row totals and
        the last row the column totals and the grand total."""
        rows = [
            [*cells, row_total]
            for cells, row_total in zip(self.cells, self.row_totals, strict=True)
        ]
        return [*rows, [*self.column_totals, self.total]]


def _bridges(edges: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The hidden entries (row r, column c of the grid) no cycle of hidden entries runs
    through, in a fixed order. The graph has a vertex per grid row ("r", r) and per grid
    column ("c", c); tables are small, so each edge is tested by removing it."""
    adjacency: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for r, c in edges:
        adjacency.setdefault(("r", r), set()).add(("c", c))
        adjacency.setdefault(("c", c), set()).add(("r", r))
    found = []
    for r, c in sorted(edges):
        start, goal = ("r", r), ("c", c)
        seen = {start}
        stack = [start]
        reached = False
        while stack and not reached:
            vertex = stack.pop()
            for neighbour in adjacency[vertex]:
                if vertex == start and neighbour == goal:
                    continue  # the edge itself
                if neighbour == goal:
                    reached = True
                    break
                if neighbour not in seen:
                    seen.add(neighbour)
                    stack.append(neighbour)
        if not reached:
            found.append((r, c))
    return found


def _cost(value: int, hidden: bool) -> tuple[int, int]:
    """How much hiding an entry costs: nothing if it is hidden already; a zero most (a
    hidden zero beside a hidden small count lets a reader take one from the other)."""
    if hidden:
        return (0, 0)
    if value == 0:
        return (2, 0)
    return (1, value)


def table_suppress(
    cells: list[list[int]], *, small: int = SMALL, hide: Iterable[tuple[int, int]] = ()
) -> SuppressedTable:
    """Which entries of `cells` and its totals may be shown (see the module's docstring).

    `cells` is a list of rows of equal length, at least one row and one column, of whole
    numbers of 0 or more. Raises ValueError otherwise. `hide` names cells (row, column) to
    hide whatever their count, as if small: a count another table hides (a Place's total,
    hidden to protect one of its PCNs, in a table of Places), which this one must protect.
    """
    if not cells or not cells[0] or any(len(row) != len(cells[0]) for row in cells):
        raise ValueError("A table needs at least one row and one column, all rows as long.")
    if any(not isinstance(value, int) or value < 0 for row in cells for value in row):
        raise ValueError("A table holds whole numbers of 0 or more.")
    rows, columns = len(cells), len(cells[0])
    # The grid: cells, then the row totals as the last column, then the column totals and
    # the grand total as the last row.
    grid = [[*row, sum(row)] for row in cells]
    grid.append([*(sum(row[c] for row in cells) for c in range(columns)), grid_total(cells)])
    hidden = {(r, c) for r in range(rows + 1) for c in range(columns + 1) if 0 < grid[r][c] < small}
    hidden.update((r, c) for r, c in hide if 0 <= r < rows and 0 <= c < columns)
    while True:
        if bridges := _bridges(hidden):
            hidden.update(_cycle_through(grid, hidden, bridges[0]))
        elif (more := _small_hidden_sum(grid, hidden, small)) is not None:
            hidden.add(more)
        else:
            break

    def entry(r, c):
        return Entry(grid[r][c], (r, c) not in hidden)

    return SuppressedTable(
        cells=[[entry(r, c) for c in range(columns)] for r in range(rows)],
        row_totals=[entry(r, columns) for r in range(rows)],
        column_totals=[entry(rows, c) for c in range(columns)],
        total=entry(rows, columns),
        hidden=len(hidden),
    )


def _lines(rows: int, columns: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every line of a grid of `rows` + 1 rows and `columns` + 1 columns, as (its entries
    but the total, its total): each grid row, then each grid column."""
    found = [([(r, c) for c in range(columns)], (r, columns)) for r in range(rows + 1)]
    found += [([(r, c) for r in range(rows)], (rows, c)) for c in range(columns + 1)]
    return found


def _small_hidden_sum(
    grid: list[list[int]], hidden: set[tuple[int, int]], small: int
) -> tuple[int, int] | None:
    """The entry to hide next because a line's shown total gives away that its hidden
    entries sum to a number from 1 to `small` - 1, or None if no line does. The entry is the
    cheapest shown one of the first such line; there is always one of 10 or more, since the
    shown total is at least `small` and the hidden entries sum to less."""
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    for entries, total in _lines(rows, columns):
        if total in hidden:
            continue
        hidden_sum = sum(grid[r][c] for r, c in entries if (r, c) in hidden)
        if 0 < hidden_sum < small:
            shown = [(r, c) for r, c in entries if (r, c) not in hidden]
            return min(shown, key=lambda rc: (*_cost(grid[rc[0]][rc[1]], False), rc))
    return None


def _cycle_through(
    grid: list[list[int]], hidden: set[tuple[int, int]], bridge: tuple[int, int]
) -> tuple[tuple[int, int], ...]:
    """The other three corners of the cheapest rectangle through the hidden entry `bridge`."""
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    r, c = bridge
    best = None
    for r2 in range(rows + 1):
        if r2 == r:
            continue
        for c2 in range(columns + 1):
            if c2 == c:
                continue
            corners = ((r, c2), (r2, c), (r2, c2))
            costs = [_cost(grid[a][b], (a, b) in hidden) for a, b in corners]
            key = (max(cost[0] for cost in costs), sum(cost[1] for cost in costs), r2, c2)
            if best is None or key < best[0]:
                best = (key, corners)
    return best[1]


def grid_total(cells: list[list[int]]) -> int:
    return sum(sum(row) for row in cells)
