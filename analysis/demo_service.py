"""The demo store's after-sale side: reviews, tickets, refund records, contacts, care calls.

Each function takes the generator of :mod:`analysis.demo` (its ``rng``, ``clock``, ``rows``
and ``customers``) after the orders exist, and appends rows. The three bad-review paths of
docs/design.md are made here on purpose: (a) contact → solved → good review, (b) contact → not
solved → bad review, (c) no contact → bad review.
"""

from __future__ import annotations

import datetime as dt
import math

from analysis import demo_texts as T

JD = "京东自营店"
DAY = dt.timedelta(days=1)


def _h(rng, median_h: float, sigma: float = 1.0) -> dt.timedelta:
    return dt.timedelta(hours=median_h * math.exp(rng.gauss(0, sigma)))


def _kind(order: dict) -> str:
    return T.PRODUCTS[order["_lines"][0][0]][1]


def ticket(d, shop, opened, *, source, category, order=None, customer_id=None, channel=None,
           solved=True, escalated=False, refund=None, resolve_h=6.0, unanswered_p=0.04):
    """Append one ticket with believable response and resolution times; returns it.

    Chats opened at night are first answered after 09:00; a few are never answered; an
    unsolved complaint stays open or is closed as refused; nothing happens after ``now``.
    """
    r, now = d.rng, d.clock.now
    first = opened + _h(r, 0.2, 1.3)
    if source == "helpdesk" and (opened.hour >= 23 or opened.hour < 9):
        morning = opened.replace(hour=9, minute=0, second=0) + DAY * (opened.hour >= 23)
        first = morning + _h(r, 0.3, 0.8)
    resolved = first + _h(r, resolve_h, 1.1)
    outcome = {"refund": "已退款", "care_call": "已解决"}.get(source) or r.choice(T.SOLVED_OUTCOMES)
    if r.random() < unanswered_p:
        first = resolved = None
    if not solved:
        outcome = "拒绝" if r.random() < 0.3 else None
        if outcome is None:
            resolved = None
            if r.random() < 0.4:
                first = None
    if first is not None and first > now:
        first = resolved = None
    if resolved is not None and resolved > now:
        resolved = None
    if resolved is None and outcome != "拒绝":
        outcome = None
    d.seq += 1
    if source == "refund":
        # Platform refund numbers: 10 digits on JD, 15 on Tmall (a bijection of the sequence).
        tid = (f"{d.seq * 7919 % 10**9 + 10**9}" if shop == JD
               else f"14{d.seq * 104729 % 10**13:013d}")
    else:
        tid = f"{'CARE' if source == 'care_call' else 'KF'}{opened:%Y%m%d}{d.seq:05d}"
    row = {"shop": shop, "ticket_id": tid, "order_id": order["order_id"] if order else None,
           "customer_id": order["customer_id"] if order else customer_id, "opened_at": opened,
           "first_response_at": first, "resolved_at": resolved, "channel": channel,
           "category": category, "agent": r.choices(d.agents, weights=d.agent_load)[0],
           "outcome": outcome, "status": "已关闭" if resolved else ("处理中" if first else "待处理"),
           "source": source, "escalated": escalated, "reopened": r.random() < 0.03,
           "refund_amount": refund, "item_title": order["item_title"] if order else None}
    d.rows["tickets"].append(row)
    return row


def _channel(d, shop):
    return d.rng.choices(T.CHANNELS[shop], weights=T.CHANNEL_WEIGHTS)[0]


def _review_text(d, order, mood):
    """(rating, content, aspect) for an order's review according to its mood."""
    r, kind = d.rng, _kind(order)
    aspect = order.get("_aspect") or r.choice(T.aspects_for(kind))
    if mood == "rave":
        return 5, T.good_text(r, kind, rave=True), None
    if mood == "A":
        if r.random() < 0.15:  # helped, and still unhappy enough for two stars
            return 2, T.mixed_text(r, kind)[0], aspect
        return r.choice((5, 5, 4)), T.solved_text(r, kind), None
    if mood in ("B", "C"):
        return r.choice((1, 1, 2)), T.bad_text(r, kind, aspect, contacted=mood == "B"), aspect
    roll = r.random()
    if roll < 0.15:
        return 5, r.choice(T.PLACEHOLDERS), None
    if roll < 0.30:
        return 5, r.choice(T.SHORT_GOOD), None
    if roll < 0.87:
        return r.choice((5,) * 9 + (4,)), T.good_text(r, kind), None
    if roll < 0.96:
        text, aspect = T.mixed_text(r, kind)
        return r.choice((3, 4)), text, aspect
    return 5, T.complaint_text(r, kind), None  # five stars over a complaint: a review queue case


