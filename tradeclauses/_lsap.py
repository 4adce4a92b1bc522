"""The optimal one-to-one assignment, without loading scipy for small matrices.

:func:`linear_sum_assignment` gives exactly what ``scipy.optimize.linear_sum_assignment``
gives (the same pairs, ties broken the same way): for matrices with at most
:data:`SMALL` rows or columns it runs the same algorithm (Crouse's shortest augmenting
path, as implemented in scipy's ``rectangular_lsap.cpp``) with numpy, which is faster
than importing ``scipy.optimize`` (a third of a second or more) for the matrices a draft
and a model chapter make; bigger ones, or any once scipy is loaded, go to scipy.

Examples:
    >>> import numpy as np
    >>> rows, cols = linear_sum_assignment(np.array([[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]]))
    >>> rows.tolist(), cols.tolist()
    ([0, 1, 2], [1, 0, 2])
"""

from __future__ import annotations

import sys

import numpy as np
import numpy.typing as npt

__all__ = ["SMALL", "linear_sum_assignment"]

SMALL = 256
"""Matrices with at most this many rows or columns are solved here, not by scipy."""


def linear_sum_assignment(
    cost: npt.ArrayLike, *, maximize: bool = False
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Rows and columns of the assignment with the least (or, ``maximize``, greatest) total cost.

    Same arguments, result and errors as ``scipy.optimize.linear_sum_assignment``.
    """
    matrix = np.asarray(cost, dtype=np.float64)
    if matrix.ndim != 2:
        msg = f"expected a matrix (2-D array), got a {matrix.ndim}-D array"
        raise ValueError(msg)
    if "scipy.optimize" in sys.modules or min(matrix.shape) > SMALL:
        from scipy.optimize import linear_sum_assignment as scipy_lsap  # noqa: PLC0415 - heavy, only for big matrices

        rows, cols = scipy_lsap(matrix, maximize=maximize)
        return np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)
    return solve(matrix, maximize=maximize)


def solve(
    matrix: npt.NDArray[np.float64], *, maximize: bool = False
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The shortest-augmenting-path solver itself (any size; see :func:`linear_sum_assignment`)."""
    n_rows, n_cols = matrix.shape
    if n_rows == 0 or n_cols == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    transpose = n_cols < n_rows
    cost = matrix.T.copy() if transpose else matrix.copy()
    if maximize:
        cost = -cost
    if np.isnan(cost).any() or (cost == -np.inf).any():
        msg = "matrix contains invalid numeric entries"
        raise ValueError(msg)
    nr, nc = cost.shape
    u = np.zeros(nr)
    v = np.zeros(nc)
    path = np.full(nc, -1, dtype=np.intp)
    col4row = np.full(nr, -1, dtype=np.intp)
    row4col = np.full(nc, -1, dtype=np.intp)
    for cur_row in range(nr):
        # find the shortest augmenting path from cur_row
        shortest = np.full(nc, np.inf)
        in_rows = np.zeros(nr, dtype=bool)
        in_cols = np.zeros(nc, dtype=bool)
        # filled in reverse, as scipy does, so a constant matrix gives the identity
        remaining = np.arange(nc - 1, -1, -1, dtype=np.intp)
        min_val = 0.0
        i = cur_row
        sink = -1
        while sink == -1:
            in_rows[i] = True
            r = min_val + cost[i, remaining] - u[i] - v[remaining]
            better = r < shortest[remaining]
            path[remaining[better]] = i
            shortest[remaining[better]] = r[better]
            costs = shortest[remaining]
            lowest = costs.min()
            if lowest == np.inf:
                msg = "cost matrix is infeasible"
                raise ValueError(msg)
            # the first of the lowest, unless a later one of them ends a path (a free column)
            ties = np.flatnonzero(costs == lowest)
            free = ties[row4col[remaining[ties]] == -1]
            index = int(free[-1]) if free.size else int(ties[0])
            min_val = float(lowest)
            j = int(remaining[index])
            if row4col[j] == -1:
                sink = j
            else:
                i = int(row4col[j])
            in_cols[j] = True
            remaining[index] = remaining[-1]
            remaining = remaining[:-1]
        # update the dual variables
        u[cur_row] += min_val
        others = in_rows.copy()
        others[cur_row] = False
        rows_in = np.flatnonzero(others)
        u[rows_in] += min_val - shortest[col4row[rows_in]]
        v[in_cols] -= min_val - shortest[in_cols]
        # augment the previous solution
        j = sink
        while True:
            i = int(path[j])
            row4col[j] = i
            col4row[i], j = j, int(col4row[i])
            if i == cur_row:
                break
    if transpose:
        order = np.argsort(col4row, kind="stable")
        return col4row[order].astype(np.intp), order.astype(np.intp)
    return np.arange(nr, dtype=np.intp), col4row
