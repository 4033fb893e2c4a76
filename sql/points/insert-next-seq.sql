-- A second value at a step already taken: the next seq (the rare path).
INSERT INTO points (series_id, step, seq, time, value)
  VALUES (@id, @step, (SELECT max(seq) + 1 FROM points WHERE series_id = @id AND step = @step), @time, @value)
