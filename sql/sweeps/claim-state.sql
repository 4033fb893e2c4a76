-- What a claim counts, inside its transaction: the next trial number (max + 1, 0 first), the
-- trials counted against runCap (requeue = 0), the next grid index (max + 1, 0 first).
SELECT coalesce(max(number) + 1, 0) AS number, count(*) FILTER (WHERE requeue = 0) AS counted,
    coalesce(max(grid_index) + 1, 0) AS grid
  FROM trials WHERE sweep_id = @sweep
