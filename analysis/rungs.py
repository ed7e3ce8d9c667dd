"""The six rungs of the customer ladder (顾客的六个层级), named once.

1 尚未建立关系的消费者 unrelated, 2 潜在消费者 prospect, 3 购买者 buyer, 4 顾客 customer,
5 支持者 supporter, 6 拥戴者 advocate. The rules that place a customer are in
:mod:`analysis.ladder_sql`; every table, figure and contract names the rungs by these keys.
"""

from __future__ import annotations

RUNG_NAMES = ("unrelated", "prospect", "buyer", "customer", "supporter", "advocate")
RUNGS = tuple(range(1, len(RUNG_NAMES) + 1))
RUNG_KEYS = dict(zip(RUNGS, RUNG_NAMES))
