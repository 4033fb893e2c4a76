-- A listing's condition for experiments in the trash.
e.deleted_at IS NOT NULL
