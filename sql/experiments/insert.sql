-- A new experiment; created, updated and heartbeat times are all @now. started_at is @now for an
-- active status, ended_at for a final one (the caller binds NULL otherwise).
INSERT INTO experiments (name, project_id, status, created_at, started_at, ended_at, updated_at, heartbeat_at, host, pid)
  VALUES (@name, @project_id, @status, @now, @started_at, @ended_at, @now, @now, @host, @pid)
