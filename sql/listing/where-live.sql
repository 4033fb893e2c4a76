-- A listing's condition for live experiments (not in the trash): a boolean over `experiments e`.
e.deleted_at IS NULL