def reviews(d) -> None:
    """Reviews for about 60 % of signed orders, with the complaint tickets that precede them."""
    r, now = d.rng, d.clock.now
    for o in d.rows["orders"]:
        mood, signed = o["_mood"], o["signed_time"]
        if signed is None:
            continue
        if o["_kind"] == "refunded":  # a refund fought over: the prospect's only review
            if o["_cust"].rung != "prospect" or r.random() < 0.5:
                continue
            mood = "C"
        elif o["_kind"] not in ("purchase", "partial"):
            continue
        after = signed
        if mood in ("A", "B"):
            o["_aspect"] = r.choice(T.aspects_for(_kind(o)))
            opened = signed + _h(r, 8, 0.6)
            if opened > now:
                continue
            t = ticket(d, o["shop"], opened, source="helpdesk", order=o,
                       channel=_channel(d, o["shop"]), solved=mood == "A",
                       category=T.TICKET_CATEGORY[o["_aspect"]])
            after = t["resolved_at"] or opened + _h(r, 30, 0.3)
        p = {"rave": 1.0, "A": 0.8, "B": 0.85, "C": 1.0}.get(mood, 0.55)
        if r.random() > p:
            continue
        when = after + (dt.timedelta(hours=r.uniform(6, 96)) if mood == "rave" else
                        dt.timedelta(hours=2 + r.expovariate(1 / 60)))
        if when > now:
            continue
        rating, content, aspect = _review_text(d, o, mood)
        negative = rating <= 3 and aspect is not None
        reply_time = when + _h(r, 6, 0.8)
        if reply_time > now or r.random() > (0.85 if rating <= 2 else 0.5 if negative else 0.15):
            reply_time = None
        follow_time = when + dt.timedelta(days=r.uniform(5, 40))
        if follow_time > now or r.random() > (0.2 if mood in ("B", "C") else
                                              0.25 if mood == "rave" else 0.06):
            follow_time = None
        rid = (f"{r.randrange(10**10, 10**11)}" if o["shop"] == JD
               else f"1{r.randrange(10**12):012d}")
        first_item = o["_lines"][0][0]
        d.rows["reviews"].append({
            "shop": o["shop"], "review_key": f"{rid}|{o['order_id']}", "review_id": rid,
            "order_id": o["order_id"], "customer_id": o["customer_id"],
            "item_id": d.item_id(o["shop"], first_item), "item_title": T.PRODUCTS[first_item][0],
            "rating": rating, "content": content, "review_time": when,
            "followup_content": follow_time and r.choice(
                T.BAD_FOLLOWUPS if rating <= 2 else T.GOOD_FOLLOWUPS),
            "followup_time": follow_time,
            "seller_reply": reply_time and T.seller_reply(r, negative, aspect or "商品"),
            "reply_time": reply_time,
        })


def tickets(d) -> None:
    """Refund records, routine help-desk tickets and prospects' pre-sale questions."""
    r, now = d.rng, d.clock.now
    for o in d.rows["orders"]:
        kind, shop = o["_kind"], o["shop"]
        if kind in ("cancelled", "refunded", "partial") and o["refund_amount"] > 0:
            opened = (o["pay_time"] + _h(r, 4) if kind == "cancelled"
                      else o["signed_time"] + _h(r, 30, 0.7))
            escalated = r.random() < 0.06
            ticket(d, shop, min(opened, now - dt.timedelta(hours=1)), source="refund", order=o,
                   category="拍错了/不想要了" if kind == "cancelled" else r.choice(T.REFUND_REASONS),
                   escalated=escalated, refund=o["refund_amount"], unanswered_p=0,
                   resolve_h=96 if escalated else (1 if kind == "cancelled" else 20))
        elif r.random() < 0.05:
            opened = o["order_time"] + dt.timedelta(hours=r.uniform(0.1, 72))
            if opened <= now:
                ticket(d, shop, opened, source="helpdesk", order=o, channel=_channel(d, shop),
                       category=r.choice(T.ROUTINE_CATEGORIES))
    for c in d.customers:
        if c.rung == "prospect" and r.random() < 0.3:
            ticket(d, c.shop, d.clock.moment(r), source="helpdesk", customer_id=c.id,
                   channel=_channel(d, c.shop), category="售前咨询")
            d.presale.add(c.id)


