-- One closed block of at least 64 consecutive points (docs/schema.md, point_blocks).
INSERT INTO point_blocks (series_id, first_step, last_step, count, min_value, max_value, last_value, last_time, nan_count)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
