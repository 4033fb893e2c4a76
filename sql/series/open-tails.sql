-- The series whose tail a reader folds before reading summaries (the partial index series_tail).
SELECT id FROM series WHERE tail = 1
