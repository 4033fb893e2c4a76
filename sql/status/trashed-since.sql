-- The names of the experiments moved to the trash after ? (ms): the dashboard's live view drops them.
SELECT name FROM experiments WHERE deleted_at > ?
