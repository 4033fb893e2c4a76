-- mldb schema v8: one row per experiment holding what a listing shows of it.
-- experiment_lists caches, per experiment, its params, tags and series summaries
-- as one JSON text, so listing 10,000 experiments reads 10,000 rows instead of
-- ~110,000. A row is either exact or absent: every change to an experiment's
-- params, tags or series rows deletes its row (the triggers below, in the
-- writer's own transaction, whichever client writes), and a reader rebuilds the
-- missing rows (docs/schema.md, "experiment_lists"). Points appended to a
-- series' tail (006) change no series row; readers fold tails first.
-- summary: [params, tags, series] — params {key: value}, tags {key: text}, series
-- [[name, split, count, first_step, last_step, last_time, last_value, min_value,
-- max_value, nan_count], ...] in (name, split) order; NaN is null, ±Infinity
-- ±9e999. Small enough (a few hundred bytes) to stay inside one 1 KiB page.
CREATE TABLE experiment_lists (
  experiment_id INTEGER PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
  summary       TEXT NOT NULL
);

CREATE TRIGGER experiment_lists_params_insert AFTER INSERT ON params BEGIN
  DELETE FROM experiment_lists WHERE experiment_id = new.experiment_id;
END;
CREATE TRIGGER experiment_lists_params_update AFTER UPDATE ON params BEGIN
  DELETE FROM experiment_lists WHERE experiment_id IN (old.experiment_id, new.experiment_id);
END;
CREATE TRIGGER experiment_lists_params_delete AFTER DELETE ON params BEGIN
  DELETE FROM experiment_lists WHERE experiment_id = old.experiment_id;
END;
CREATE TRIGGER experiment_lists_tags_insert AFTER INSERT ON tags BEGIN
  DELETE FROM experiment_lists WHERE experiment_id = new.experiment_id;
END;
CREATE TRIGGER experiment_lists_tags_update AFTER UPDATE ON tags BEGIN
  DELETE FROM experiment_lists WHERE experiment_id IN (old.experiment_id, new.experiment_id);
END;
CREATE TRIGGER experiment_lists_tags_delete AFTER DELETE ON tags BEGIN
  DELETE FROM experiment_lists WHERE experiment_id = old.experiment_id;
END;
CREATE TRIGGER experiment_lists_series_insert AFTER INSERT ON series BEGIN
  DELETE FROM experiment_lists WHERE experiment_id = new.experiment_id;
END;
-- Not on a change of `tail` alone: the summary columns are what a listing shows.
CREATE TRIGGER experiment_lists_series_update AFTER UPDATE OF experiment_id, name, split, count, first_step, last_step,
  last_time, last_value, min_value, max_value, nan_count ON series BEGIN
  DELETE FROM experiment_lists WHERE experiment_id IN (old.experiment_id, new.experiment_id);
END;
CREATE TRIGGER experiment_lists_series_delete AFTER DELETE ON series BEGIN
  DELETE FROM experiment_lists WHERE experiment_id = old.experiment_id;
END;