def contacts(d) -> None:
    """Member and follower lists (the unrelated rung) and enquiries, carts and favourites."""
    r, clock = d.rng, d.clock

    def add(c, source, first_seen, with_person):
        d.rows["contacts"].append({
            "shop": c.shop, "customer_id": c.id, "source": source, "first_seen": first_seen,
            "buyer_name": c.name if with_person else None,
            "phone": c.phone if with_person else None})

    for c in d.customers:
        if c.rung == "unrelated":
            roll = r.random()
            sources = (["member"] if roll < 0.6 else ["follower"] if roll < 0.9
                       else ["member", "follower"])
            for s in sources:
                # Half of the member list predates the demo's 26 weeks.
                seen = (clock.start - dt.timedelta(days=r.randint(0, 365)) if r.random() < 0.5
                        else clock.moment(r))
                add(c, s, seen, s == "member" and r.random() < 0.5)
        elif c.rung == "prospect":
            if c.id in d.presale and r.random() < 0.5:
                continue  # a pre-sale question is interaction enough
            for s in r.sample(("enquiry", "cart", "favorite"), r.choice((1, 1, 2))):
                add(c, s, clock.moment(r), s == "enquiry" and r.random() < 0.3)
        elif c.first_order is not None and r.random() < 0.3:
            add(c, "member" if r.random() < 0.75 else "follower",
                c.first_order - dt.timedelta(days=r.randint(0, 200)), r.random() < 0.5)


def care_calls(d, signed_today: set[str]) -> None:
    """Evening calls of the past five weeks to upper-rung and high-end buyers, and the
    do-not-call list; problems found on a call become ``care_call`` tickets."""
    r, end = d.rng, d.end
    upper = [c for c in d.customers
             if c.rung in ("supporter", "advocate") and c.id not in signed_today]
    dnc = {c.id for c in r.sample(upper, min(3, len(upper)))}
    for c in upper:
        if c.id in dnc:
            d.rows["do_not_call"].append({"shop": c.shop, "customer_id": c.id,
                                          "reason": "客户要求勿扰", "added_at": d.clock.moment(r)})
    per_day: dict[dt.date, int] = {}
    for o in d.rows["orders"]:
        c, signed = o["_cust"], o["signed_time"]
        if (signed is None or o["_kind"] != "purchase" or c.id in signed_today or c.id in dnc
                or not (c.high_end or c.rung in ("supporter", "advocate"))
                or not end - dt.timedelta(days=35) <= signed.date() < end
                or signed.hour >= 18 or r.random() > 0.5):  # calls are made 18:00-19:00
            continue
        day = signed.date()
        k = per_day[day] = per_day.get(day, 0) + 1
        agent = d.agents[k % len(d.agents)]
        at = dt.datetime.combine(day, dt.time(18)) + dt.timedelta(minutes=r.randint(0, 59))
        outcome = r.choices(list(T.CARE_OUTCOMES), weights=T.CARE_OUTCOMES.values())[0]
        aspect = r.choice(T.aspects_for(_kind(o)))
        tid = None
        if outcome == "problem_found":
            t = ticket(d, o["shop"], at, source="care_call", order=o, channel="电话",
                       category=T.TICKET_CATEGORY[aspect], unanswered_p=0, resolve_h=5)
            t["agent"], tid = agent, t["ticket_id"]
        d.rows["care_calls"].append({
            "shop": o["shop"], "call_date": day, "order_id": o["order_id"], "customer_id": c.id,
            "agent": agent, "outcome": outcome,
            "note": r.choice(T.CARE_NOTES[outcome]).format(a=aspect),
            "ticket_id": tid, "recorded_at": at + dt.timedelta(minutes=r.randint(2, 10)),
            "recorded_by": agent})
