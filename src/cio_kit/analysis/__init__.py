"""Computations over one loaded plan: graph, schedule, calendars, capacity, risk, earned value, money."""
